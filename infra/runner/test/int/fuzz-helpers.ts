import { createHmac } from "node:crypto";
import fc from "fast-check";

/**
 * Generators for the API fuzz suite (fuzz.int.test.ts): hostile JSON values, near-valid bodies,
 * malformed raw bodies, query strings, path parameters and header values. Every generated request is
 * a plain `FuzzRequest` so fast-check prints a counterexample that can be replayed by hand.
 */

/** A JSON token written verbatim (`1e400`, `-0`, ...): values `JSON.stringify` cannot produce. */
export class RawJson {
  constructor(readonly text: string) {}
  [fc.toStringMethod](): string {
    return `raw(${this.text})`;
  }
}

/** JSON.stringify that keeps RawJson tokens as written. */
export function toJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export type FuzzBody =
  | { kind: "json"; value: unknown }
  | { kind: "text"; text: string }
  | { kind: "bytes"; bytes: Uint8Array }
  /** `{"name":"xxx..."}` of this many characters in all (kept short in counterexamples). */
  | { kind: "oversized"; length: number };

export interface FuzzRequest {
  method: string;
  /** Path with its parameters substituted (already encoded or deliberately raw). */
  path: string;
  /** "" or "?..." */
  query: string;
  /** Headers to send; `undefined` leaves the header out. */
  headers: Record<string, string | undefined>;
  body?: FuzzBody | undefined;
}

export function bodyText(body: FuzzBody): string {
  if (body.kind === "json") return toJson(body.value);
  if (body.kind === "text") return body.text;
  if (body.kind === "oversized") return `{"name":"${"x".repeat(Math.max(0, body.length - 11))}"}`;
  return Buffer.from(body.bytes).toString("latin1");
}

/** The bytes a body goes out as. */
export function bodyBytes(body: FuzzBody): Uint8Array {
  return body.kind === "bytes" ? body.bytes : new TextEncoder().encode(bodyText(body));
}

/** The test payment gateway's webhook signature (hex HMAC-SHA256, the default secret `test`) of these bytes. */
export function testSignature(bytes: Uint8Array, secret = "test"): string {
  return createHmac("sha256", secret).update(bytes).digest("hex");
}

/** The request as a Fetch init: no content-type header means the body goes out as bytes (fetch adds none). */
export function toInit(req: FuzzRequest): RequestInit {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, v);
  const init: RequestInit = { method: req.method, headers };
  if (req.body && req.method !== "GET" && req.method !== "HEAD") init.body = bodyBytes(req.body);
  return init;
}

/** One line per request, bodies cut, for failure messages. */
export function describeRequest(req: FuzzRequest): string {
  const url = `${req.path}${req.query}`;
  const headers = Object.entries(req.headers)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join(", ");
  const body = req.body ? bodyText(req.body) : "";
  const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}... (${s.length} chars)` : s);
  return `${req.method} ${cut(url, 400)} [${headers}]${body ? ` body=${JSON.stringify(cut(body, 400))}` : ""}`;
}

// ---------------------------------------------------------------------------------------------------
// Values

/**
 * encodeURIComponent for any string: a lone surrogate (which it refuses) goes out as the bytes
 * WTF-8 would give it (%ED%A0%80), an invalid UTF-8 sequence the server has to cope with.
 */
export function encode(s: string): string {
  return s.replace(/[\ud800-\udbff][\udc00-\udfff]|[\s\S]/g, (ch) => {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff) return `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 0x3f)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}`.toUpperCase();
    return encodeURIComponent(ch);
  });
}

const long = (min: number, max: number) =>
  fc
    .tuple(fc.string({ unit: "binary", minLength: 1, maxLength: 4 }), fc.integer({ min, max }))
    .map(([s, n]) => s.repeat(Math.ceil(n / s.length)).slice(0, n));

const NASTY_STRINGS = [
  "",
  " ",
  "   \t\n ",
  "\u0000",
  "a\u0000b",
  "'",
  '"',
  "`",
  "\\",
  "'; drop table products; --",
  "\" or \"1\"=\"1",
  "${7*7}",
  "{{7*7}}",
  "<script>alert(1)</script>",
  "NaN",
  "Infinity",
  "-Infinity",
  "-0",
  "1e308",
  "null",
  "undefined",
  "true",
  "[]",
  "{}",
  "ａｃｍｅ",
  "\ud800",
  "\udfff\ud800",
  "🙂",
  "\u202eevil",
  "\u200b",
  "\ufeff",
  "../../etc/passwd",
  "%00",
  "%s%s%s%n",
  "\r\nset-cookie: x=1",
  "ten_00000000000000000000000000",
  "prod_00000000000000000000000000",
];

