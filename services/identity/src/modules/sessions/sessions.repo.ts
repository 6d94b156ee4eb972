import { and, eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "@bazaar/service-kit/db";
import { refreshTokens, sessions } from "../../db/schema/index.ts";

export type SessionRow = typeof sessions.$inferSelect;

export async function createSession(tx: Tx, row: typeof sessions.$inferInsert): Promise<SessionRow> {
  const [created] = await tx.insert(sessions).values(row).returning();
  return created!;
}

/** The session if at `now` it has not ended, passed its hard end, or sat idle longer than `idleSeconds`. */
export async function findActiveSession(tx: Tx, id: string, at: { now: Date; idleSeconds: number }): Promise<SessionRow | undefined> {
  const [row] = await tx.select().from(sessions).where(eq(sessions.id, id)).limit(1);
  const idleUntil = row ? row.lastSeenAt.getTime() + at.idleSeconds * 1000 : 0;
  return row && !row.endedAt && row.expiresAt > at.now && idleUntil > at.now.getTime() ? row : undefined;
}

export async function touchSession(tx: Tx, id: string, now: Date): Promise<void> {
  await tx.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
}

/** End the session and revoke every refresh token issued in it. Idempotent. */
export async function endSession(tx: Tx, id: string, now: Date): Promise<void> {
  await tx.update(sessions).set({ endedAt: sql`coalesce(${sessions.endedAt}, ${now.toISOString()}::timestamptz)` }).where(eq(sessions.id, id));
  await tx
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.sessionId, id), isNull(refreshTokens.revokedAt)));
}
