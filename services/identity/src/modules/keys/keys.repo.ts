import { asc, lte } from "drizzle-orm";
import type { Db, Tx } from "@bazaar/service-kit/db";
import { signingKeys } from "../../db/platform-schema/signing-keys.ts";

export type SigningKeyRow = typeof signingKeys.$inferSelect;

export async function listKeys(db: Db | Tx): Promise<SigningKeyRow[]> {
  return db.select().from(signingKeys).orderBy(asc(signingKeys.activatesAt), asc(signingKeys.kid));
}

export async function insertKey(tx: Tx, row: typeof signingKeys.$inferInsert): Promise<void> {
  await tx.insert(signingKeys).values(row);
}

export async function deleteExpired(tx: Tx, now: Date): Promise<string[]> {
  const rows = await tx.delete(signingKeys).where(lte(signingKeys.expiresAt, now)).returning({ kid: signingKeys.kid });
  return rows.map((r) => r.kid);
}
