import { z } from "zod";
import { IdentityEvents, PLATFORM_REALM, STAFF_ROLES, type Role } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { enqueue } from "@bazaar/service-kit/events";
import type { IdentityCtx, RealmRef } from "../../context.ts";
import { newId } from "../../lib/ids.ts";
import {
  endAllSessionsOf,
  findAccount,
  findAccountByEmail,
  insertAccountIfAbsent,
  lockAccountByEmail,
  markEmailVerified,
  setPassword,
  updateAccount,
  type AccountRow,
} from "../accounts/accounts.repo.ts";
import { normalizeEmail } from "../accounts/accounts.service.ts";
import {
  ACTION_LIFETIME_SECONDS,
  actionTokenState,
  actionUrl,
  countTokensSince,
  findActionToken,
  insertActionToken,
  markActionTokenUsed,
  mintActionKey,
  useUpOpenTokens,
  type ActionTokenRow,
  type ActionTokenState,
} from "../accounts/action-tokens.ts";

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
/** Reset links an email can be sent per window; more requests are answered the same and send nothing. */
export const RESET_THROTTLE = { max: 3, windowSeconds: 15 * 60 } as const;

const Email = z.email().max(320);

/** What is wrong with a new password and its confirmation (Keycloak's wording), empty when fine. */
export function passwordProblems(password: string | undefined, confirm: string | undefined): string[] {
  if (!password) return ["Please specify password."];
  if (password.length < PASSWORD_MIN) return [`Invalid password: minimum length ${PASSWORD_MIN}.`];
  if (password.length > PASSWORD_MAX) return [`Invalid password: maximum length ${PASSWORD_MAX}.`];
  if (password !== confirm) return ["Password confirmation doesn't match."];
  return [];
}

export function emailProblems(email: string | undefined): string[] {
  if (!email) return ["Please specify email."];
  return Email.safeParse(email).success ? [] : ["Invalid email address."];
}

/** Mint a verify-email link for the account and announce it (outbox), in the caller's transaction. */
async function requestVerification(ctx: IdentityCtx, tx: Tx, ref: RealmRef, account: AccountRow): Promise<void> {
  const { key, hash } = mintActionKey();
  const now = ctx.clock();
  const expiresAt = new Date(now.getTime() + ACTION_LIFETIME_SECONDS.verify_email * 1000);
  const id = newId("action");
  await insertActionToken(tx, { id, tokenHash: hash, kind: "verify_email", accountId: account.id, email: account.email, expiresAt, createdAt: now });
  await enqueue(tx, IdentityEvents.emailVerificationRequested, {
    tenantId: ref.tenantId,
    aggregateId: account.id,
    data: { accountId: account.id, email: account.email, verifyUrl: actionUrl(ctx.settings, ref.realm, key), expiresAt: expiresAt.toISOString() },
  });
}

/**
 * Self-registration (store realms only): a `shopper` with an argon2id password, plus
 * `identity.account.registered` and `identity.email.verification_requested` in the same
 * transaction. Undefined when the email is taken (the existing account is left alone).
 */
export async function register(ctx: IdentityCtx, ref: RealmRef, input: { email: string; name?: string; password: string }): Promise<AccountRow | undefined> {
  if (ref.realm === PLATFORM_REALM) throw new Error("no self-registration in the platform realm");
  const passwordHash = await ctx.passwords.hash(input.password);
  const now = ctx.clock();
  const roles: Role[] = ["shopper"];
  return ctx.tenancy.withTenant(ref.tenantId, async (tx) => {
    const account = await insertAccountIfAbsent(tx, {
      id: newId("account"),
      email: normalizeEmail(input.email),
      name: input.name || null,
      passwordHash,
      roles,
      emailVerified: false,
      createdAt: now,
      updatedAt: now,
    });
    if (!account) return undefined;
    await enqueue(tx, IdentityEvents.accountRegistered, { tenantId: ref.tenantId, aggregateId: account.id, data: { accountId: account.id, email: account.email, roles } });
    await requestVerification(ctx, tx, ref, account);
    return account;
  });
}

/**
 * "Forgot password": if the email has an account, mint a 30-minute reset link and announce it
 * (`identity.password.reset_requested`). Unknown emails and throttled requests do nothing; the
 * caller answers every request the same way.
 */
export async function requestPasswordReset(ctx: IdentityCtx, ref: RealmRef, rawEmail: string): Promise<void> {
  const email = normalizeEmail(rawEmail);
  const now = ctx.clock();
  await ctx.tenancy.withTenant(ref.tenantId, async (tx) => {
    // Locked so that concurrent requests for one email count each other.
    const account = await lockAccountByEmail(tx, email);
    if (!account) return;
    const since = new Date(now.getTime() - RESET_THROTTLE.windowSeconds * 1000);
    if ((await countTokensSince(tx, "reset_password", email, since)) >= RESET_THROTTLE.max) {
      ctx.logger.info({ tenantId: ref.tenantId, accountId: account.id }, "password reset throttled");
      return;
    }
    const { key, hash } = mintActionKey();
    const id = newId("action");
    const expiresAt = new Date(now.getTime() + ACTION_LIFETIME_SECONDS.reset_password * 1000);
    await insertActionToken(tx, { id, tokenHash: hash, kind: "reset_password", accountId: account.id, email, expiresAt, createdAt: now });
    await enqueue(tx, IdentityEvents.passwordResetRequested, {
      tenantId: ref.tenantId,
      aggregateId: account.id,
      data: { accountId: account.id, email, resetUrl: actionUrl(ctx.settings, ref.realm, key), expiresAt: expiresAt.toISOString() },
    });
  });
}

