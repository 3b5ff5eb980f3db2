import { join } from "node:path";
import {
  CREDENTIAL_INDEX_FILE,
  pluginCredentialStore,
  pluginStoreKey,
} from "../../../plugins/runtime/plugin_credentials.ts";
import { assertEquals, tempDir } from "../../_helpers.ts";
import { fileCredentials } from "./_helpers.ts";

Deno.test("pluginCredentialStore() files plugin keys under hashed store keys and lists them by prefix", async () => {
  using state = tempDir();
  const store = await fileCredentials(state.path);
  const credentials = pluginCredentialStore(store, state.path);
  const long = `weather:${"k/".repeat(30)}`;
  await Promise.all([
    credentials.set("weather:token", "s1"),
    credentials.set(long, "s2"),
    credentials.set("other:token", "s3"),
  ]);
  assertEquals(
    await credentials.list("weather:"),
    [long, "weather:token"].sort(),
  );
  assertEquals(await credentials.get(long), "s2");
  assertEquals(await store.get(pluginStoreKey("weather:token")), "s1");
  await credentials.delete("weather:token");
  assertEquals(await credentials.get("weather:token"), undefined);
  assertEquals(await credentials.list("weather:"), [long]);
  const index = join(state.path, "plugins", CREDENTIAL_INDEX_FILE);
  assertEquals((await Deno.stat(index)).mode! & 0o777, 0o600);
  assertEquals((await Deno.readTextFile(index)).includes("s2"), false);
});
