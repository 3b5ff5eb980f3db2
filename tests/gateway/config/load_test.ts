import { join } from "node:path";
import { assertEquals, isolatedEnv, tempDir } from "../../_helpers.ts";
import { loadConfig } from "../../../gateway/config/load.ts";
import { sha256Hex } from "../../../gateway/config/read_file.ts";
import { sealValue } from "../../../gateway/config/secrets/envelope.ts";
import { SecretKeyring } from "../../../gateway/config/secrets/keyring.ts";
import { configErrorOf, writeFiles } from "./_helpers.ts";

Deno.test("loadConfig() returns defaults when the config file does not exist", async () => {
  using dir = tempDir();
  const loaded = await loadConfig({ env: isolatedEnv(dir.path) });
  assertEquals(loaded.path, join(dir.path, "carapace.json"));
  assertEquals([
    loaded.exists,
    loaded.hash,
    loaded.raw,
    loaded.env,
    loaded.files,
  ], [false, null, {}, {}, []]);
  assertEquals(loaded.config.gateway.port, 18789);
});

Deno.test("loadConfig() prefers carapace.json5 in the state dir and runs includes, env and substitution", async () => {
  using dir = tempDir();
  const text = `{
    // comments are fine
    $include: "base.json5",
    env: { vars: { BIND_ADDR: "\${HOST_IP}" } },
    gateway: { bind: "\${BIND_ADDR}", auth: { token: "\${GW_TOKEN}" } },
    extra: "$\${LITERAL}",
  }`;
  writeFiles(dir.path, {
    "carapace.json5": text,
    "base.json5": `{ gateway: { port: 9000 } }`,
  });
  const env = isolatedEnv(dir.path, { HOST_IP: "10.1.2.3", GW_TOKEN: "t0k" });
  const before = { ...env };
  const loaded = await loadConfig({ env });
  assertEquals(loaded.path, join(dir.path, "carapace.json5"));
  assertEquals(loaded.hash, await sha256Hex(text));
  assertEquals(loaded.env, { BIND_ADDR: "10.1.2.3" });
  assertEquals(loaded.raw.gateway, {
    port: 9000,
    bind: "10.1.2.3",
    auth: { token: "t0k" },
  });
  assertEquals(loaded.raw.extra, "${LITERAL}");
  assertEquals([loaded.config.gateway.port, loaded.config.gateway.bind], [
    9000,
    "10.1.2.3",
  ]);
  assertEquals(loaded.warnings, [`Unknown config key "extra" is ignored`]);
  assertEquals(loaded.files, [
    join(dir.path, "carapace.json5"),
    join(dir.path, "base.json5"),
  ]);
  assertEquals(env, before); // the loader never writes the environment it was given
  assertEquals(Deno.env.get("BIND_ADDR"), undefined);
});

Deno.test("loadConfig() honours an explicit path and CARAPACE_CONFIG_PATH", async () => {
  using dir = tempDir();
  writeFiles(dir.path, {
    "a.json": `{"gateway": {"port": 1111}}`,
    "b.json": `{"gateway": {"port": 2222}}`,
  });
  const env = isolatedEnv(dir.path, {
    CARAPACE_CONFIG_PATH: join(dir.path, "b.json"),
  });
  assertEquals((await loadConfig({ env })).config.gateway.port, 2222);
  assertEquals(
    (await loadConfig({ env, path: join(dir.path, "a.json") })).config.gateway
      .port,
    1111,
  );
});

Deno.test("loadConfig() fails with each error kind of the pipeline", async () => {
  using dir = tempDir();
  const env = isolatedEnv(dir.path);
  const path = join(dir.path, "carapace.json");
  const cases: [string, Parameters<typeof configErrorOf>[1]][] = [
    [`{ gateway: `, "parse"],
    [`{ $include: "missing.json5" }`, "include_not_found"],
    [
      `{ gateway: { auth: { token: "\${NOT_SET_ANYWHERE}" } } }`,
      "missing_env_var",
    ],
    [`{ gateway: { port: 70000 } }`, "validation"],
    [
      `{ gateway: { auth: { token: "enc:v1:x" } } }`,
      "unsupported_secret_envelope",
    ],
    [`{ env: { CARAPACE_STATE_DIR: "/tmp" } }`, "validation"],
    [`[1, 2]`, "validation"],
  ];
  for (const [text, kind] of cases) {
    Deno.writeTextFileSync(path, text);
    const error = await configErrorOf(loadConfig({ env }), kind);
    // Include errors name the included file, the others the config itself.
    assertEquals(
      error.path?.startsWith(dir.path),
      true,
      `${kind}: ${error.message}`,
    );
  }
});

// One Argon2id derivation: the keyring is shared between sealing and loading.
Deno.test("loadConfig() decrypts secrets before the env section so sealed env vars can be substituted", async () => {
  using dir = tempDir();
  const keyring = new SecretKeyring("master");
  const sealed = await sealValue(
    "sk-live",
    keyring,
    crypto.getRandomValues(new Uint8Array(16)),
  );
  writeFiles(dir.path, {
    "carapace.json": JSON.stringify({
      env: { OPENAI_API_KEY: sealed },
      openai: { apiKey: "${OPENAI_API_KEY}" },
      gateway: { auth: { token: sealed } },
    }),
  });
  const env = isolatedEnv(dir.path, { CARAPACE_CONFIG_PASSWORD: "master" });
  const loaded = await loadConfig({ env, keyring });
  assertEquals(loaded.env, { OPENAI_API_KEY: "sk-live" });
  assertEquals(loaded.raw.openai, { apiKey: "sk-live" });
  assertEquals(loaded.config.gateway.auth.token, "sk-live");
  assertEquals(keyring.derivedCount, 1);

  // Without the password the sealed env var is gone, so its use cannot be substituted.
  await configErrorOf(
    loadConfig({ env: isolatedEnv(dir.path) }),
    "missing_env_var",
  );
  writeFiles(dir.path, {
    "carapace.json": JSON.stringify({
      env: { OPENAI_API_KEY: sealed },
      gateway: { auth: { token: sealed } },
    }),
  });
  const locked = await loadConfig({ env: isolatedEnv(dir.path) });
  assertEquals(locked.config.gateway.auth.token, null);
  assertEquals(locked.env, {});
  assertEquals(locked.warnings, [
    "2 encrypted config secret(s) replaced by null: set CARAPACE_CONFIG_PASSWORD to decrypt them",
    `Ignored "env.OPENAI_API_KEY": expected a string value`,
  ]);
});
