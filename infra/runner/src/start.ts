import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { databaseUrlWithName, startEmbeddedPostgres, type EmbeddedServer } from "@bazaar/service-kit/db";
import { serveApp, type RunningServer } from "@bazaar/service-kit/http";
import { createLogger } from "@bazaar/service-kit/logging";
import { createBus } from "@bazaar/service-kit/service/main";
import { Redis } from "ioredis";
import RedisMock from "ioredis-mock";
import { perMinuteRules } from "@bazaar/gateway/rate-limit";
import { ensureBuilt, startApp, waitForHttp, waitForReady } from "./apps.ts";
import { loadRunnerConfig } from "./config.ts";
import { createPlatform, type Platform } from "./platform.ts";
import { DEMO_OPERATOR, DEMO_STORES, seedDemo } from "./seed.ts";
import { createServiceClient, type ServiceTarget } from "@bazaar/service-kit/clients";
import { createService as createNotification, type NotificationDeps } from "@bazaar/notification";
import { databaseName, SERVICES } from "./topology.ts";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * `pnpm start`: the whole platform. Embedded profile unless DATABASE_URL / KAFKA_BROKERS are set;
 * `--processes` runs each service as its own process (the production topology).
 */
export async function start(args: string[]): Promise<void> {
  const t0 = performance.now();
  const config = loadRunnerConfig(process.env);
  const processes = args.includes("--processes");
  const logger = createLogger({ service: "platform", level: config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL });
  const say = (s: string) => process.stdout.write(`[bazaar] ${s}\n`);
  const dataDir = path.resolve(ROOT, config.BAZAAR_DATA_DIR);

  const cleanups: (() => Promise<void>)[] = [];
  let stopping = false;
  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    say("stopping...");
    for (const c of cleanups.reverse()) await c().catch((err) => say(`shutdown step failed: ${(err as Error).message}`));
    say("stopped.");
    process.exit(code);
  };
  // Ctrl-C reaches both tsx and this process (tsx relays it too): a repeat while stopping must not
  // kill the process half-way through a clean shutdown.
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());

  try {
    let serverUrl = config.DATABASE_URL;
    let pg: EmbeddedServer | undefined;
    if (!serverUrl) {
      fs.mkdirSync(dataDir, { recursive: true });
      pg = await startEmbeddedPostgres({ dir: path.join(dataDir, "pg"), port: config.EMBEDDED_PG_PORT });
      serverUrl = pg.url;
      cleanups.push(() => pg!.stop());
      say(`embedded Postgres on 127.0.0.1:${pg.port} (data in ${path.relative(ROOT, dataDir)}/pg)`);
    } else say("Postgres from DATABASE_URL");

    const apps = config.BAZAAR_APPS === "true";
    if (apps) for (const app of ["storefront", "admin"]) ensureBuilt(ROOT, app, say);

    const gatewayUrl = `http://127.0.0.1:${config.GATEWAY_PORT}`;
    let identityTarget: ServiceTarget = { baseUrl: `http://127.0.0.1:${SERVICES.find((s) => s.name === "identity")!.port}` };
    if (processes) {
      const children = startServiceProcesses(serverUrl, config, say, () => stopping);
      cleanups.push(() => stopChildren(children));
    } else {
      const bus = createBus({ brokers: config.KAFKA_BROKERS, clientId: "bazaar", createTopics: config.KAFKA_CREATE_TOPICS, logger });
      cleanups.push(() => bus.close());
      const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2 }) : new RedisMock();
      cleanups.push(async () => void redis.disconnect());
      // Providers for notifications (SMTP_URL, SENDGRID_API_KEY, TWILIO_*, NOTIFICATION_WEB_PUSH): the
      // service then sends for real; without any, every channel lands in the dev mailbox.
      const inProcess: { platform?: Platform } = {};
      const sibling = (name: string): ServiceTarget => ({ app: { fetch: (req: Request) => inProcess.platform!.services[name]!.app.fetch(req) } });
      const notify = notificationEnv(process.env);
      const platform: Platform = await createPlatform({
        ...(notify ? { override: { notification: (deps) => createNotification({ ...deps, ...notify, order: sibling("order"), tenant: sibling("tenant") }) } } : {}),
        serverUrl,
        bus,
        publicUrl: config.PUBLIC_URL,
        corsOrigins: [`http://127.0.0.1:${config.ADMIN_PORT}`],
        storefrontPort: config.STOREFRONT_PORT,
        adminPort: config.ADMIN_PORT,
        ...(config.KEYCLOAK_URL ? { keycloakUrl: config.KEYCLOAK_URL } : {}),
        ...(config.KEYCLOAK_ADMIN_PASSWORD ? { keycloakAdmin: { user: config.KEYCLOAK_ADMIN_USER, password: config.KEYCLOAK_ADMIN_PASSWORD } } : {}),
        redis,
        rateLimit: {
          redis,
          rules: perMinuteRules({ ip: config.RATE_LIMIT_IP_PER_MIN, token: config.RATE_LIMIT_TOKEN_PER_MIN, store: config.RATE_LIMIT_STORE_PER_MIN }),
        },
        logger,
        secret: config.INTERNAL_SECRET,
        adminToken: config.BAZAAR_ADMIN_TOKEN,
        storeDomain: config.STORE_DOMAIN,
      });
      inProcess.platform = platform;
      await platform.start();
      cleanups.push(() => platform.stop());
      identityTarget = { app: platform.services.identity!.app };
      const server: RunningServer = await serveApp(platform.gateway.app.fetch, { port: config.GATEWAY_PORT, hostname: "127.0.0.1" });
      cleanups.push(() => server.close(config.SHUTDOWN_TIMEOUT_MS));
      say(`events: ${bus.kind === "kafka" ? `Kafka at ${config.KAFKA_BROKERS}` : "in-process bus"}; carts and rate limits: ${config.REDIS_URL ? "Redis at REDIS_URL" : "in-process Redis emulation"}`);
    }
    await waitForHttp(`${gatewayUrl}/health`);
    if (processes) await Promise.all(SERVICES.map((s) => waitForReady(`http://127.0.0.1:${s.name === "gateway" ? config.GATEWAY_PORT : s.port}/ready`)));

    if (config.BAZAAR_SEED === "true") {
      const identity = createServiceClient({ service: "identity", target: identityTarget, secret: config.INTERNAL_SECRET });
      const { created } = await seedDemo(gatewayUrl, config.BAZAAR_ADMIN_TOKEN, identity);
      say(created.length ? `seeded demo stores: ${created.join(", ")}` : "demo stores already seeded");
    }

    if (apps) {
      const env = {
        BAZAAR_GATEWAY_URL: gatewayUrl,
        BAZAAR_PUBLIC_URL: config.PUBLIC_URL,
        BAZAAR_ADMIN_TOKEN: config.BAZAAR_ADMIN_TOKEN,
        BAZAAR_STORE_BASE_DOMAIN: config.STORE_DOMAIN,
      };
      const exited = (app: string) => (code: number | null) => {
        if (!stopping) say(`${app} exited unexpectedly (${code}); the API keeps running`);
      };
      const sf = startApp(ROOT, "storefront", config.STOREFRONT_PORT, env, exited("storefront"));
      const ad = startApp(ROOT, "admin", config.ADMIN_PORT, env, exited("admin"));
      cleanups.push(() => stopChildren([sf, ad]));
      await Promise.all([waitForHttp(`http://127.0.0.1:${config.STOREFRONT_PORT}/`), waitForHttp(`http://127.0.0.1:${config.ADMIN_PORT}/`)]);
    }

    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    const lines = [
      "",
      `Bazaar is running (${processes ? "one process per service" : "all services in one process"}; ready in ${secs} s)`,
      "",
      `  API gateway     ${gatewayUrl}      (docs: ${gatewayUrl}/docs)`,
      ...(apps
        ? [
            ...DEMO_STORES.map((s) => `  ${s.name.padEnd(15)} http://${s.slug}.${config.STORE_DOMAIN}:${config.STOREFRONT_PORT}`),
            `  Admin console   http://localhost:${config.ADMIN_PORT}`,
          ]
        : []),
      "",
      "  Logins (OIDC password grant or the login page; realm = store slug, operators use `platform`):",
      `    operator (realm platform)   ${DEMO_OPERATOR.email} / ${DEMO_OPERATOR.password}`,
      ...DEMO_STORES.flatMap((s) => s.accounts.map((a) => `    ${`${s.slug} ${a.roles[0]}`.padEnd(27)} ${a.email} / ${a.password}`)),
      `    bootstrap admin token        ${config.BAZAAR_ADMIN_TOKEN}   (acts as operator and owner; unset it in production)`,
      "",
      `  curl -d grant_type=password -d client_id=admin -d username=owner@acme.test -d password=acme-owner-pass \\`,
      `       ${config.PUBLIC_URL}/auth/realms/acme/protocol/openid-connect/token`,
      `  curl -H 'X-Tenant: acme' ${gatewayUrl}/api/v1/products`,
      "",
      ...(Object.keys(notificationEnv(process.env)?.transports ?? {}).length
        ? ["  Notifications go out through the providers set in the environment (SMTP_URL, SENDGRID_API_KEY, TWILIO_*).", ""]
        : [
            "  Dev mailbox (every email, SMS and push while no SMTP/SendGrid/Twilio is configured; order confirmations land here):",
            `  curl -H 'X-Tenant: acme' -H 'Authorization: Bearer ${config.BAZAAR_ADMIN_TOKEN}' ${gatewayUrl}/api/v1/admin/mailbox`,
            "",
          ]),
      `Ctrl-C stops everything; data stays in ${config.BAZAAR_DATA_DIR}/ (pnpm reset wipes it).`,
      "",
    ];
    process.stdout.write(lines.join("\n"));
  } catch (err) {
    say(`failed to start: ${(err as Error).stack ?? err}`);
    await stop(1);
  }
}

