// CI guard (CONVENTIONS.md #8): tenant-track migrations must be schema-less, because drizzle-kit
// writes "public". into generated foreign keys and that would point every tenant at `public`.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
let bad = 0;
let checked = 0;
for (const svc of fs.readdirSync(path.join(root, "services"))) {
  const dir = path.join(root, "services", svc, "migrations", "tenant");
  if (!fs.existsSync(dir)) continue;
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".sql"))) {
    checked++;
    const text = fs.readFileSync(path.join(dir, f), "utf8");
    if (/"public"\./.test(text)) {
      console.error(`services/${svc}/migrations/tenant/${f}: names the public schema; tenant SQL must be schema-less`);
      bad++;
    }
  }
}
console.log(`check-migrations: ${checked} tenant migration files, ${bad} bad`);
process.exit(bad ? 1 : 0);
