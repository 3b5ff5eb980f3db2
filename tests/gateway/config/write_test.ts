import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertMatch,
  isolatedEnv,
  tempDir,
} from "../../_helpers.ts";
import { loadConfig } from "../../../gateway/config/load.ts";
import { sha256Hex } from "../../../gateway/config/read_file.ts";
import { isEnvelope } from "../../../gateway/config/secrets/envelope.ts";
import { SecretKeyring } from "../../../gateway/config/secrets/keyring.ts";
import { setConfigValue, writeConfig } from "../../../gateway/config/write.ts";
import { configErrorOf, writeFiles } from "./_helpers.ts";

Deno.test("writeConfig() writes pretty JSON with a trailing newline, mode 0600, and returns its hash", async () => {
  using dir = tempDir();
  const env = isolatedEnv(dir.path);
  const written = await writeConfig({
    env,
    value: { gateway: { port: 8080 } },
  });
  const path = join(dir.path, "carapace.json");
  const text = Deno.readTextFileSync(path);
  assertEquals(text, `{\n  "gateway": {\n    "port": 8080\n  }\n}\n`);
  assertEquals(written, { path, hash: await sha256Hex(text), warnings: [] });
  if (Deno.build.os !== "windows") {
    assertEquals(Deno.statSync(path).mode! & 0o777, 0o600);
  }
});

Deno.test("writeConfig() refuses to replace a file that does not parse and leaves it untouched", async () => {
  using dir = tempDir();
  writeFiles(dir.path, { "carapace.json": "{ broken" });
  const error = await configErrorOf(
    writeConfig({ env: isolatedEnv(dir.path), value: {} }),
    "parse",
  );
  assertMatch(
    error.message,
    /^Cannot write config ".*carapace\.json": the existing file is not valid \(Cannot parse config/,
  );
  assertEquals(
    Deno.readTextFileSync(join(dir.path, "carapace.json")),
    "{ broken",
  );
});

Deno.test("writeConfig() validates the candidate first and writes nothing when it is invalid", async () => {
  using dir = tempDir();
  const error = await configErrorOf(
    writeConfig({
      env: isolatedEnv(dir.path),
      value: { gateway: { port: "abc" } },
    }),
    "validation",
  );
  assertEquals(
    error.message,
    `Invalid config at "gateway.port": expected an integer from 1 to 65535, got "abc"`,
  );
  assertEquals([...Deno.readDirSync(dir.path)], []);
});

Deno.test("writeConfig() keeps unset ${VAR} placeholders valid and refuses a stale base hash", async () => {
  using dir = tempDir();
  const env = isolatedEnv(dir.path);
  const first = await writeConfig({
    env,
    value: { anthropic: { apiKey: "${ANTHROPIC_API_KEY}" } },
  });
  await configErrorOf(
    writeConfig({ env, value: {}, baseHash: "0".repeat(64) }),
    "conflict",
  );
  await writeConfig({
    env,
    value: { gateway: { port: 1 } },
    baseHash: first.hash,
  });
});

Deno.test("setConfigValue() sets a nested key, creating objects and keeping the rest", async () => {
  using dir = tempDir();
  writeFiles(dir.path, {
    "carapace.json5":
      `{ // mine\n gateway: { port: 1 }, agents: { list: [] } }`,
  });
  const env = isolatedEnv(dir.path);
  await setConfigValue({ env, key: "gateway.tls.enabled", value: true });
  assertEquals(
    JSON.parse(Deno.readTextFileSync(join(dir.path, "carapace.json5"))),
    {
      gateway: { port: 1, tls: { enabled: true } },
      agents: { list: [] },
    },
  );
});

Deno.test("setConfigValue() refuses protected keys, naming the prefixes", async () => {
  using dir = tempDir();
  const env = isolatedEnv(dir.path);
  const error = await configErrorOf(
    setConfigValue({ env, key: "gateway.auth.mode", value: "none" }),
    "protected_key",
  );
  assertEquals(
    error.message,
    `Cannot set "gateway.auth.mode": it changes protected config "gateway.auth"; edit the file by hand instead`,
  );
  const parent = await configErrorOf(
    setConfigValue({ env, key: "gateway", value: { hooks: { token: "x" } } }),
    "protected_key",
  );
  assertMatch(parent.message, /"gateway\.hooks\.token"/);
});

Deno.test("setConfigValue() without the password refuses to touch ciphertext but may change other keys", async () => {
  using dir = tempDir();
  writeFiles(dir.path, {
    "carapace.json": JSON.stringify({ telegram: { botToken: "enc:v2:a:b:c" } }),
  });
  const env = isolatedEnv(dir.path);
  await setConfigValue({ env, key: "gateway.port", value: 9000 });
  const text = Deno.readTextFileSync(join(dir.path, "carapace.json"));
  assertEquals(JSON.parse(text), {
    telegram: { botToken: "enc:v2:a:b:c" },
    gateway: { port: 9000 },
  });
  await configErrorOf(
    writeConfig({ env, value: { telegram: { botToken: "plain" } } }),
    "locked_write",
  );
  await configErrorOf(writeConfig({ env, value: {} }), "locked_write");
  assertEquals(Deno.readTextFileSync(join(dir.path, "carapace.json")), text);
});

// One Argon2id derivation: the second write reuses the first write's ciphertext.
Deno.test("writeConfig() with the password seals secrets and does not churn unchanged ones", async () => {
  using dir = tempDir();
  const env = isolatedEnv(dir.path, { CARAPACE_CONFIG_PASSWORD: "master" });
  const keyring = new SecretKeyring("master");
  await writeConfig({
    env,
    keyring,
    value: { gateway: { auth: { token: "gw-secret" } } },
  });
  const path = join(dir.path, "carapace.json");
  const stored = JSON.parse(Deno.readTextFileSync(path)).gateway.auth
    .token as string;
  assert(isEnvelope(stored));
  assert(!Deno.readTextFileSync(path).includes("gw-secret"));

  await writeConfig({
    env,
    keyring,
    value: { gateway: { auth: { token: "gw-secret" }, port: 5 } },
  });
  const again = JSON.parse(Deno.readTextFileSync(path));
  assertEquals(again.gateway, { auth: { token: stored }, port: 5 });

  const loaded = await loadConfig({ env, keyring });
  assertEquals(loaded.config.gateway.auth.token, "gw-secret");
  assertEquals(keyring.derivedCount, 1);
});
