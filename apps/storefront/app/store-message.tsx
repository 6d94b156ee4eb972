import { Notice } from "@bazaar/ui";
import type { ReactNode } from "react";

/** A friendly full-page message, shown when there's no store to render. */
export function StoreMessage({ title, tone, children }: { title: string; tone?: "info" | "warning" | "danger"; children: ReactNode }) {
  return (
    <main className="message-page">
      <Notice title={title} tone={tone}>
        {children}
      </Notice>
      <p className="message-page__brand">Bazaar</p>
    </main>
  );
}
