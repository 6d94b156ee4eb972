import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "@bazaar/ui/styles.css";
import "./globals.css";
import { getStore } from "../lib/store";

// Every page depends on the request's host (which store), so nothing is prerendered.
export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const result = await getStore();
  const name = result.kind === "ok" ? result.store.name : "Bazaar store";
  return { title: { default: name, template: `%s · ${name}` }, applicationName: name };
}

export async function generateViewport(): Promise<Viewport> {
  const result = await getStore();
  return { themeColor: result.kind === "ok" ? result.store.theme.primary : "#4f46e5" };
}

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
