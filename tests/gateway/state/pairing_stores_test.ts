import { DevicePairingStore } from "../../../gateway/state/device_pairing_store.ts";
import {
  DEVICE_TOKENS_PER_ROLE,
  DeviceTokenStore,
} from "../../../gateway/state/device_token_store.ts";
import { NodePairingStore } from "../../../gateway/state/node_pairing_store.ts";
import { CaraError } from "../../../gateway/errors.ts";
import { assertEquals, assertThrows } from "../../_helpers.ts";
import { T0, testDatabase } from "./_helpers.ts";

const DEVICE = "a".repeat(64);
const REQUEST = {
  deviceId: DEVICE,
  publicKey: "pk",
  displayName: null,
  platform: "linux",
  clientId: "cli",
  clientMode: "cli",
  role: "operator",
  scopes: ["operator.read"],
  remoteIp: "192.0.2.1",
  silent: false,
  isRepair: false,
};

Deno.test("DevicePairingStore.request() reuses a device's request and widens its roles and scopes", () => {
  using t = testDatabase();
  const store = new DevicePairingStore(t.state.db, { clock: t.time.clock });
  const first = store.request(REQUEST);
  const second = store.request({
    ...REQUEST,
    role: "node",
    scopes: ["operator.write"],
  });
  assertEquals(second.requestId, first.requestId);
  assertEquals(second.roles.sort(), ["node", "operator"]);
  assertEquals(second.scopes.sort(), ["operator.read", "operator.write"]);
  assertEquals(store.count(), 1);
  t.time.advance(1000);
  assertEquals(store.expire(T0), 1);
  assertEquals(store.list(), []);
});

Deno.test("DevicePairingStore.rolesOf() joins the device's role and stored roles", () => {
  using t = testDatabase();
  const store = new DevicePairingStore(t.state.db, { clock: t.time.clock });
  assertEquals(store.rolesOf(DEVICE), []);
  t.state.devices.upsert({
    deviceId: DEVICE,
    publicKey: "pk",
    role: "operator",
    scopes: [],
  });
  assertEquals(store.rolesOf(DEVICE), ["operator"]);
  store.setRoles(DEVICE, ["node", "operator"]);
  assertEquals(store.rolesOf(DEVICE), ["operator", "node"]);
});

Deno.test("DeviceTokenStore keeps the newest tokens per device and role and refuses non-hash values", () => {
  using t = testDatabase();
  t.state.devices.upsert({
    deviceId: DEVICE,
    publicKey: "pk",
    role: "operator",
    scopes: [],
  });
  const store = new DeviceTokenStore(t.state.db, { clock: t.time.clock });
  for (let i = 0; i < DEVICE_TOKENS_PER_ROLE + 3; i++) {
    store.insert({
      tokenHash: i.toString(16).padStart(64, "0"),
      deviceId: DEVICE,
      role: "operator",
      scopes: ["operator.read"],
      expiresAt: T0 + 1000 + i,
    });
    t.time.advance(1);
  }
  const kept = store.forRole(DEVICE, "operator");
  assertEquals(kept.length, DEVICE_TOKENS_PER_ROLE);
  assertEquals(
    kept[0]?.tokenHash,
    (DEVICE_TOKENS_PER_ROLE + 2).toString(16).padStart(64, "0"),
  );
  t.time.advance(995);
  assertEquals(store.forRole(DEVICE, "operator").length, 4);
  assertEquals(store.revoke(DEVICE), DEVICE_TOKENS_PER_ROLE);
  assertThrows(
    () =>
      store.insert({
        tokenHash: "plain-token",
        deviceId: DEVICE,
        role: "operator",
        scopes: [],
        expiresAt: 0,
      }),
    CaraError,
  );
});

Deno.test("NodePairingStore re-pairing keeps created_at and replaces the token hash", () => {
  using t = testDatabase();
  const store = new NodePairingStore(t.state.db, { clock: t.time.clock });
  const node = {
    nodeId: "n1",
    displayName: "Box",
    platform: null,
    version: null,
  };
  store.upsertNode({ ...node, tokenHash: "1".repeat(64), tokenExpiresAt: 1 });
  t.time.advance(5000);
  const again = store.upsertNode({
    ...node,
    displayName: null,
    tokenHash: "2".repeat(64),
    tokenExpiresAt: 2,
  });
  assertEquals([
    again.createdAt,
    again.approvedAt,
    again.tokenHash,
    again.displayName,
  ], [T0, T0 + 5000, "2".repeat(64), "Box"]);
  store.upsertNode({
    nodeId: "n2",
    displayName: null,
    platform: null,
    version: null,
    tokenHash: "3".repeat(64),
    tokenExpiresAt: 3,
  });
  t.time.advance(1);
  store.touch("n1");
  assertEquals(store.evictLeastRecent(), "n2");
  assertEquals(store.countNodes(), 1);
});