function startServiceProcesses(serverUrl: string, config: ReturnType<typeof loadRunnerConfig>, say: (s: string) => void, stopping: () => boolean): ChildProcess[] {
  const urls = SERVICES.map((s) => `${s.name}=http://127.0.0.1:${s.port}`).join(",");
  return SERVICES.map((s) => {
    const entry = path.join(ROOT, "services", s.name, "src", "main.ts");
    const child = spawn(process.execPath, ["--import", "tsx", entry], {
      cwd: path.join(ROOT, "services", s.name),
      stdio: ["ignore", "inherit", "inherit"],
      env: {
        ...process.env,
        PORT: String(s.name === "gateway" ? config.GATEWAY_PORT : s.port),
        DATABASE_URL: databaseUrlWithName(serverUrl, databaseName(s.name)),
        SERVICE_URLS: urls,
        INTERNAL_SECRET: config.INTERNAL_SECRET,
        BAZAAR_ADMIN_TOKEN: config.BAZAAR_ADMIN_TOKEN,
        STORE_DOMAIN: config.STORE_DOMAIN,
        PUBLIC_URL: config.PUBLIC_URL,
        STOREFRONT_ORIGINS: `http://{slug}.${config.STORE_DOMAIN}:${config.STOREFRONT_PORT}`,
        ADMIN_ORIGINS: `http://localhost:${config.ADMIN_PORT},http://127.0.0.1:${config.ADMIN_PORT}`,
        LOG_LEVEL: config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL,
      },
    });
    child.on("exit", (code, sig) => {
      if (!stopping()) say(`${s.name} exited unexpectedly (${code ?? sig})`);
    });
    return child;
  });
}

async function stopChildren(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          const t = setTimeout(() => c.kill("SIGKILL"), 10_000);
          c.once("exit", () => {
            clearTimeout(t);
            resolve();
          });
          c.kill("SIGTERM");
        }),
    ),
  );
}

/** The notification providers and secrets key named in the environment, or undefined when none is (the dev mailbox, a derived key). */
function notificationEnv(env: NodeJS.ProcessEnv): Pick<NotificationDeps, "transports" | "secretsKey"> | undefined {
  const twilio = env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM ? { accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, from: env.TWILIO_FROM } : undefined;
  const transports = {
    ...(env.SMTP_URL ? { smtpUrl: env.SMTP_URL } : {}),
    ...(env.SENDGRID_API_KEY ? { sendgridApiKey: env.SENDGRID_API_KEY } : {}),
    ...(twilio ? { twilio } : {}),
    ...(env.NOTIFICATION_WEB_PUSH === "true" ? { webPush: true } : {}),
  };
  if (Object.keys(transports).length === 0 && !env.NOTIFICATION_SECRETS_KEY) return undefined;
  return { transports, ...(env.NOTIFICATION_SECRETS_KEY ? { secretsKey: env.NOTIFICATION_SECRETS_KEY } : {}) };
}
