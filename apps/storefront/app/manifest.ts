import type { MetadataRoute } from "next";
import { getStore } from "../lib/store";

export const dynamic = "force-dynamic";

/** Web app manifest of the current store (each store installs as its own app). */
export default async function manifest(): Promise<MetadataRoute.Manifest> {
  const result = await getStore();
  const store = result.kind === "ok" ? result.store : null;
  return {
    name: store?.name ?? "Bazaar store",
    short_name: store ? shortName(store.name) : "Bazaar",
    description: store ? `Shop ${store.name}` : "A store on Bazaar",
    start_url: "/",
    scope: "/",
    display: "standalone",
    background_color: store?.theme.background ?? "#f8fafc",
    theme_color: store?.theme.primary ?? "#4f46e5",
    icons: [store?.logoUrl ? { src: store.logoUrl, sizes: "any" } : { src: "/icon.svg", sizes: "any", type: "image/svg+xml" }],
  };
}

/** Home-screen label: the name if it is short, else its first word. */
const shortName = (name: string) => (name.length <= 12 ? name : (name.split(/\s+/)[0] ?? name).slice(0, 12));
