import { join } from "node:path";
import { SecretKeyring } from "../../../gateway/config/secrets/keyring.ts";
import {
  ENCRYPTED_STORE_FILE,
  EncryptedFileStore,
} from "../../../gateway/credentials/encrypted_file.ts";
import { openCredentialStore } from "../../../gateway/credentials/open_store.ts";
import { CredentialStoreError } from "../../../gateway/credentials/store.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  isolatedEnv,
  tempDir,
} from "../../_helpers.ts";

Deno.test("EncryptedFileStore stores, reads back and deletes values sealed in a 0600 file", async () => {
  using dir = tempDir();
  const store = await openCredentialStore(
    isolatedEnv(dir.path, {
      CARAPACE_CONFIG_PASSWORD: "correct horse",
      CARAPACE_CREDENTIAL_STORE: "file",
    }),
  );
  assertEquals(store.backend, "encrypted-file");
  assertEquals(await store.get("gateway:token:default"), null);
  await store.set("gateway:token:default", "s3cret-token");
  await store.set("device:cli:identity", '{"a":1}');
  assertEquals(await store.get("gateway:token:default"), "s3cret-token");
  const path = join(dir.path, ENCRYPTED_STORE_FILE);
  const text = await Deno.readTextFile(path);
  assert(!text.includes("s3cret-token"));
  assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
  assertEquals(await store.delete("gateway:token:default"), true);
  assertEquals(await store.delete("gateway:token:default"), false);
  assertEquals(await store.get("device:cli:identity"), '{"a":1}');

  const wrong = new EncryptedFileStore(path, new SecretKeyring("wrong"));
  await assertRejects(
    () => wrong.get("device:cli:identity"),
    (error: unknown) =>
      error instanceof CredentialStoreError &&
      error.failure === "access_denied" &&
      /CARAPACE_CONFIG_PASSWORD/.test(error.message),
  );
});

Deno.test("EncryptedFileStore refuses bad keys, empty and oversize values", async () => {
  using dir = tempDir();
  const store = new EncryptedFileStore(
    join(dir.path, "s.json"),
    new SecretKeyring("pw"),
  );
  for (const key of ["", "a/b", "../x", "k".repeat(65), "sp ace"]) {
    await assertRejects(() => store.set(key, "v"), CredentialStoreError);
  }
  await assertRejects(() => store.set("k", ""), CredentialStoreError);
  await assertRejects(
    () => store.set("k", "x".repeat(64 * 1024 + 1)),
    CredentialStoreError,
  );
});

Deno.test("openCredentialStore() without a keystore or password gives a store that explains how to enable one", async () => {
  using dir = tempDir();
  const store = await openCredentialStore(
    isolatedEnv(dir.path, { CARAPACE_CREDENTIAL_STORE: "file" }),
  );
  assertEquals(store.backend, "none");
  assertEquals(await store.get("gateway:token:default"), null);
  await assertRejects(
    () => store.set("gateway:token:default", "x"),
    (error: unknown) =>
      error instanceof CredentialStoreError &&
      error.allowsFallback &&
      /no credential store is available .*CARAPACE_CONFIG_PASSWORD/.test(
        error.message,
      ),
  );
  await assertRejects(
    () =>
      openCredentialStore(
        isolatedEnv(dir.path, { CARAPACE_CREDENTIAL_STORE: "vault" }),
      ),
    CredentialStoreError,
  );
});
