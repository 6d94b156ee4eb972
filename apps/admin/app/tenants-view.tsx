"use client";

import { useCallback, useEffect, useState } from "react";
import { Badge, Notice, type BadgeTone } from "@bazaar/ui";
import { useAuth } from "@bazaar/ui/auth";
import { BazaarApiError, createBazaarClient, type Page, type PlatformTenant, type ServiceProvisioning, type TenantStatus } from "@bazaar/sdk";

/** What the server could render with the bootstrap token (serialisable: it crosses to the browser). */
export type InitialTenants =
  | { kind: "none" }
  | { kind: "page"; page: Page<PlatformTenant> }
  | { kind: "refused"; message: string }
  | { kind: "unreachable"; message: string; gatewayUrl: string };

type Live =
  | { status: "idle" }
  | { status: "loading" }
  | { status: "ok"; page: Page<PlatformTenant>; at: number }
  | { status: "error"; message: string; forbidden: boolean };

const TENANT_TONE: Record<TenantStatus, BadgeTone> = { active: "success", provisioning: "info", failed: "danger", suspended: "warning" };
const SERVICE_TONE: Record<ServiceProvisioning["status"], BadgeTone> = { ready: "success", pending: "info", failed: "danger" };

export function TenantsView({ initial, cursor, apiUrl }: { initial: InitialTenants; cursor: string | null; apiUrl: string }) {
  const auth = useAuth();
  const signedIn = auth.state.status === "signed-in";
  const [live, setLive] = useState<Live>({ status: "idle" });
  const { accessToken } = auth;

  const load = useCallback(async () => {
    setLive({ status: "loading" });
    try {
      const token = await accessToken();
      const api = createBazaarClient({ baseUrl: apiUrl, token, timeoutMs: 10_000 });
      setLive({ status: "ok", page: await api.platformTenants({ limit: 100, cursor }), at: Date.now() });
    } catch (err) {
      const forbidden = err instanceof BazaarApiError && err.status === 403;
      setLive({ status: "error", message: err instanceof Error ? err.message : String(err), forbidden });
    }
  }, [accessToken, apiUrl, cursor]);

  useEffect(() => {
    if (signedIn) void load();
    else setLive({ status: "idle" });
  }, [signedIn, load]);

  const page = signedIn ? (live.status === "ok" ? live.page : null) : initial.kind === "page" ? initial.page : null;
  // While the operator's own list loads, keep showing what the server rendered.
  const shown = page ?? (signedIn && live.status === "loading" && initial.kind === "page" ? initial.page : null);

  return (
    <>
      <div className="page__head">
        <div>
          <h1>Tenants</h1>
          <p className="muted">Every store on the platform and how far its provisioning got, service by service.</p>
        </div>
      </div>

      {auth.state.status === "signed-out" && auth.state.error ? (
        <Notice title="Sign-in didn't work" tone="danger">
          <p>{auth.state.error}</p>
        </Notice>
      ) : null}

      <Source initial={initial} live={live} onReload={load} />

      {signedIn && live.status === "error" ? (
        <Notice title={live.forbidden ? "This account is not a platform operator" : "The tenant list could not be loaded"} tone={live.forbidden ? "warning" : "danger"}>
          <p>{live.message}</p>
        </Notice>
      ) : null}
      {!signedIn ? <ServerProblem initial={initial} /> : null}

      {shown ? <TenantTable page={shown} /> : null}
    </>
  );
}

/** Where the list on screen came from, so an operator knows whose authority they are looking through. */
function Source({ initial, live, onReload }: { initial: InitialTenants; live: Live; onReload: () => void }) {
  const { state, signIn } = useAuth();
  if (state.status === "loading") return null;
  if (state.status === "signed-in") {
    const who = <strong>{state.user.email}</strong>;
    return (
      <div className="source" data-source="operator" data-state={live.status}>
        <p>
          {live.status === "ok" ? (
            <>
              Loaded from the API as {who} at <time dateTime={new Date(live.at).toISOString()}>{clock(live.at)}</time>.
            </>
          ) : live.status === "error" ? (
            <>Signed in as {who}.</>
          ) : (
            <>Loading tenants as {who}…</>
          )}
        </p>
        <button type="button" className="source__action" onClick={onReload} disabled={live.status === "loading"}>
          Reload
        </button>
      </div>
    );
  }
  if (initial.kind === "page") {
    return (
      <div className="source" data-source="bootstrap">
        <p>
          Shown with the bootstrap admin token (<code>BAZAAR_ADMIN_TOKEN</code>). Sign in as an operator to use your own account.
        </p>
        <button type="button" className="source__action" onClick={signIn}>
          Sign in
        </button>
      </div>
    );
  }
  if (initial.kind === "none") {
    return (
      <Notice title="Sign in to see the tenants">
        <p>The tenant list is for platform operators (realm <code>platform</code>).</p>
        <p>
          <button type="button" className="source__action" onClick={signIn}>
            Sign in
          </button>
        </p>
      </Notice>
    );
  }
  return null;
}

