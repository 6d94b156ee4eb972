import { eq, getTableColumns, sql } from "drizzle-orm";
import type { Tx } from "@bazaar/service-kit/db";
import { accounts } from "../../db/schema/index.ts";

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
