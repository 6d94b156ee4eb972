import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";

export interface Migration {
  idx: number;
  tag: string;
  hash: string;
  statements: string[];
}

/**
 * Read drizzle-kit's generated SQL (journal + files). We apply it ourselves, not with drizzle's
 * migrator, because the tenant track must run inside one transaction whose search_path is the
 * tenant's schema (drizzle's migrator has no hook for that; drizzle issues #423, #1807).
 */
export function loadMigrations(dir: string, opts: { track?: "tenant" | "platform" } = {}): Migration[] {
  const journalPath = path.join(dir, "meta", "_journal.json");
  if (!fs.existsSync(journalPath)) return [];
  const journal = JSON.parse(fs.readFileSync(journalPath, "utf8")) as { entries: { idx: number; tag: string }[] };
  return journal.entries
    .sort((a, b) => a.idx - b.idx)
    .map((e) => {
      const text = fs.readFileSync(path.join(dir, `${e.tag}.sql`), "utf8");
      if ((opts.track ?? "tenant") === "tenant" && /"public"\./.test(text)) {
        throw new Error(`tenant migration ${e.tag} names the public schema; tenant SQL must be schema-less`);
      }
      return {
        idx: e.idx,
        tag: e.tag,
        hash: createHash("sha256").update(text).digest("hex"),
        statements: text
          .split("--> statement-breakpoint")
          .map((s) => s.trim())
          .filter(Boolean),
      };
    });
}
