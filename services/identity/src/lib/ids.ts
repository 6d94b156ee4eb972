import { monotonicFactory } from "ulidx";

/**
 * Identity's own id prefixes. The kit's `createId` allow-list is shared by every service, so the
 * realm's record kinds are minted here in the same shape: prefix + lowercase ULID.
 */
export const ID_PREFIXES = { account: "acc", session: "ses", family: "fam", action: "act" } as const;

const next = monotonicFactory();

export function newId(kind: keyof typeof ID_PREFIXES): string {
  return `${ID_PREFIXES[kind]}_${next().toLowerCase()}`;
}
