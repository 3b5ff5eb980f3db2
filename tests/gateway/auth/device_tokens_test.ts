import {
  DEVICE_TOKEN_TTL_MS,
  DeviceTokens,
} from "../../../gateway/auth/device_tokens.ts";
import { notDeepEqual as assertNotEquals } from "node:assert/strict";
import { assert, assertEquals } from "../../_helpers.ts";
import { testDatabase } from "../state/_helpers.ts";

const DEVICE = "d".repeat(64);
const READ = { role: "operator", scopes: ["operator.read"] };

function pairedDevice(t: ReturnType<typeof testDatabase>): DeviceTokens {
  t.state.devices.upsert({
    deviceId: DEVICE,
    publicKey: "pk",
    role: "operator",
    scopes: ["operator.read", "operator.write"],
  });
  return new DeviceTokens(t.state, { clock: t.time.clock });
}

function storedTokens(t: ReturnType<typeof testDatabase>): number {
  return Number(
    t.state.db.prepare("SELECT count(*) AS n FROM device_tokens").get()?.n,
  );
}

Deno.test("current() hands a reconnecting device the token it already holds", () => {
  using t = testDatabase();
  const tokens = pairedDevice(t);
  const first = tokens.current(DEVICE, READ);
  t.time.advance(60_000);
  const again = tokens.current(DEVICE, READ);
  assertEquals(again.token, first.token);
  assertEquals(storedTokens(t), 1);
  assert(tokens.verify({ deviceId: DEVICE, ...READ, token: first.token }));
});

Deno.test("current() issues a new token once the held one was revoked", () => {
  using t = testDatabase();
  const tokens = pairedDevice(t);
  const first = tokens.current(DEVICE, READ);
  tokens.revoke(DEVICE, "operator");
  const next = tokens.current(DEVICE, READ);
  assertNotEquals(next.token, first.token);
  assertEquals(
    tokens.verify({ deviceId: DEVICE, ...READ, token: first.token }),
    null,
  );
});

Deno.test("current() never hands out a token deleted behind its back", () => {
  using t = testDatabase();
  const tokens = pairedDevice(t);
  const first = tokens.current(DEVICE, READ);
  // Another process (or a restore) removed it: only the stored hash counts.
  t.state.db.exec("DELETE FROM device_tokens");
  assertNotEquals(tokens.current(DEVICE, READ).token, first.token);
});

Deno.test("current() issues a new token for broader scopes or a half-spent one", () => {
  using t = testDatabase();
  const tokens = pairedDevice(t);
  const read = tokens.current(DEVICE, READ);
  const write = tokens.current(DEVICE, {
    role: "operator",
    scopes: ["operator.read", "operator.write"],
  });
  assertNotEquals(write.token, read.token);
  assertEquals(write.scopes, ["operator.read", "operator.write"]);
  t.time.advance(DEVICE_TOKEN_TTL_MS / 2);
  assertNotEquals(tokens.current(DEVICE, READ).token, write.token);
});
