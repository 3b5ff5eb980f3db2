import {
  SIGNATURE_SKEW_MS,
  verifyDeviceProof,
} from "../../../gateway/auth/device_signature_verify.ts";
import { encodeBase64Url } from "../../../gateway/protocol/base64url.ts";
import { ConnectRefused } from "../../../gateway/protocol/errors.ts";
import type { ConnectParams } from "../../../gateway/protocol/types.ts";
import { assert, assertEquals } from "../../_helpers.ts";

const NOW = 1_700_000_000_000;
const NONCE = "0b7c5f4e-8a1d-4e3b-9f2a-7c6d5e4f3a2b";

async function hexSha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Signs `message` by hand: the test vector does not use the product's builder. */
async function vector(fields: {
  scopes?: string[];
  token?: string;
  nonce?: string | null;
  signedAt?: number;
  message?: (id: string) => string;
}) {
  const keys = await crypto.subtle.generateKey("Ed25519", true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const raw = new Uint8Array(
    await crypto.subtle.exportKey("raw", keys.publicKey),
  );
  const id = await hexSha256(raw);
  const scopes = fields.scopes ?? ["operator.read", "operator.write"];
  const signedAt = fields.signedAt ?? NOW;
  const nonce = fields.nonce === undefined ? NONCE : fields.nonce;
  const message = fields.message?.(id) ??
    (nonce === null
      ? `v1|${id}|cli|cli|operator|${scopes.join(",")}|${signedAt}|${
        fields.token ?? ""
      }`
      : `v2|${id}|cli|cli|operator|${scopes.join(",")}|${signedAt}|${
        fields.token ?? ""
      }|${nonce}`);
  const signature = new Uint8Array(
    await crypto.subtle.sign(
      "Ed25519",
      keys.privateKey,
      new TextEncoder().encode(message),
    ),
  );
  const params: ConnectParams = {
    minProtocol: 3,
    maxProtocol: 3,
    client: { id: "cli", version: "1", platform: "linux", mode: "cli" },
    role: "operator",
    scopes,
    device: {
      id,
      publicKey: encodeBase64Url(raw),
      signature: encodeBase64Url(signature),
      signedAt,
      ...(nonce === null ? {} : { nonce }),
    },
  };
  if (fields.token !== undefined) params.auth = { token: fields.token };
  return { params, raw, signature, id };
}

async function refused(
  params: ConnectParams,
  message: string,
  options: { localDirect?: boolean; nowMs?: number } = {},
) {
  const error = await verifyDeviceProof(params, {
    nonce: NONCE,
    localDirect: options.localDirect ?? false,
    nowMs: options.nowMs ?? NOW,
  }).then(() => null, (e: unknown) => e);
  assert(
    error instanceof ConnectRefused,
    `expected "${message}", got ${error}`,
  );
  assertEquals(
    [error.code, error.message, error.closeCode],
    ["invalid_request", message, 1008],
  );
}

const verify = (params: ConnectParams, localDirect = false, nowMs = NOW) =>
  verifyDeviceProof(params, { nonce: NONCE, localDirect, nowMs });

Deno.test("verifyDeviceProof() accepts a v2 signature built by hand over the exact bytes", async () => {
  const { params, id } = await vector({ token: "tok-1" });
  assertEquals((await verify(params)).deviceId, id);
});

Deno.test("verifyDeviceProof() accepts a v1 signature without nonce only for local-direct", async () => {
  const { params } = await vector({ nonce: null });
  await verify(params, true);
  await refused(params, "device nonce required");
});

Deno.test("verifyDeviceProof() accepts standard base64 with padding for key and signature", async () => {
  const { params, raw, signature } = await vector({});
  const std = (b: Uint8Array) => btoa(String.fromCharCode(...b));
  params.device = {
    ...params.device!,
    publicKey: std(raw),
    signature: std(signature),
  };
  const verified = await verify(params);
  assertEquals(verified.publicKey, encodeBase64Url(raw));
});

Deno.test("verifyDeviceProof() refuses a tampered field of the signed string with device signature invalid", async () => {
  const tamper: [string, (p: ConnectParams) => void][] = [
    ["client.id", (p) => void (p.client = { ...p.client, id: "test" })],
    ["client.mode", (p) => void (p.client = { ...p.client, mode: "ui" })],
    ["role", (p) => void (p.role = "node")],
    ["scopes", (p) => void (p.scopes = ["operator.read", "operator.admin"])],
    [
      "scope order",
      (p) => void (p.scopes = ["operator.write", "operator.read"]),
    ],
    ["signedAt", (p) => void (p.device!.signedAt += 1)],
    ["token", (p) => void (p.auth = { token: "tok-2" })],
    ["token removed", (p) => void delete p.auth],
  ];
  for (const [what, change] of tamper) {
    const { params } = await vector({ token: "tok-1" });
    change(params);
    await refused(params, "device signature invalid").catch((e) => {
      throw new Error(`${what}: ${e}`);
    });
  }
});

Deno.test("verifyDeviceProof() ignores the password: it is never signed", async () => {
  const { params } = await vector({});
  params.auth = { password: "pw" };
  await verify(params);
});

Deno.test("verifyDeviceProof() refuses signatures over near-miss strings", async () => {
  const wrong: ((id: string) => string)[] = [
    (id) =>
      `v1|${id}|cli|cli|operator|operator.read,operator.write|${NOW}||${NONCE}`,
    (id) =>
      `v2|${id}|cli|cli|operator|operator.read operator.write|${NOW}||${NONCE}`,
    (id) =>
      `v2|${id}|cli|cli|operator|operator.read,operator.write|${NOW}||${NONCE}|`,
    (id) =>
      `v2|${id.toUpperCase()}|cli|cli|operator|operator.read,operator.write|${NOW}||${NONCE}`,
  ];
  for (const message of wrong) {
    const { params } = await vector({ message });
    await refused(params, "device signature invalid");
  }
});

Deno.test("verifyDeviceProof() refuses bad keys, ids and signature lengths with their messages", async () => {
  const { params, signature } = await vector({});
  const d = params.device!;
  await refused(
    { ...params, device: { ...d, publicKey: "not base64!" } },
    "device public key invalid",
  );
  await refused({
    ...params,
    device: { ...d, publicKey: encodeBase64Url(new Uint8Array(31)) },
  }, "device public key invalid");
  await refused(
    { ...params, device: { ...d, id: "0".repeat(64) } },
    "device identity mismatch",
  );
  await refused(
    { ...params, device: { ...d, id: d.id.toUpperCase() } },
    "device identity mismatch",
  );
  await refused({
    ...params,
    device: { ...d, signature: encodeBase64Url(signature.slice(0, 63)) },
  }, "device signature invalid");
  await refused(
    { ...params, device: { ...d, signature: "%%%" } },
    "device signature invalid",
  );
});

Deno.test("verifyDeviceProof() allows exactly ±600 000 ms of clock skew", async () => {
  const { params } = await vector({});
  await verify(params, false, NOW + SIGNATURE_SKEW_MS);
  await verify(params, false, NOW - SIGNATURE_SKEW_MS);
  await refused(params, "device signature expired", {
    nowMs: NOW + SIGNATURE_SKEW_MS + 1,
  });
  await refused(params, "device signature expired", {
    nowMs: NOW - SIGNATURE_SKEW_MS - 1,
  });
});

Deno.test("verifyDeviceProof() refuses a nonce other than the challenge, even local-direct", async () => {
  const { params } = await vector({ nonce: "another-nonce" });
  await refused(params, "device nonce mismatch");
  await refused(params, "device nonce mismatch", { localDirect: true });
});

Deno.test("DeviceKeyCache reuses the imported key of a public key and stays within its bound", async () => {
  const { DeviceKeyCache } = await import(
    "../../../gateway/auth/device_signature_verify.ts"
  );
  const cache = new DeviceKeyCache(2);
  const raw = async () => {
    const pair = await crypto.subtle.generateKey("Ed25519", true, [
      "sign",
      "verify",
    ]) as CryptoKeyPair;
    return new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey))
      .toBase64({ alphabet: "base64url", omitPadding: true });
  };
  const [a, b, c] = [await raw(), await raw(), await raw()];
  const first = await cache.get(a);
  const again = await cache.get(a);
  assertEquals(first === again, true);
  assertEquals([first?.deviceId.length, first?.publicKey], [64, a]);
  assertEquals(await cache.get("not a key"), null);
  assertEquals(await cache.get("AAAA"), null);
  await cache.get(b);
  await cache.get(c); // evicts a
  assertEquals((await cache.get(a)) === first, false);
});
