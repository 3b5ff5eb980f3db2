import { join } from "node:path";
import { loadDeviceIdentity } from "../../cli/device_identity.ts";
import { SecretKeyring } from "../../gateway/config/secrets/keyring.ts";
import { EncryptedFileStore } from "../../gateway/credentials/encrypted_file.ts";
import { UnavailableStore } from "../../gateway/credentials/open_store.ts";
import { CaraError } from "../../gateway/errors.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  isolatedEnv,
  tempDir,
} from "../_helpers.ts";

Deno.test("loadDeviceIdentity() falls back to a 0600 file with a warning and reloads the same identity", async () => {
  using dir = tempDir();
  const env = isolatedEnv(dir.path);
  const store = new UnavailableStore("test");
  const warnings: string[] = [];
  const first = await loadDeviceIdentity(env, {
    store,
    warn: (l) => warnings.push(l),
  });
  assertEquals(first.deviceId.length, 64);
  const path = join(dir.path, "device-identity.json");
  assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
  assert(warnings[0]?.includes(path));
  const again = await loadDeviceIdentity(env, { store, warn: () => {} });
  assertEquals(again.deviceId, first.deviceId);
});

Deno.test("loadDeviceIdentity() in strict mode refuses the file fallback", async () => {
  using dir = tempDir();
  await assertRejects(
    () =>
      loadDeviceIdentity(
        isolatedEnv(dir.path, { CARAPACE_DEVICE_IDENTITY_STRICT: "Yes" }),
        { store: new UnavailableStore("test"), warn: () => {} },
      ),
    (error: unknown) =>
      error instanceof CaraError && error.code === "device_identity_strict",
  );
});

Deno.test("loadDeviceIdentity() migrates a file identity into a working store and rejects a tampered one", async () => {
  using dir = tempDir();
  const env = isolatedEnv(dir.path);
  const fileIdentity = await loadDeviceIdentity(env, {
    store: new UnavailableStore("test"),
    warn: () => {},
  });
  const store = new EncryptedFileStore(
    join(dir.path, "s.json"),
    new SecretKeyring("pw"),
  );
  const migrated = await loadDeviceIdentity(env, { store, warn: () => {} });
  assertEquals(migrated.deviceId, fileIdentity.deviceId);
  await assertRejects(() => Deno.stat(join(dir.path, "device-identity.json")));
  const record = JSON.parse((await store.get("device:cli:identity"))!);
  record.device_id = "0".repeat(64);
  await store.set("device:cli:identity", JSON.stringify(record));
  await assertRejects(
    () => loadDeviceIdentity(env, { store, warn: () => {} }),
    (error: unknown) =>
      error instanceof CaraError &&
      /does not match the public key/.test(error.message),
  );
});