/** Strings of every kind: binary units (lone surrogates, NUL, controls), graphemes, hostile constants, long ones up to 20k. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 1, arbitrary: long(100, 20_000) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }).map((x) => `${x}\u0000${x}`) },
);

/** Numbers, including what JSON.stringify cannot write (1e400 parses to Infinity, -0 stays -0). */
export const nastyNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(1e308, -1e308, -0, 0, 1, -1, 0.5, 19.99, 0.1 + 0.2, 5e-324, 2 ** 31, 2 ** 53, 2 ** 53 + 2, 1e21, 10_000_000_000, 10_000_000_001, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom("1999", "NaN", "Infinity", "-0", "1e308", "0x10", " 1 ", "19.99").map((s) => s),
  fc.constantFrom("1e400", "-1e400", "1e-400", "-0", "-0.0", "1.0", "1E2", "100000000000000000000000000000", "0.00000000000000000000001", "1999.0000000000000001").map((t) => new RawJson(t)),
);

/** Any value a field could be replaced with. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 3, arbitrary: nastyNumber },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
  { weight: 1, arbitrary: fc.array(nastyString, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), nastyString, { maxKeys: 3 }) },
);

const DANGEROUS_KEYS = ["__proto__", "constructor", "prototype", "id", "tenantId", "tenant_id", "createdAt", "priceAmount", "price_amount", "databaseUrl", "status", "roles", "$where", ""];

// ---------------------------------------------------------------------------------------------------
// Bodies

export interface BodyModel {
  /** A valid body. */
  base: Record<string, unknown>;
  /** Fields the schema knows beyond `base`, each with a valid value. */
  optional?: Record<string, unknown>;
  /** Per field: values that are valid elsewhere or almost valid (enum neighbours, format edge cases). */
  alternates?: Record<string, fc.Arbitrary<unknown>>;
}

type Op = { op: "set"; key: string; value: unknown } | { op: "delete"; key: string } | { op: "extra"; key: string; value: unknown };

