import { PLATFORM_REALM, type Account, type Role, type UpsertAccountBody } from "@bazaar/contracts";
import { AppError } from "@bazaar/service-kit/errors";
import type { z } from "zod";
import type { IdentityCtx, RealmRef } from "../../context.ts";
import { newId } from "../../lib/ids.ts";
import { findAccountByEmail, recordFailedLogin, recordSuccessfulLogin, upsertAccountRow, type AccountRow } from "./accounts.repo.ts";

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export function toAccount(row: AccountRow, realm: string): Account {
  return {
    id: row.id,
    realm,
    email: row.email,
    name: row.name,
    roles: row.roles as Role[],
    emailVerified: row.emailVerified,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Operators live only in the platform realm, and only operators live there. */
export function checkRolesForRealm(realm: string, roles: readonly string[]): void {
  const platform = realm === PLATFORM_REALM;
  const misplaced = roles.filter((r) => (r === "operator") !== platform);
  if (misplaced.length) {
    throw new AppError("validation_failed", "These roles do not belong in this realm.", [
      { path: "roles", message: platform ? "the platform realm holds operators only" : "operators belong to the platform realm" },
    ]);
  }
}

/** Create or update the account with this email (idempotent), with a new password. */
export async function upsertAccount(
  ctx: IdentityCtx,
  ref: RealmRef,
  body: z.output<typeof UpsertAccountBody>,
): Promise<{ account: Account; created: boolean }> {
  checkRolesForRealm(ref.realm, body.roles);
  const passwordHash = await ctx.passwords.hash(body.password);
  const now = ctx.clock();
  const { row, created } = await ctx.tenancy.withTenant(ref.tenantId, (tx) =>
    upsertAccountRow(tx, {
      id: newId("account"),
      email: normalizeEmail(body.email),
      name: body.name ?? null,
      passwordHash,
      roles: [...new Set(body.roles)],
      emailVerified: body.emailVerified,
      createdAt: now,
      updatedAt: now,
    }),
  );
  return { account: toAccount(row, ref.realm), created };
}

/**
 * Check a username (email) and password. Unknown, password-less and locked accounts fail exactly
 * like a wrong password, after the same argon2 work, so answers and timing reveal nothing.
 */
export async function authenticate(ctx: IdentityCtx, ref: RealmRef, username: string, password: string): Promise<AccountRow | undefined> {
  const now = ctx.clock();
  if (!username || !password || username.length > 320 || password.length > 256) {
    await ctx.passwords.burn(password.slice(0, 256));
    return undefined;
  }
  const row = await ctx.tenancy.withTenant(ref.tenantId, (tx) => findAccountByEmail(tx, normalizeEmail(username)));
  if (!row?.passwordHash || (row.lockedUntil && row.lockedUntil > now)) {
    await ctx.passwords.burn(password);
    return undefined;
  }
  const ok = await ctx.passwords.verify(row.passwordHash, password);
  const { maxFailures, lockSeconds } = ctx.settings.lockout;
  await ctx.tenancy.withTenant(ref.tenantId, (tx) =>
    ok ? recordSuccessfulLogin(tx, row.id) : recordFailedLogin(tx, row.id, { maxFailures, lockUntil: new Date(now.getTime() + lockSeconds * 1000) }),
  );
  if (!ok) ctx.logger.info({ tenantId: ref.tenantId, accountId: row.id }, "failed login");
  return ok ? row : undefined;
}
