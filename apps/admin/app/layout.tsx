import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AuthProvider } from "@bazaar/ui/auth";
import "@bazaar/ui/styles.css";
import "./globals.css";
import { loadConfig } from "../lib/config";
import { SessionControl } from "./session-control";

// The provider's URL comes from the environment at request time, not at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: { default: "Bazaar admin", template: "%s · Bazaar admin" } };

export default function RootLayout({ children }: { children: ReactNode }) {
  const config = loadConfig();
  return (
    <html lang="en">
      <body>
        <AuthProvider config={{ url: config.authUrl, realm: "platform", clientId: "admin" }}>
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
            <SessionControl />
          </header>
          {children}
        </AuthProvider>
      </body>
    </html>
  );
}