/** The valid body with one to three edits: a field replaced by an arbitrary value, deleted, or extra fields added. */
export function nearValid(model: BodyModel): fc.Arbitrary<Record<string, unknown>> {
  const fields = [...Object.keys(model.base), ...Object.keys(model.optional ?? {})];
  const valueFor = (key: string) => (model.alternates?.[key] ? fc.oneof(model.alternates[key], nastyValue) : nastyValue);
  const setOp: fc.Arbitrary<Op> = fc.constantFrom(...fields).chain((key) => valueFor(key).map((value): Op => ({ op: "set", key, value })));
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 5, arbitrary: setOp },
    { weight: 1, arbitrary: fc.constantFrom(...fields).map((key): Op => ({ op: "delete", key })) },
    { weight: 1, arbitrary: fc.constantFrom(...Object.keys(model.optional ?? {}), ...fields).map((key): Op => ({ op: "set", key, value: { ...model.base, ...model.optional }[key] })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.oneof(fc.constantFrom(...DANGEROUS_KEYS), fc.string({ unit: "binary", maxLength: 12 })), fc.oneof(nastyValue, fc.jsonValue({ maxDepth: 2 })))
        .map(([key, value]): Op => ({ op: "extra", key, value })),
    },
  );
  return fc.array(op, { minLength: 1, maxLength: 3 }).map((ops) => {
    const out: Record<string, unknown> = { ...model.base };
    for (const o of ops) {
      if (o.op === "delete") delete out[o.key];
      // defineProperty: an own "__proto__" key, as JSON.parse would make it
      else Object.defineProperty(out, o.key, { value: o.value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  });
}

/** Raw bodies that are not a JSON document (or are not the document the route wants). */
export function malformedText(model: BodyModel | undefined): fc.Arbitrary<string> {
  const valid = toJson(model?.base ?? {});
  return fc.oneof(
    fc.string({ unit: "binary", maxLength: 60 }),
    fc.integer({ min: 0, max: Math.max(0, valid.length - 1) }).map((n) => valid.slice(0, n)),
    fc.constantFrom(
      "",
      " ",
      "null",
      "[]",
      "true",
      "0",
      '"a string"',
      "{",
      "}",
      "{]",
      "{'single': 'quotes'}",
      '{"a":1,}',
      "[1,2,]",
      '{"a":NaN}',
      '{"a":Infinity}',
      '{"a":undefined}',
      "{\"a\":\"\\uD800\"}",
      "{\"a\":\"\\u0000\"}",
      '{"a":"\\x41"}',
      "\ufeff" + valid,
      valid + valid,
      valid + "x",
      valid.replace("{", "{\"price\":\"1\","),
      valid.replace("{", `{"__proto__":{"polluted":true},`),
      // duplicate keys: the last one wins in JSON.parse
      valid.replace(/}$/, ',"name":null}'),
      "name=x&price=1",
      "--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nx\r\n--x--\r\n",
    ),
    fc.integer({ min: 1, max: 20_000 }).map((n) => "[".repeat(n) + "]".repeat(n)),
    fc.integer({ min: 1, max: 20_000 }).map((n) => '{"a":'.repeat(n) + "1" + "}".repeat(n)),
  );
}

const CONTENT_TYPES = [
  "application/json; charset=utf-8",
  "APPLICATION/JSON",
  "application/json;charset=utf-16le",
  "application/problem+json",
  "application/vnd.api+json",
  "application/merge-patch+json",
  "text/plain",
  "text/json",
  "application/x-www-form-urlencoded",
  "multipart/form-data",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
  "",
  "json",
  "application/json, text/plain",
];

/** Header values a client can send: Latin-1 bytes without NUL, CR and LF. */
export const latin1 = (maxLength: number) =>
  fc.string({
    unit: fc
      .integer({ min: 1, max: 255 })
      .filter((c) => c !== 10 && c !== 13)
      .map((c) => String.fromCharCode(c)),
    maxLength,
  });

export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 10, arbitrary: fc.constant("application/json") },
  { weight: 3, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: latin1(40) },
);

/** Everything a route with (or without) a JSON body may be sent. */
export function bodyArb(model: BodyModel | undefined): fc.Arbitrary<{ body: FuzzBody | undefined; contentType: string | undefined }> {
  const json = (arb: fc.Arbitrary<unknown>) => arb.map((value): FuzzBody => ({ kind: "json", value }));
  const body: fc.Arbitrary<FuzzBody | undefined> = fc.oneof(
    ...(model ? [{ weight: 4, arbitrary: json(fc.constant(model.base)) }, { weight: 32, arbitrary: json(nearValid(model)) }] : []),
    { weight: 12, arbitrary: json(fc.jsonValue()) },
    { weight: 12, arbitrary: malformedText(model).map((text): FuzzBody => ({ kind: "text", text })) },
    { weight: 4, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes): FuzzBody => ({ kind: "bytes", bytes })) },
    // Over the gateway's 1 MiB body limit (rare: each costs a megabyte).
    { weight: 1, arbitrary: fc.integer({ min: 1_048_577, max: 1_100_000 }).map((length): FuzzBody => ({ kind: "oversized", length })) },
    { weight: 4, arbitrary: fc.constant(undefined) },
  );
  return fc.record({ body, contentType });
}

// ---------------------------------------------------------------------------------------------------
// Query strings

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url");

