import { CaraError } from "../../../gateway/errors.ts";
import type { DeviceUpsertInput } from "../../../gateway/state/mod.ts";
import { assertEquals, assertMatch } from "../../_helpers.ts";
import { T0, testDatabase, thrown } from "./_helpers.ts";

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}

async function device(
  overrides: Partial<DeviceUpsertInput> = {},
): Promise<DeviceUpsertInput> {
  const key = await crypto.subtle.generateKey("Ed25519", true, [
    "sign",
  ]) as CryptoKeyPair;
  const raw = new Uint8Array(
    await crypto.subtle.exportKey("raw", key.publicKey),
  );
  return {
    deviceId: await sha256Hex(raw),
    publicKey: btoa(String.fromCharCode(...raw)).replace(/=+$/, ""),
    role: "operator",
    scopes: ["operator.read", "operator.write"],
    displayName: "Laptop",
    platform: "linux",
    clientId: "cli",
    tokenHash: await sha256Hex(new TextEncoder().encode("device-token")),
    ...overrides,
  };
}

Deno.test("DeviceStore.upsert() pairs a new device with every field and the clock time", async () => {
  using t = testDatabase();
  const input = await device();
  const stored = t.state.devices.upsert(input);
  assertEquals(stored, {
    deviceId: input.deviceId,
    publicKey: input.publicKey,
    displayName: "Laptop",
    platform: "linux",
    clientId: "cli",
    role: "operator",
    roles: ["operator"],
    scopes: ["operator.read", "operator.write"],
    tokenHash: input.tokenHash ?? null,
    pairedAt: T0,
    lastSeenAt: null,
    revokedAt: null,
  });
  assertEquals(t.state.devices.get(input.deviceId), stored);
});

Deno.test("DeviceStore.upsert() updates a paired device, keeping pairedAt and omitted fields", async () => {
  using t = testDatabase();
  const input = await device();
  t.state.devices.upsert(input);
  t.time.advance(5000);
  const updated = t.state.devices.upsert({
    deviceId: input.deviceId,
    publicKey: input.publicKey,
    role: "operator",
    scopes: ["operator.admin"],
  });
  assertEquals(updated.pairedAt, T0);
  assertEquals(updated.scopes, ["operator.admin"]);
  assertEquals(updated.displayName, "Laptop");
  assertEquals(updated.tokenHash, input.tokenHash);
  assertEquals(t.state.devices.list().length, 1);
});

Deno.test("DeviceStore.upsert() refuses a different public key for a stored device id", async () => {
  using t = testDatabase();
  const input = await device();
  t.state.devices.upsert(input);
  const other = await device();
  const error = thrown(
    () => t.state.devices.upsert({ ...input, publicKey: other.publicKey }),
    CaraError,
  );
  assertMatch(error.message, /public key differs/);
  assertEquals(t.state.devices.get(input.deviceId)?.publicKey, input.publicKey);
});

Deno.test("DeviceStore.upsert() refuses a token that is not a SHA-256 hex digest", async () => {
  using t = testDatabase();
  const input = await device({ tokenHash: "plain-secret-token" });
  const error = thrown(() => t.state.devices.upsert(input), CaraError);
  assertEquals(error.code, "invalid_request");
  assertEquals(error.message.includes("plain-secret-token"), false);
  assertEquals(t.state.devices.list(), []);
});

Deno.test("DeviceStore.upsert() refuses a malformed id, empty role and oversized fields", async () => {
  using t = testDatabase();
  const base = await device();
  const bad: Partial<DeviceUpsertInput>[] = [
    { deviceId: "ABC" },
    { role: "" },
    { displayName: "x".repeat(257) },
    { scopes: Array.from({ length: 65 }, (_, i) => `s${i}`) },
    { scopes: [""] },
  ];
  for (const overrides of bad) {
    thrown(() => t.state.devices.upsert({ ...base, ...overrides }), CaraError);
  }
  assertEquals(t.state.devices.list({ includeRevoked: true }), []);
});

Deno.test("DeviceStore.revoke() marks the device revoked and forgets its token hash", async () => {
  using t = testDatabase();
  const input = await device();
  t.state.devices.upsert(input);
  t.time.advance(10);
  assertEquals(t.state.devices.revoke(input.deviceId), true);
  assertEquals(t.state.devices.revoke(input.deviceId), false);
  assertEquals(t.state.devices.revoke("0".repeat(64)), false);
  const revoked = t.state.devices.get(input.deviceId);
  assertEquals(revoked?.revokedAt, T0 + 10);
  assertEquals(revoked?.tokenHash, null);
  assertEquals(t.state.devices.list(), []);
  assertEquals(t.state.devices.list({ includeRevoked: true }).length, 1);
});

Deno.test("DeviceStore.upsert() re-pairs a revoked device with a new pairedAt", async () => {
  using t = testDatabase();
  const input = await device();
  t.state.devices.upsert(input);
  t.state.devices.revoke(input.deviceId);
  t.time.advance(60_000);
  const again = t.state.devices.upsert(input);
  assertEquals(again.revokedAt, null);
  assertEquals(again.pairedAt, T0 + 60_000);
  assertEquals(again.tokenHash, input.tokenHash);
});

Deno.test("DeviceStore.touch() records last seen only for active devices", async () => {
  using t = testDatabase();
  const input = await device();
  t.state.devices.upsert(input);
  t.time.advance(99);
  assertEquals(t.state.devices.touch(input.deviceId), true);
  assertEquals(t.state.devices.get(input.deviceId)?.lastSeenAt, T0 + 99);
  t.state.devices.revoke(input.deviceId);
  assertEquals(t.state.devices.touch(input.deviceId), false);
  assertEquals(t.state.devices.touch("f".repeat(64)), false);
});

Deno.test("DeviceStore.list() orders devices by pairing time and get() misses unknown ids", async () => {
  using t = testDatabase();
  const first = await device({ displayName: "first" });
  const second = await device({ displayName: "second" });
  t.state.devices.upsert(first);
  t.time.advance(1);
  t.state.devices.upsert(second);
  assertEquals(t.state.devices.list().map((d) => d.displayName), [
    "first",
    "second",
  ]);
  assertEquals(t.state.devices.get("a".repeat(64)), undefined);
});
