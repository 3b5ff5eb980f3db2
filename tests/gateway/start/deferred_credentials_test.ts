import { openCredentialStore } from "../../../gateway/credentials/open_store.ts";
import {
  DeferredCredentialStore,
  LOOKUP_TTL_MS,
} from "../../../gateway/start/deferred_credentials.ts";
import { assertEquals, isolatedEnv, tempDir } from "../../_helpers.ts";

function fileStoreEnv(dir: string) {
  return isolatedEnv(dir, {
    CARAPACE_CONFIG_PASSWORD: "correct horse",
    CARAPACE_CREDENTIAL_STORE: "file",
  });
}

Deno.test("lookup() keeps the store's answer for LOOKUP_TTL_MS, then reads the store again", async () => {
  using dir = tempDir();
  const env = fileStoreEnv(dir.path);
  // What `cara` run in another process writes.
  const other = await openCredentialStore(env);
  await other.set("gateway:token:default", "first");
  let now = 0;
  const store = new DeferredCredentialStore(env, { clock: () => now });
  assertEquals(await store.lookup("gateway:token:default"), "first");
  await other.set("gateway:token:default", "second");
  now += LOOKUP_TTL_MS - 1;
  assertEquals(await store.lookup("gateway:token:default"), "first");
  now += 1;
  assertEquals(await store.lookup("gateway:token:default"), "second");
});

Deno.test("lookup() sees a secret this gateway wrote or deleted at once", async () => {
  using dir = tempDir();
  const store = new DeferredCredentialStore(fileStoreEnv(dir.path), {
    clock: () => 0,
  });
  assertEquals(await store.lookup("gateway:password:default"), null);
  await store.set("gateway:password:default", "pw");
  assertEquals(await store.lookup("gateway:password:default"), "pw");
  await store.delete("gateway:password:default");
  assertEquals(await store.lookup("gateway:password:default"), null);
});