export function cursorArb(realIds: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...realIds.map(b64)),
    fc.stringMatching(/^prod_[0-9a-z]{26}$/).map(b64),
    fc.stringMatching(/^ten_[0-9a-z]{26}$/).map(b64),
    fc.constantFrom("prod_", "ten_", "prod_../../x", "ten_' or 1=1 --", "prod_\u0000", "prod_" + "z".repeat(26) + "\n").map(b64),
    fc.string({ unit: "binary", maxLength: 60 }).map(b64),
    fc.string({ unit: "binary", maxLength: 60 }),
    fc.base64String({ maxLength: 300 }),
    long(190, 400),
  );
}

const LIMITS = ["0", "1", "20", "100", "101", "-1", "-0", "1.5", "1e2", "1e308", "0x10", "0b11", " 5", "5 ", "+5", "Infinity", "NaN", "", "null", "[]", "9007199254740993"];

const RAW_QUERY = ["%", "%zz", "%00", "cursor=%ED%A0%80", "limit=%ED%A0%80", "%E0%A4%A", "%C0%AF", "limit=%", "limit", "=", "&", "&&&", "==", "limit[]=1", "limit=1&limit=2", "limit=1&limit=100", "cursor=", "cursor", "limit=", "__proto__=x", "constructor=1", "limit=%2B5", "cursor=a%00b", "a=%FF%FE", "+=+", "limit=1;cursor=x"];

export function queryArb(realIds: string[]): fc.Arbitrary<string> {
  const value = fc.oneof(nastyString, fc.constantFrom(...LIMITS));
  const part = fc.oneof(
    { weight: 3, arbitrary: fc.oneof(fc.constantFrom(...LIMITS), value).map((v) => `limit=${encode(v)}`) },
    { weight: 3, arbitrary: fc.oneof(cursorArb(realIds), nastyString).map((v) => `cursor=${encode(v)}`) },
    { weight: 2, arbitrary: fc.tuple(fc.oneof(fc.string({ unit: "binary", maxLength: 12 }), fc.constantFrom("status", "q", "sort", "include", "tenant", "slug", "host")), value).map(([k, v]) => `${encode(k)}=${encode(v)}`) },
    { weight: 2, arbitrary: fc.constantFrom(...RAW_QUERY) },
  );
  return fc.array(part, { maxLength: 4 }).map((parts) => (parts.length ? `?${parts.join("&")}` : ""));
}

// ---------------------------------------------------------------------------------------------------
// Path parameters and X-Tenant

const RAW_PARAMS = ["..", "../..", "%2e%2e", "%2e%2e%2f", "..%2f..%2f", "%2F", "%00", "x%00", "%", "%zz", "%FF", "'", '"', "%27%20OR%201=1--", ";", "~", "%20", "+", ".", "x.json", "%C0%AE%C0%AE", "%E2%80%AE", "%ED%A0%80", "%F0%9F"];

export function paramArb(valid: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...valid) },
    { weight: 3, arbitrary: nastyString.map(encode) },
    { weight: 2, arbitrary: fc.constantFrom(...RAW_PARAMS) },
    { weight: 1, arbitrary: fc.integer({ min: 250, max: 350 }).map((n) => "a".repeat(n)) },
    { weight: 1, arbitrary: fc.stringMatching(/^(ten|prod)_[0-9a-z]{26}$/) },
    { weight: 1, arbitrary: fc.constantFrom(...valid).map((v) => v.toUpperCase()) },
    // Characters that are legal in a path, unencoded.
    { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(..."abc019-_.~%'\"!$&()*+,;=:@[]|^`{}<>\\"), maxLength: 24 }) },
  );
}

const TENANT_HEADERS = ["fuzz-t", "FUZZ-A", "fuzz_a", "fuzz-a,fuzz-t", "fuzz-a;", "fuzz-a\u00a0", "platform", "admin", "internal", "api", "no-such-store", "a".repeat(40), "a".repeat(41), "ab", "a", "-ab", "ab-", "fuzz-a%00", "\u00e4bc", "ｆｕｚｚ-a", "../fuzz-a", "fuzz-a.localhost"];

