import { Badge, Notice, type BadgeTone } from "@bazaar/ui";
import { BazaarApiError, createBazaarClient, type Page, type PlatformTenant, type ServiceProvisioning, type TenantStatus } from "@bazaar/sdk";
import { loadConfig } from "../lib/config";

export const dynamic = "force-dynamic";

const TENANT_TONE: Record<TenantStatus, BadgeTone> = { active: "success", provisioning: "info", failed: "danger", suspended: "warning" };
const SERVICE_TONE: Record<ServiceProvisioning["status"], BadgeTone> = { ready: "success", pending: "info", failed: "danger" };

export default async function Home({ searchParams }: { searchParams: Promise<{ cursor?: string | string[] }> }) {
  const config = loadConfig();
  const { cursor } = await searchParams;
  const api = createBazaarClient({ baseUrl: config.gatewayUrl, token: config.adminToken, timeoutMs: config.gatewayTimeoutMs });

  let page: Page<PlatformTenant>;
  try {
    page = await api.platformTenants({ limit: 100, cursor: typeof cursor === "string" ? cursor : undefined });
  } catch (err) {
    return (
      <main className="page">
        <GatewayError err={err} gatewayUrl={config.gatewayUrl} />
      </main>
    );
  }

  const count = (s: TenantStatus) => page.items.filter((t) => t.status === s).length;
  return (
    <main className="page">
      <div className="page__head">
        <div>
          <h1>Tenants</h1>
          <p className="muted">Every store on the platform and how far its provisioning got, service by service.</p>
        </div>
      </div>

      <div className="stats">
        <Stat label="Tenants" value={page.items.length} />
        <Stat label="Active" value={count("active")} />
        <Stat label="Provisioning" value={count("provisioning")} />
        <Stat label="Failed" value={count("failed")} />
        <Stat label="Suspended" value={count("suspended")} />
      </div>

      {page.items.length === 0 ? (
        <Notice title="No tenants yet">
          <p>Create one with <code>POST /api/v1/platform/tenants</code>.</p>
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
    </main>
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

function serviceTitle(s: ServiceProvisioning): string {
  const tries = `${s.attempts} attempt${s.attempts === 1 ? "" : "s"}`;
  return `${s.service}: ${s.status} (${tries}, ${new Date(s.updatedAt).toLocaleString("en-GB")})${s.error ? ` — ${s.error}` : ""}`;
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="stat">
      <div className="stat__value">{value}</div>
      <div className="stat__label">{label}</div>
    </div>
  );
}

function GatewayError({ err, gatewayUrl }: { err: unknown; gatewayUrl: string }) {
  if (err instanceof BazaarApiError && (err.status === 401 || err.status === 403)) {
    return (
      <Notice title="The gateway refused the operator token" tone="warning">
        <p>
          Check <code>BAZAAR_ADMIN_TOKEN</code>: it must be an operator token. ({err.message})
        </p>
      </Notice>
    );
  }
  return (
    <Notice title="Can't reach the Bazaar gateway" tone="danger">
      <p>
        The admin couldn&rsquo;t load tenants from <code>{gatewayUrl}</code>. Is the platform running (<code>pnpm start</code>)?
      </p>
      <p className="muted small">{err instanceof Error ? err.message : String(err)}</p>
    </Notice>
  );
}
