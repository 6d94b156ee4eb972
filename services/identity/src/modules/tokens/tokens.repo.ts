import { and, eq, isNull } from "drizzle-orm";
import type { Tx } from "@bazaar/service-kit/db";
import { authorizationCodes, refreshTokens } from "../../db/schema/index.ts";

export type RefreshRow = typeof refreshTokens.$inferSelect;
export type CodeRow = typeof authorizationCodes.$inferSelect;

export async function insertRefreshToken(tx: Tx, row: typeof refreshTokens.$inferInsert): Promise<void> {
  await tx.insert(refreshTokens).values(row);
}

/** Locked for the rest of the transaction, so two presentations of one token serialise. */
export async function lockRefreshToken(tx: Tx, jti: string): Promise<RefreshRow | undefined> {
  const [row] = await tx.select().from(refreshTokens).where(eq(refreshTokens.jti, jti)).for("update").limit(1);
  return row;
}

export async function markRefreshUsed(tx: Tx, jti: string, now: Date): Promise<void> {
  await tx.update(refreshTokens).set({ usedAt: now }).where(eq(refreshTokens.jti, jti));
}

export async function revokeFamily(tx: Tx, familyId: string, now: Date): Promise<void> {
  await tx
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

export async function insertCode(tx: Tx, row: typeof authorizationCodes.$inferInsert): Promise<void> {
  await tx.insert(authorizationCodes).values(row);
}

export async function lockCode(tx: Tx, codeHash: string): Promise<CodeRow | undefined> {
  const [row] = await tx.select().from(authorizationCodes).where(eq(authorizationCodes.codeHash, codeHash)).for("update").limit(1);
  return row;
}

export async function markCodeUsed(tx: Tx, codeHash: string, now: Date, familyId: string): Promise<void> {
  await tx.update(authorizationCodes).set({ usedAt: now, familyId }).where(eq(authorizationCodes.codeHash, codeHash));
}
