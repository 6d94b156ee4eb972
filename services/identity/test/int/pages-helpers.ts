import type { EventDefinition, EventEnvelope, IdentityContext } from "@bazaar/contracts";
import { signTenantHeaders } from "@bazaar/service-kit/tenancy";
import { TEST_SECRET } from "@bazaar/service-kit/testing";
import type { z } from "zod";
import type { Harness } from "./harness.ts";

/** A browser in miniature: keeps cookies per name (path-blind: tests stay in one realm per browser). */
export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(private readonly h: Harness) {}

  private remember(res: Response): Response {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/max-age=0/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  private cookieHeader(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } : {};
  }

  async get(path: string): Promise<Page> {
    const res = this.remember(await this.h.service.app.request(path, { headers: this.cookieHeader() }));
    return { res, status: res.status, html: await res.text() };
  }

  /** POST a form; `csrf` is filled from the last page unless given (`null` leaves it out). */
  async post(path: string, fields: Record<string, string>, from?: Page): Promise<Page> {
    const body = new URLSearchParams(fields);
    if (from && !("csrf" in fields)) body.set("csrf", csrfOf(from.html));
    const res = this.remember(
      await this.h.service.app.request(path, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...this.cookieHeader() },
        body: body.toString(),
      }),
    );
    return { res, status: res.status, html: await res.text() };
  }
}

export interface Page {
  res: Response;
  status: number;
  html: string;
}

export function csrfOf(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no csrf field in page: ${html.slice(0, 300)}`);
  return m[1]!;
}

/** The path and query of an absolute link from an event (the service app is called directly). */
export const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

/** Events of one type the service wrote to its outbox for a tenant, oldest first. */
export async function outbox<S extends z.ZodType>(h: Harness, tenantId: string, def: EventDefinition<string, S>): Promise<(EventEnvelope & { data: z.infer<S> })[]> {
  const rows = await h.database.sql<{ envelope: EventEnvelope }[]>`
    select envelope from public.bazaar_outbox where tenant_id = ${tenantId} and type = ${def.type} order by seq`;
  return rows.map((r) => ({ ...r.envelope, data: def.schema.parse(r.envelope.data) as z.infer<S> }));
}

/** Call the service as the gateway would: signed store and caller. */
export function asCaller(tenant: { tenantId: string; slug: string }, identity: IdentityContext | undefined, init: { method?: string; body?: unknown } = {}): RequestInit {
  return {
    method: init.method ?? "GET",
    headers: { ...signTenantHeaders(TEST_SECRET, tenant, identity), ...(init.body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  };
}
