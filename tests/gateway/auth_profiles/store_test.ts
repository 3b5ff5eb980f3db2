import { join } from "node:path";
import {
  AUTH_PROFILES_FILE,
  AuthProfileStore,
  openAuthProfileStore,
} from "../../../gateway/auth_profiles/store.ts";
import type { AuthProfile } from "../../../gateway/auth_profiles/types.ts";
import { SecretKeyring } from "../../../gateway/config/secrets/keyring.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  tempDir,
} from "../../_helpers.ts";
import { seededStore } from "./_helpers.ts";

function codexProfile(extra: Partial<AuthProfile> = {}): AuthProfile {
  return {
    id: "codex:default",
    provider: "codex",
    kind: "oauth",
    createdAt: 1000,
    updatedAt: 1000,
    expiresAt: 5000,
    accessToken: "access-SECRET-1",
    refreshToken: "refresh-SECRET-1",
    tokenUrl: "https://auth.example/oauth/token",
    clientId: "app_1",
    ...extra,
  };
}

Deno.test("AuthProfileStore.save() seals tokens in a 0600 file and get() opens them", async () => {
  using dir = tempDir();
  const store = await seededStore(dir.path);
  await store.save(codexProfile());
  const text = await Deno.readTextFile(store.path);
  assert(!text.includes("SECRET"), "no token in plaintext");
  assert(!text.includes("auth.example"), "token URL sealed too");
  assert(text.includes("enc:v2:"));
  if (Deno.build.os !== "windows") {
    assertEquals((await Deno.stat(store.path)).mode! & 0o777, 0o600);
  }
  assertEquals(await store.get("codex:default"), codexProfile());
  assertEquals(await store.get("codex:other"), null);
});

Deno.test("AuthProfileStore.list() and remove() work without the password", async () => {
  using dir = tempDir();
  await (await seededStore(dir.path)).save(codexProfile());
  const locked = new AuthProfileStore(join(dir.path, AUTH_PROFILES_FILE), null);
  assertEquals(await locked.list(), [{
    id: "codex:default",
    provider: "codex",
    kind: "oauth",
    createdAt: 1000,
    updatedAt: 1000,
    expiresAt: 5000,
  }]);
  assertEquals(await locked.remove("codex:default"), true);
  assertEquals(await locked.remove("codex:default"), false);
  assertEquals(await locked.list(), []);
});

Deno.test("AuthProfileStore refuses to read or write tokens when CARAPACE_CONFIG_PASSWORD is unset", async () => {
  using dir = tempDir();
  const store = openAuthProfileStore({ CARAPACE_STATE_DIR: dir.path });
  await assertRejects(
    () => store.save(codexProfile()),
    /^AuthProfileError: Cannot save auth profile "codex:default": CARAPACE_CONFIG_PASSWORD is not set and auth-profile tokens are only stored encrypted; set CARAPACE_CONFIG_PASSWORD and retry$/,
  );
  await assertRejects(
    () => store.get("codex:default"),
    /CARAPACE_CONFIG_PASSWORD is not set/,
  );
  assertEquals(await Deno.stat(store.path).catch(() => null), null);
});

Deno.test("AuthProfileStore.update() rotates tokens and keeps other profiles", async () => {
  using dir = tempDir();
  const store = await seededStore(dir.path);
  await store.save(codexProfile());
  await store.save({
    id: "anthropic:default",
    provider: "anthropic",
    kind: "setup_token",
    createdAt: 1,
    updatedAt: 1,
    accessToken: "sk-ant-oat01-xyz",
  });
  await store.update("codex:default", (p) =>
    Promise.resolve({
      ...p,
      accessToken: "access-2",
      refreshToken: "refresh-2",
      updatedAt: 2000,
    }));
  const codex = await store.get("codex:default");
  assertEquals([codex?.accessToken, codex?.refreshToken, codex?.updatedAt], [
    "access-2",
    "refresh-2",
    2000,
  ]);
  assertEquals(
    (await store.get("anthropic:default"))?.accessToken,
    "sk-ant-oat01-xyz",
  );
  await assertRejects(
    () => store.update("codex:nope", (p) => Promise.resolve(p)),
    /Cannot use auth profile "codex:nope": it is not in ".*auth_profiles.json"; sign in with "cara setup --provider codex"/,
  );
});

Deno.test("AuthProfileStore.get() names a wrong password without leaking the token", async () => {
  using dir = tempDir();
  await (await seededStore(dir.path)).save(codexProfile());
  const wrong = await new AuthProfileStore(
    join(dir.path, AUTH_PROFILES_FILE),
    new SecretKeyring("wrong password"),
  ).get("codex:default").catch((e: Error) => e);
  assert(wrong instanceof Error);
  assertEquals(
    wrong.message,
    `Cannot read auth profile "codex:default": its tokens do not decrypt (wrong CARAPACE_CONFIG_PASSWORD or a damaged file); set the password used at sign-in, or sign in again`,
  );
});

Deno.test("AuthProfileStore refuses a corrupt file, plaintext tokens and bad ids", async () => {
  using dir = tempDir();
  const path = join(dir.path, AUTH_PROFILES_FILE);
  const store = new AuthProfileStore(path, null);
  await Deno.writeTextFile(path, "{not json", { mode: 0o600 });
  await assertRejects(
    () => store.list(),
    /Cannot read auth profiles ".*": it is not valid JSON; fix the file or move it away and sign in again/,
  );
  await Deno.writeTextFile(
    path,
    JSON.stringify({
      version: 1,
      salt: "BwcHBwcHBwcHBwcHBwcHBw==",
      profiles: {
        "codex:default": {
          provider: "codex",
          kind: "oauth",
          createdAt: 1,
          updatedAt: 1,
          sealed: "plain-token",
        },
      },
    }),
  );
  await assertRejects(
    () => store.list(),
    /profile "codex:default": tokens are not sealed/,
  );
  await assertRejects(
    () => store.remove("../etc"),
    /expected "<provider>:<name>"/,
  );
});
