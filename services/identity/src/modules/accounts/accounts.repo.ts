import { and, arrayOverlaps, asc, eq, getTableColumns, inArray, isNull, or, sql } from "drizzle-orm";
import type { Tx } from "@bazaar/service-kit/db";
import { accounts, refreshTokens, sessions } from "../../db/schema/index.ts";

export type AccountRow = typeof accounts.$inferSelect;

export async function findAccountByEmail(tx: Tx, email: string): Promise<AccountRow | undefined> {
  const [row] = await tx.select().from(accounts).where(eq(accounts.email, email)).limit(1);
  return row;
}

export async function findAccount(tx: Tx, id: string): Promise<AccountRow | undefined> {
  const [row] = await tx.select().from(accounts).where(eq(accounts.id, id)).limit(1);
  return row;
}

/** Insert, or update the account with this email; returns the row and whether it was new. */
export async function upsertAccountRow(tx: Tx, row: typeof accounts.$inferInsert): Promise<{ row: AccountRow; created: boolean }> {
  const [saved] = await tx
    .insert(accounts)
    .values(row)
    .onConflictDoUpdate({
      target: accounts.email,
      set: {
        name: sql`coalesce(excluded.name, ${accounts.name})`,
        passwordHash: sql`excluded.password_hash`,
        roles: sql`excluded.roles`,
        emailVerified: sql`excluded.email_verified`,
        failedLogins: 0,
        lockedUntil: null,
        updatedAt: sql`excluded.updated_at`,
      },
    })
    .returning({ ...getTableColumns(accounts), created: sql<boolean>`xmax = 0` });
  const { created, ...account } = saved!;
  return { row: account, created };
}

/**
 * One more failed login, atomically: the `maxFailures`-th consecutive failure locks the account
 * until `lockUntil` and restarts the count.
 */
export async function recordFailedLogin(tx: Tx, id: string, opts: { maxFailures: number; lockUntil: Date }): Promise<void> {
  const reached = sql`${accounts.failedLogins} + 1 >= ${opts.maxFailures}`;
  await tx
    .update(accounts)
    .set({
      failedLogins: sql`case when ${reached} then 0 else ${accounts.failedLogins} + 1 end`,
      lockedUntil: sql`case when ${reached} then ${opts.lockUntil.toISOString()}::timestamptz else ${accounts.lockedUntil} end`,
    })
    .where(eq(accounts.id, id));
}

export async function recordSuccessfulLogin(tx: Tx, id: string): Promise<void> {
  await tx.update(accounts).set({ failedLogins: 0, lockedUntil: null }).where(eq(accounts.id, id));
}

/** Insert a new account; undefined when the email is taken (never touches the existing account). */
export async function insertAccountIfAbsent(tx: Tx, row: typeof accounts.$inferInsert): Promise<AccountRow | undefined> {
  const [saved] = await tx.insert(accounts).values(row).onConflictDoNothing({ target: accounts.email }).returning();
  return saved;
}

/** The account with this email, locked for the rest of the transaction. */
export async function lockAccountByEmail(tx: Tx, email: string): Promise<AccountRow | undefined> {
  const [row] = await tx.select().from(accounts).where(eq(accounts.email, email)).for("update").limit(1);
  return row;
}

/** A new password: also clears the lockout (whoever sets it proved they hold the mailbox). */
export async function setPassword(tx: Tx, id: string, passwordHash: string, now: Date): Promise<void> {
  await tx.update(accounts).set({ passwordHash, failedLogins: 0, lockedUntil: null, emailVerified: true, updatedAt: now }).where(eq(accounts.id, id));
}

export async function markEmailVerified(tx: Tx, id: string, email: string, now: Date): Promise<boolean> {
  const rows = await tx
    .update(accounts)
    .set({ emailVerified: true, updatedAt: now })
    .where(and(eq(accounts.id, id), eq(accounts.email, email)))
    .returning({ id: accounts.id });
  return rows.length > 0;
}

export async function updateAccount(tx: Tx, id: string, set: Partial<Pick<AccountRow, "name" | "passwordHash" | "roles" | "emailVerified">>, now: Date): Promise<AccountRow> {
  const [row] = await tx
    .update(accounts)
    .set({ ...set, updatedAt: now })
    .where(eq(accounts.id, id))
    .returning();
  return row!;
}

/** Accounts holding any of `roles`, oldest first. */
export async function accountsWithAnyRole(tx: Tx, roles: readonly string[]): Promise<AccountRow[]> {
  return tx
    .select()
    .from(accounts)
    .where(arrayOverlaps(accounts.roles, [...roles]))
    .orderBy(asc(accounts.createdAt), asc(accounts.id));
}

/**
 * Lock the account `id` and every holder of `role` in one statement, in id order (two concurrent
 * callers queue instead of deadlocking; the second re-reads the rows the first changed).
 */
export async function lockAccountAndRoleHolders(tx: Tx, id: string, role: string): Promise<AccountRow[]> {
  return tx
    .select()
    .from(accounts)
    .where(or(eq(accounts.id, id), sql`${role} = any(${accounts.roles})`))
    .orderBy(asc(accounts.id))
    .for("update");
}

/** End every session of the account and revoke their refresh tokens (password reset, staff removal). */
export async function endAllSessionsOf(tx: Tx, accountId: string, now: Date): Promise<void> {
  await tx
    .update(sessions)
    .set({ endedAt: now })
    .where(and(eq(sessions.accountId, accountId), isNull(sessions.endedAt)));
  const ofAccount = tx.select({ id: sessions.id }).from(sessions).where(eq(sessions.accountId, accountId));
  await tx
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(inArray(refreshTokens.sessionId, ofAccount), isNull(refreshTokens.revokedAt)));
}
