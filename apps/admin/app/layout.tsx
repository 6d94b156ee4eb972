import type { Metadata } from "next";
import type { ReactNode } from "react";
import "@bazaar/ui/styles.css";
import "./globals.css";

export const metadata: Metadata = { title: { default: "Bazaar admin", template: "%s · Bazaar admin" } };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <a className="topbar__brand" href="/">
            <span className="topbar__mark" aria-hidden="true">B</span>
            Bazaar admin
          </a>
          <nav className="topbar__nav">
            <a href="/" aria-current="page">
              Tenants
            </a>
          </nav>
        </header>
        {children}
      </body>
    </html>
  );
}