function ServerProblem({ initial }: { initial: InitialTenants }) {
  if (initial.kind === "refused") {
    return (
      <Notice title="The gateway refused the operator token" tone="warning">
        <p>
          Check <code>BAZAAR_ADMIN_TOKEN</code>: it must be an operator token, or sign in as an operator. ({initial.message})
        </p>
      </Notice>
    );
  }
  if (initial.kind === "unreachable") {
    return (
      <Notice title="Can't reach the Bazaar gateway" tone="danger">
        <p>
          The admin couldn&rsquo;t load tenants from <code>{initial.gatewayUrl}</code>. Is the platform running (<code>pnpm start</code>)?
        </p>
        <p className="muted small">{initial.message}</p>
      </Notice>
    );
  }
  return null;
}

function TenantTable({ page }: { page: Page<PlatformTenant> }) {
  const count = (s: TenantStatus) => page.items.filter((t) => t.status === s).length;
  return (
    <>
      <div className="stats">
        <Stat label="Tenants" value={page.items.length} />
        <Stat label="Active" value={count("active")} />
        <Stat label="Provisioning" value={count("provisioning")} />
        <Stat label="Failed" value={count("failed")} />
        <Stat label="Suspended" value={count("suspended")} />
      </div>

      {page.items.length === 0 ? (
        <Notice title="No tenants yet">
          <p>
            Create one with <code>POST /api/v1/platform/tenants</code>.
          </p>
        </Notice>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Store</th>
                <th>Status</th>
                <th>Plan</th>
                <th>Currency</th>
                <th>Services</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((t) => (
                <TenantRow key={t.id} tenant={t} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page.nextCursor ? (
        <p className="pager">
          <a href={`/?cursor=${encodeURIComponent(page.nextCursor)}`}>Next page →</a>
        </p>
      ) : null}
    </>
  );
}

function TenantRow({ tenant: t }: { tenant: PlatformTenant }) {
  return (
    <tr>
      <td>
        <div className="tenant-name">{t.name}</div>
        <div className="muted small">
          <code>{t.slug}</code> · {t.ownerEmail}
        </div>
      </td>
      <td>
        <Badge tone={TENANT_TONE[t.status] ?? "neutral"}>{t.status}</Badge>
      </td>
      <td className="capitalize">{t.plan}</td>
      <td>{t.currency}</td>
      <td>
        <div className="services">
          {t.services.map((s) => (
            <Badge key={s.service} tone={SERVICE_TONE[s.status] ?? "neutral"} title={serviceTitle(s)}>
              {s.service}
            </Badge>
          ))}
        </div>
        {t.services
          .filter((s) => s.status === "failed")
          .map((s) => (
            <p key={s.service} className="service-error">
              {s.service}: {s.error ?? "failed"} ({s.attempts} attempt{s.attempts === 1 ? "" : "s"})
            </p>
          ))}
      </td>
    </tr>
  );
}

// Rendered on the server and again in the browser: formats must not depend on either's time zone.
const DATE = new Intl.DateTimeFormat("en-GB", { dateStyle: "short", timeStyle: "medium", timeZone: "UTC" });
const TIME = new Intl.DateTimeFormat("en-GB", { timeStyle: "medium" });
const clock = (ms: number) => TIME.format(ms);

function serviceTitle(s: ServiceProvisioning): string {
  const tries = `${s.attempts} attempt${s.attempts === 1 ? "" : "s"}`;
  return `${s.service}: ${s.status} (${tries}, ${DATE.format(new Date(s.updatedAt))} UTC)${s.error ? ` — ${s.error}` : ""}`;
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="stat">
      <div className="stat__value">{value}</div>
      <div className="stat__label">{label}</div>
    </div>
  );
}
