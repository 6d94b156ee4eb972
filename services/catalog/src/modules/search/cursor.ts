import type { SearchSort } from "@bazaar/contracts";
import { AppError } from "@bazaar/service-kit/errors";

/** Where a page ended: the sort it belongs to, the last item's sort key and id (keyset pagination). */
export interface SearchCursor {
  sort: SearchSort;
  /** rank (relevance), price (price_*), name (name); absent for newest. */
  key?: number | string;
  id: string;
}

const ID = /^prod_[0-9a-z]{26}$/;

export function encodeCursor(c: SearchCursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.key ?? null, c.id])).toString("base64url");
}

/** Decode a cursor made for `sort`; anything else is a 400 (a cursor is opaque, never trusted). */
export function decodeCursor(raw: string, sort: SearchSort): SearchCursor {
  const bad = () => new AppError("bad_request", "The cursor is not valid for this search.", [{ path: "cursor", message: "invalid" }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw bad();
  const [s, key, id] = parsed as [unknown, unknown, unknown];
  if (s !== sort || typeof id !== "string" || !ID.test(id)) throw bad();
  switch (sort) {
    case "newest":
      if (key !== null) throw bad();
      return { sort, id };
    case "relevance":
      if (typeof key !== "number" || !Number.isFinite(key)) throw bad();
      return { sort, key, id };
    case "price_asc":
    case "price_desc":
      if (!Number.isSafeInteger(key) || (key as number) < 0) throw bad();
      return { sort, key: key as number, id };
    case "name":
      if (typeof key !== "string" || key.length > 400) throw bad();
      return { sort, key, id };
  }
}