/** An action link as its page needs it: the token, its state now, and the account it concerns. */
export interface ActionLink {
  row: ActionTokenRow;
  state: ActionTokenState;
  account: AccountRow | undefined;
}

export async function loadActionLink(ctx: IdentityCtx, ref: RealmRef, key: string): Promise<ActionLink | undefined> {
  return ctx.tenancy.withTenant(ref.tenantId, async (tx) => {
    const row = await findActionToken(tx, key);
    if (!row) return undefined;
    const account = row.accountId ? await findAccount(tx, row.accountId) : row.email ? await findAccountByEmail(tx, row.email) : undefined;
    return { row, state: actionTokenState(row, ctx.clock()), account };
  });
}

export type ActionOutcome = "done" | "invalid" | "used" | "expired" | "needs-password";

/** Lock the link, check it is still valid and of this kind; the rest of `fn` runs in the same transaction. */
async function useLink(
  ctx: IdentityCtx,
  ref: RealmRef,
  key: string,
  kind: ActionTokenRow["kind"],
  fn: (tx: Tx, row: ActionTokenRow, now: Date) => Promise<ActionOutcome>,
): Promise<ActionOutcome> {
  const now = ctx.clock();
  return ctx.tenancy.withTenant(ref.tenantId, async (tx) => {
    const row = await findActionToken(tx, key, { lock: true });
    if (!row || row.kind !== kind || !row.email) return "invalid";
    const state = actionTokenState(row, now);
    if (state !== "valid") return state;
    const outcome = await fn(tx, row, now);
    if (outcome === "done") await markActionTokenUsed(tx, row.id, now);
    return outcome;
  });
}

/**
 * Set a new password from a reset link: every session of the account ends (its refresh tokens are
 * revoked), the lockout clears, and this and every other open reset link of the email is used up.
 */
export async function resetPassword(ctx: IdentityCtx, ref: RealmRef, key: string, password: string): Promise<ActionOutcome> {
  const passwordHash = await ctx.passwords.hash(password);
  return useLink(ctx, ref, key, "reset_password", async (tx, row, now) => {
    const account = row.accountId ? await findAccount(tx, row.accountId) : undefined;
    if (!account || account.email !== row.email) return "invalid";
    await setPassword(tx, account.id, passwordHash, now);
    await endAllSessionsOf(tx, account.id, now);
    await useUpOpenTokens(tx, { kind: "reset_password", email: row.email! }, now);
    return "done";
  });
}

export async function verifyEmail(ctx: IdentityCtx, ref: RealmRef, key: string): Promise<ActionOutcome> {
  return useLink(ctx, ref, key, "verify_email", async (tx, row, now) =>
    row.accountId && (await markEmailVerified(tx, row.accountId, row.email!, now)) ? "done" : "invalid",
  );
}

const isStaffRole = (role: string | null): role is (typeof STAFF_ROLES)[number] => (STAFF_ROLES as readonly string[]).includes(role ?? "");

/**
 * Accept an invitation: a new account with the invited role (name and password from the form), or
 * the role added to the existing account with that email (its password kept; one without a
 * password takes the form's). Either way the email counts as verified, and every open invitation
 * of this email for this role is used up.
 */
export async function acceptInvitation(
  ctx: IdentityCtx,
  ref: RealmRef,
  key: string,
  input: { name?: string; password?: string },
): Promise<ActionOutcome> {
  const passwordHash = input.password ? await ctx.passwords.hash(input.password) : undefined;
  return useLink(ctx, ref, key, "invitation", async (tx, row, now) => {
    const role = row.role;
    if (!isStaffRole(role) || ref.realm === PLATFORM_REALM) return "invalid";
    const email = row.email!;
    let account = await lockAccountByEmail(tx, email);
    if (!account) {
      if (!passwordHash) return "needs-password";
      account = await insertAccountIfAbsent(tx, {
        id: newId("account"),
        email,
        name: input.name || null,
        passwordHash,
        roles: [role],
        emailVerified: true,
        createdAt: now,
        updatedAt: now,
      });
      if (account) {
        await enqueue(tx, IdentityEvents.accountRegistered, { tenantId: ref.tenantId, aggregateId: account.id, data: { accountId: account.id, email, roles: [role] } });
      } else {
        // Registered between our read and our insert: join that account instead.
        account = await lockAccountByEmail(tx, email);
        if (!account) return "invalid";
      }
    }
    if (!account.roles.includes(role) || !account.emailVerified || !account.passwordHash || (!account.name && input.name)) {
      if (!account.passwordHash && !passwordHash) return "needs-password";
      await updateAccount(
        tx,
        account.id,
        {
          roles: [...new Set([...account.roles, role])],
          emailVerified: true,
          ...(!account.passwordHash && passwordHash ? { passwordHash } : {}),
          ...(!account.name && input.name ? { name: input.name } : {}),
        },
        now,
      );
    }
    await useUpOpenTokens(tx, { kind: "invitation", email, role }, now);
    return "done";
  });
}
