import { execFileSync } from "node:child_process";
import { createECDH, createPublicKey, randomBytes, verify } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import ece from "http_ece";
import { startFake, type FakeRequest } from "./fake-server.ts";

/**
 * A browser's side of Web Push for tests: a P-256 key pair and auth secret (what `pushManager.subscribe`
 * makes) and a local push endpoint that records what arrives. `decrypt` opens a payload as the
 * browser would (RFC 8291, aes128gcm); `vapidValid` checks the VAPID JWT against a public key.
 */
export async function startPushEndpoint(answer: (req: FakeRequest) => number = () => 201) {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const auth = randomBytes(16);
  const tls = selfSignedCert();
  const fake = await startFake((req) => ({ status: answer(req) }), tls);
  const endpoint = `${fake.url}/push/${randomBytes(8).toString("hex")}`;
  return {
    ...fake,
    /** An HTTPS agent trusting this endpoint's certificate (push services speak HTTPS only). */
    agent: new Agent({ ca: tls.cert }),
    subscription: { endpoint, keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: auth.toString("base64url") } },
    decrypt(req: FakeRequest): string {
      return (ece.decrypt(req.raw, { version: "aes128gcm", privateKey: ecdh, authSecret: auth.toString("base64url") }) as Buffer).toString("utf8");
    },
    vapidValid(req: FakeRequest, publicKey: string): boolean {
      const m = /^vapid t=([^,]+), k=(.+)$/.exec(String(req.headers.authorization ?? ""));
      if (!m || m[2] !== publicKey) return false;
      const [h, p, s] = m[1]!.split(".");
      const raw = Buffer.from(publicKey, "base64url");
      const key = createPublicKey({ key: { kty: "EC", crv: "P-256", x: raw.subarray(1, 33).toString("base64url"), y: raw.subarray(33).toString("base64url") }, format: "jwk" });
      const claims = JSON.parse(Buffer.from(p!, "base64url").toString()) as { aud: string };
      const ok = verify("sha256", Buffer.from(`${h}.${p}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(s!, "base64url"));
      return ok && claims.aud === new URL(endpoint).origin;
    },
  };
}

/** A throw-away certificate for 127.0.0.1 (the openssl CLI, present on Debian and in CI). */
function selfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "push-tls-"));
  try {
    const key = path.join(dir, "key.pem");
    const cert = path.join(dir, "cert.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1", "-keyout", key, "-out", cert], { stdio: "ignore" });
    return { key: readFileSync(key, "utf8"), cert: readFileSync(cert, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
