import { timingSafeEqual } from "node:crypto";
import { PLATFORM_REALM, type IdentityContext } from "@bazaar/contracts";
import { AppError } from "@bazaar/service-kit/errors";
import type { Audience } from "../routing/routes.ts";
import type { TokenVerifier } from "./verifier.ts";

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Who is calling, checked against what the route is for:
 * - platform routes need an operator of the `platform` realm;
 * - merchant routes need a signed-in caller of the addressed store's realm (roles are checked by the
 *   service's access table);
 * - storefront routes take anonymous callers, and a token from another store's realm is refused.
 * The bootstrap admin token (BAZAAR_ADMIN_TOKEN) acts as operator and owner everywhere.
 */
export async function authenticate(opts: {
  authorization: string | undefined;
  audience: Audience;
  store: { slug: string } | undefined;
  verifier: TokenVerifier;
  adminToken: string | undefined;
}): Promise<IdentityContext | undefined> {
  const token = opts.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (opts.authorization !== undefined && !token) throw new AppError("unauthorized", "Use `Authorization: Bearer <access token>`.");
  let identity: IdentityContext | undefined;
  if (token && opts.adminToken && sameSecret(token, opts.adminToken)) {
    identity = { sub: "bootstrap-admin", realm: opts.store?.slug ?? PLATFORM_REALM, roles: ["operator", "owner"] };
  } else if (token) {
    identity = await opts.verifier.verify(token);
  }
  if (opts.audience === "platform") {
    if (!identity) throw new AppError("unauthorized", "Operator sign-in required.");
    if (identity.sub !== "bootstrap-admin" && (identity.realm !== PLATFORM_REALM || !identity.roles.includes("operator"))) {
      throw new AppError("forbidden", "Only platform operators may do this.");
    }
    return identity;
  }
  if (opts.audience === "admin" && !identity) throw new AppError("unauthorized", "Staff sign-in required.");
  if (identity && opts.store && identity.sub !== "bootstrap-admin" && identity.realm !== opts.store.slug) {
    throw new AppError("forbidden", "This token belongs to another store.");
  }
  return identity;
}