export function tenantHeaderArb(real: string): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(real) },
    { weight: 3, arbitrary: latin1(60) },
    { weight: 2, arbitrary: fc.constantFrom(...TENANT_HEADERS) },
    { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$/) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** Host names for requests that name no store by X-Tenant. */
export const hostArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom("fuzz-a.localhost", "FUZZ-A.localhost:3000", "localhost", "127.0.0.1", "[::1]", "-x.localhost", "a.b.localhost", "shop.example.com", "x".repeat(300)) },
  { weight: 1, arbitrary: latin1(60) },
);

/** Idempotency-Key values: valid (8-200 printable), too short, too long, spaces, controls, Latin-1, absent. */
export const idempotencyKeyArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 2, arbitrary: fc.stringMatching(/^[\x21-\x7e]{8,40}$/) },
  { weight: 2, arbitrary: fc.constantFrom("", "short", "1234567", "a b c d e f", "k".repeat(200), "k".repeat(201), "key\twith-tab", "fuzz-key-0001", "fuzz-key-0001 ") },
  { weight: 2, arbitrary: latin1(260) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

// ---------------------------------------------------------------------------------------------------
// Notifications

/** Query strings of the notification lists: `status`, `channel`, `to` (the mailbox), `limit` and `cursor` (prefixed ids, addresses). */
export function listQueryArb(realIds: string[]): fc.Arbitrary<string> {
  const part = fc.oneof(
    fc.oneof(fc.constantFrom("queued", "sent", "failed", "bounced", "dead", "QUEUED", "lost", ""), nastyString).map((v) => `status=${encode(v)}`),
    fc.oneof(fc.constantFrom("email", "sms", "push", "fax", "EMAIL", ""), nastyString).map((v) => `channel=${encode(v)}`),
    fc.oneof(fc.constantFrom("shopper@fuzz-a.test", "SHOPPER@FUZZ-A.TEST", "x".repeat(321), "%", "_", "' or 1=1 --"), nastyString).map((v) => `to=${encode(v)}`),
    fc.oneof(fc.constantFrom(...realIds), fc.stringMatching(/^(dlv|mbx)_[0-9a-z]{26}$/), nastyString).map((v) => `cursor=${encode(v)}`),
    fc.constantFrom(...LIMITS).map((v) => `limit=${encode(v)}`),
  );
  return fc.array(part, { maxLength: 4 }).map((parts) => (parts.length ? `?${parts.join("&")}` : ""));
}

/**
 * `?token=` of unsubscribe links: the store's real token (first), another store's (second), each with
 * one character changed, cut, doubled or re-cased; hostile strings; the key repeated or misspelt.
 */
export function tokenQueryArb(tokens: [string, ...string[]]): fc.Arbitrary<string> {
  const real = fc.constantFrom(...tokens);
  const edited = fc.tuple(real, fc.nat(), fc.constantFrom(..."Aa0_-.=")).map(([t, i, ch]) => {
    const at = i % t.length;
    return `${t.slice(0, at)}${ch === t[at] ? "B" : ch}${t.slice(at + 1)}`;
  });
  const value = fc.oneof(
    { weight: 3, arbitrary: real },
    { weight: 3, arbitrary: edited },
    { weight: 2, arbitrary: real.chain((t) => fc.constantFrom(t.split(".")[0]!, `${t.split(".")[0]!}.`, `.${t.split(".")[1] ?? ""}`, `${t}.x`, `${t}${t}`, t.toUpperCase(), t.slice(0, -1), `${t} `, "a.b", ".", "")) },
    { weight: 2, arbitrary: nastyString },
    { weight: 1, arbitrary: long(1990, 2100) },
  );
  return fc.oneof(
    { weight: 6, arbitrary: value.map((v) => `?token=${encode(v)}`) },
    { weight: 1, arbitrary: fc.tuple(real, value).map(([t, v]) => `?token=${encode(v)}&token=${t}`) },
    { weight: 1, arbitrary: real.chain((t) => fc.constantFrom(`?token[]=${t}`, `?TOKEN=${t}`, `?token=${t}&limit=1`, `?token=${t}%00`, `?token=${t}#x`, `?token`, `?token=`)) },
  );
}
