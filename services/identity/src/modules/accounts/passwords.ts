import { hash, verify, type Algorithm } from "@node-rs/argon2";

// `Algorithm` is a const enum (not importable as a value under verbatimModuleSyntax): 2 is Argon2id.
const ARGON2ID = 2 as Algorithm.Argon2id;

export interface PasswordParams {
  /** KiB. */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export interface Passwords {
  hash(password: string): Promise<string>;
  verify(stored: string, password: string): Promise<boolean>;
  /** Spend the same time as a real check, for unknown or locked accounts (no account enumeration by timing). */
  burn(password: string): Promise<void>;
}

/** argon2id through @node-rs/argon2 (prebuilt napi binaries; hashing runs off the event loop). */
export function createPasswords(params: PasswordParams): Passwords {
  const options = { algorithm: ARGON2ID, ...params };
  let decoy: Promise<string> | undefined;
  return {
    hash: (password) => hash(password, options),
    async verify(stored, password) {
      try {
        return await verify(stored, password);
      } catch {
        return false;
      }
    },
    async burn(password) {
      decoy ??= hash("decoy password that never matches", options);
      await verify(await decoy, password).catch(() => false);
    },
  };
}
