import { sql } from "drizzle-orm";
import {
  createLocalJWKSet,
  errors,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  type CryptoKey,
  type JWK,
  type JWTPayload,
  type JWTVerifyOptions,
} from "jose";
import type { Database } from "@bazaar/service-kit/db";
import type { Logger } from "@bazaar/service-kit/logging";
import { randomToken, seal, unseal } from "../../lib/crypto.ts";
import type { KeyRotation } from "../../settings.ts";
import { deleteExpired, insertKey, listKeys, type SigningKeyRow } from "./keys.repo.ts";

export const SIGNING_ALG = "ES256";

export interface Signer {
  kid: string;
  key: CryptoKey;
}

export interface KeyStoreOptions {
  database: Database;
  /** AES-256-GCM key for private keys at rest (derived from the service secret). */
  sealKey: Buffer;
  clock: () => Date;
  rotation: KeyRotation;
  /** Longest lifetime of a token signed with these keys (access and id tokens), in seconds. */
  maxTokenSeconds: number;
  logger: Logger;
}

/**
 * Signing keys with rotation. A key signs from `activates_at` to `retires_at`; its successor is
 * created `prepublishMs` earlier so verifiers see it in the JWKS before the first token it signs.
 * A retired key stays in the JWKS until `expires_at` (retirement + longest token lifetime + 1 min),
 * so every token it signed verifies until that token expires.
 */
export class KeyStore {
  private rows: SigningKeyRow[] | undefined;
  private loadedAt = 0;
  private readonly privateKeys = new Map<string, Promise<CryptoKey>>();
  private readonly openable = new Map<string, boolean>();
  private verifySet: { kids: string; set: ReturnType<typeof createLocalJWKSet> } | undefined;

  constructor(private readonly opts: KeyStoreOptions) {}

  private now(): Date {
    return this.opts.clock();
  }

  private async load(force = false): Promise<SigningKeyRow[]> {
    // Re-read now and then: another process may have rotated.
    if (!force && this.rows && Date.now() - this.loadedAt < 30_000) return this.rows;
    this.rows = await listKeys(this.opts.database.db);
    this.loadedAt = Date.now();
    return this.rows;
  }

  /** Create what is missing (an active key, a prepublished successor) and drop expired keys. Idempotent. */
  async rotateKeys(): Promise<{ created: string[]; removed: string[] }> {
    const now = this.now();
    const { prepublishMs } = this.opts.rotation;
    const result = await this.opts.database.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('bazaar:identity:signing-keys'))`);
      const removed = await deleteExpired(tx, now);
      const rows = await listKeys(tx);
      const created: string[] = [];
      const usable = rows.filter((r) => r.retiresAt > now && this.canOpen(r));
      if (!usable.some((r) => r.activatesAt <= now)) {
        created.push(await this.createKey(tx, now, now));
      }
      const lastRetires = Math.max(now.getTime(), ...usable.map((r) => r.retiresAt.getTime()));
      if (created.length === 0 && lastRetires - now.getTime() <= prepublishMs) {
        created.push(await this.createKey(tx, now, new Date(lastRetires)));
      }
      return { created, removed };
    });
    if (result.created.length || result.removed.length) this.opts.logger.info(result, "signing keys rotated");
    await this.load(true);
    return result;
  }

  private async createKey(tx: Parameters<typeof insertKey>[0], now: Date, activatesAt: Date): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
    const kid = randomToken(16);
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: "sig" };
    const privateJwk = await exportJWK(privateKey);
    const retiresAt = new Date(activatesAt.getTime() + this.opts.rotation.signingMs);
    await insertKey(tx, {
      kid,
      alg: SIGNING_ALG,
      publicJwk,
      privateJwkEnc: seal(this.opts.sealKey, JSON.stringify(privateJwk), kid),
      createdAt: now,
      activatesAt,
      retiresAt,
      expiresAt: new Date(retiresAt.getTime() + (this.opts.maxTokenSeconds + 60) * 1000),
    });
    return kid;
  }

  private canOpen(row: SigningKeyRow): boolean {
    let ok = this.openable.get(row.kid);
    if (ok === undefined) {
      try {
        unseal(this.opts.sealKey, row.privateJwkEnc, row.kid);
        ok = true;
      } catch {
        // Sealed under another secret (INTERNAL_SECRET changed): publish it, never sign with it.
        this.opts.logger.warn({ kid: row.kid }, "signing key cannot be decrypted with this secret");
        ok = false;
      }
      this.openable.set(row.kid, ok);
    }
    return ok;
  }

  /** The newest active key. Rotates first when none is active (first start, or a late timer). */
  async signer(): Promise<Signer> {
    // The time is read at each pick: a key made on demand activates at the rotation's own "now",
    // which is later than a time read before rotating (by however long the rotation took).
    const pick = (rows: SigningKeyRow[], now = this.now()) =>
      rows.filter((r) => r.activatesAt <= now && r.retiresAt > now && this.canOpen(r)).at(-1);
    let row = pick(await this.load());
    if (!row) {
      await this.rotateKeys();
      row = pick(await this.load(true));
    }
    if (!row) throw new Error("no signing key could be created");
    let key = this.privateKeys.get(row.kid);
    if (!key) {
      const jwk = JSON.parse(unseal(this.opts.sealKey, row.privateJwkEnc, row.kid)) as JWK;
      key = importJWK(jwk, SIGNING_ALG) as Promise<CryptoKey>;
      this.privateKeys.set(row.kid, key);
    }
    return { kid: row.kid, key: await key };
  }

  /** Every key not yet expired: the active one, a prepublished successor, retired ones still verifying. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const now = this.now();
    const rows = (await this.load()).filter((r) => r.expiresAt > now);
    return { keys: rows.map((r) => r.publicJwk as JWK).reverse() };
  }

  /** Verify a token signed by one of these keys (ES256 only), at the service clock's time. */
  async verify(token: string, options: JWTVerifyOptions): Promise<JWTPayload> {
    const attempt = async (force: boolean) => {
      await this.load(force);
      const jwks = await this.jwks();
      const kids = jwks.keys.map((k) => k.kid).join(",");
      if (this.verifySet?.kids !== kids) this.verifySet = { kids, set: createLocalJWKSet(jwks) };
      const { payload } = await jwtVerify(token, this.verifySet.set, { currentDate: this.now(), ...options, algorithms: [SIGNING_ALG] });
      return payload;
    };
    try {
      return await attempt(false);
    } catch (err) {
      // A key another process created since our last read: read again once.
      if (err instanceof errors.JWKSNoMatchingKey) return attempt(true);
      throw err;
    }
  }
}
