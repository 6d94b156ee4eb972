import { and, count, desc, eq, gt, gte, isNull } from "drizzle-orm";
import type { Tx } from "@bazaar/service-kit/db";
import { actionTokens } from "../../db/schema/index.ts";
import { issuerOf } from "../../context.ts";
import { randomToken, sha256 } from "../../lib/crypto.ts";
import type { Settings } from "../../settings.ts";

/**
 * Single-use links mailed to people (Keycloak's action tokens): a 256-bit random key travels in
 * the link, only its SHA-256 is stored, so a database leak yields no usable link.
 */
export type ActionTokenRow = typeof actionTokens.$inferSelect;
export type ActionKind = ActionTokenRow["kind"];

/** Lifetimes of the links identity mails itself (invitations: `settings.lifetimes.invitation`). */
export const ACTION_LIFETIME_SECONDS = { reset_password: 30 * 60, verify_email: 24 * 3600 } as const;

/** A link key as minted here: 32 random bytes, base64url. Anything else is refused before a lookup. */
export const ACTION_KEY_RE = /^[A-Za-z0-9_-]{43}$/;

export function mintActionKey(): { key: string; hash: string } {
  const key = randomToken(32);
  return { key, hash: sha256(key) };
}

/** Keycloak's path for every action link: `{issuer}/login-actions/action-token?key=...`. */
export const actionUrl = (settings: Settings, realm: string, key: string) =>
  `${issuerOf(settings, realm)}/login-actions/action-token?key=${encodeURIComponent(key)}`;

export type ActionTokenState = "valid" | "used" | "expired";

/** Used wins over expired: a link that worked once says so, whenever it is opened again. */
export function actionTokenState(row: Pick<ActionTokenRow, "usedAt" | "expiresAt">, now: Date): ActionTokenState {
  if (row.usedAt) return "used";
  return row.expiresAt > now ? "valid" : "expired";
}

export async function insertActionToken(tx: Tx, row: typeof actionTokens.$inferInsert): Promise<void> {
  await tx.insert(actionTokens).values(row);
}

/** The token with this key, if the key is well formed and known; `lock` holds it for the transaction. */
export async function findActionToken(tx: Tx, key: string, opts: { lock?: boolean } = {}): Promise<ActionTokenRow | undefined> {
  if (!ACTION_KEY_RE.test(key)) return undefined;
  const query = tx.select().from(actionTokens).where(eq(actionTokens.tokenHash, sha256(key))).limit(1);
  const [row] = opts.lock ? await query.for("update") : await query;
  return row;
}

export async function markActionTokenUsed(tx: Tx, id: string, now: Date): Promise<void> {
  await tx.update(actionTokens).set({ usedAt: now }).where(eq(actionTokens.id, id));
}

/** Use up every still-open link of a kind for an email (optionally one role): after a reset, the other reset links die. */
export async function useUpOpenTokens(tx: Tx, where: { kind: ActionKind; email: string; role?: string }, now: Date): Promise<void> {
  await tx
    .update(actionTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(actionTokens.kind, where.kind),
        eq(actionTokens.email, where.email),
        isNull(actionTokens.usedAt),
        ...(where.role ? [eq(actionTokens.role, where.role)] : []),
      ),
    );
}

/** How many links of a kind were minted for an email since `since` (the reset throttle). */
export async function countTokensSince(tx: Tx, kind: ActionKind, email: string, since: Date): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(actionTokens)
    .where(and(eq(actionTokens.kind, kind), eq(actionTokens.email, email), gte(actionTokens.createdAt, since)));
  return row?.n ?? 0;
}

/** Invitations not yet accepted and not expired, newest first. */
export async function pendingInvitations(tx: Tx, now: Date): Promise<ActionTokenRow[]> {
  return tx
    .select()
    .from(actionTokens)
    .where(and(eq(actionTokens.kind, "invitation"), isNull(actionTokens.usedAt), gt(actionTokens.expiresAt, now)))
    .orderBy(desc(actionTokens.createdAt));
}
