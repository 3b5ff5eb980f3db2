import { join } from "node:path";
import {
  assertEquals,
  assertMatch,
  isolatedEnv,
  runCaraInProcess,
  tempDir,
} from "../_helpers.ts";

function configFile(dir: string, text: string): string {
  const path = join(dir, "carapace.json5");
  Deno.writeTextFileSync(path, text);
  return path;
}

Deno.test("cara config path prints the resolved path even when the file does not exist", async () => {
  using dir = tempDir();
  const result = await runCaraInProcess(
    ["config", "path"],
    isolatedEnv(dir.path),
  );
  assertEquals(result, {
    code: 0,
    stdout: `${join(dir.path, "carapace.json")}\n`,
    stderr: "",
  });
  const explicit = await runCaraInProcess(
    ["config", "path"],
    isolatedEnv(dir.path, { CARAPACE_CONFIG_PATH: "/etc/cara.json5" }),
  );
  assertEquals(explicit.stdout, "/etc/cara.json5\n");
});

Deno.test("cara config show prints the loaded config with defaults and secrets redacted", async () => {
  using dir = tempDir();
  configFile(
    dir.path,
    `{ gateway: { auth: { token: "\${GW}" } }, mystery: 1 }`,
  );
  const result = await runCaraInProcess(
    ["config", "show"],
    isolatedEnv(dir.path, { GW: "super-secret" }),
  );
  assertEquals(result.code, 0);
  const shown = JSON.parse(result.stdout);
  assertEquals(shown.gateway.port, 18789);
  assertEquals(shown.gateway.auth.token, "[REDACTED]");
  assertEquals(result.stdout.includes("super-secret"), false);
  assertEquals(
    result.stderr,
    `Warning: Unknown config key "mystery" is ignored\n`,
  );
});

Deno.test("cara config show --json adds path, hash and warnings", async () => {
  using dir = tempDir();
  const path = configFile(dir.path, `{ gateway: { port: 1234 } }`);
  const result = await runCaraInProcess(
    ["config", "show", "--json"],
    isolatedEnv(dir.path),
  );
  const report = JSON.parse(result.stdout);
  assertEquals([
    report.path,
    report.exists,
    report.config.gateway.port,
    report.warnings,
  ], [path, true, 1234, []]);
  assertMatch(report.hash, /^[0-9a-f]{64}$/);
});

Deno.test("cara config show exits 1 with one line when the config is invalid", async () => {
  using dir = tempDir();
  configFile(dir.path, `{ gateway: { port: "abc" } }`);
  const result = await runCaraInProcess(
    ["config", "show"],
    isolatedEnv(dir.path),
  );
  assertEquals(result, {
    code: 1,
    stdout: "",
    stderr:
      `Error: Invalid config at "gateway.port": expected an integer from 1 to 65535, got "abc"\n`,
  });
});

Deno.test("cara config get reads the file as written, placeholders kept and secrets redacted", async () => {
  using dir = tempDir();
  configFile(
    dir.path,
    `{ gateway: { port: 1234, auth: { token: "plain-secret" } }, openai: { baseUrl: "\${OPENAI_URL}" } }`,
  );
  const env = isolatedEnv(dir.path);
  assertEquals(
    (await runCaraInProcess(["config", "get", "gateway.port"], env)).stdout,
    "1234\n",
  );
  assertEquals(
    (await runCaraInProcess(["config", "get", "openai.baseUrl"], env)).stdout,
    `"\${OPENAI_URL}"\n`,
  );
  assertEquals(
    (await runCaraInProcess(["config", "get", "gateway.auth.token"], env))
      .stdout,
    `"[REDACTED]"\n`,
  );
  const gateway = await runCaraInProcess(["config", "get", "gateway"], env);
  assertEquals(JSON.parse(gateway.stdout), {
    port: 1234,
    auth: { token: "[REDACTED]" },
  });
});

Deno.test("cara config get exits 1 with Key not found for a missing key", async () => {
  using dir = tempDir();
  const result = await runCaraInProcess(
    ["config", "get", "gateway.nope"],
    isolatedEnv(dir.path),
  );
  assertEquals(result, {
    code: 1,
    stdout: "",
    stderr: `Error: Key not found: "gateway.nope"\n`,
  });
});

Deno.test("cara config set parses JSON values, falls back to strings and writes the file", async () => {
  using dir = tempDir();
  const env = isolatedEnv(dir.path);
  assertEquals(
    await runCaraInProcess(["config", "set", "gateway.port", "8080"], env),
    {
      code: 0,
      stdout: "Set gateway.port = 8080\n",
      stderr: "",
    },
  );
  assertEquals(
    (await runCaraInProcess(["config", "set", "gateway.bind", "lan"], env))
      .stdout,
    `Set gateway.bind = "lan"\n`,
  );
  await runCaraInProcess([
    "config",
    "set",
    "gateway.trustedProxies",
    `["10.0.0.1"]`,
  ], env);
  const stored = JSON.parse(
    Deno.readTextFileSync(join(dir.path, "carapace.json")),
  );
  assertEquals(stored, {
    gateway: { port: 8080, bind: "lan", trustedProxies: ["10.0.0.1"] },
  });
});

Deno.test("cara config set redacts secret values in its output", async () => {
  using dir = tempDir();
  const result = await runCaraInProcess([
    "config",
    "set",
    "plugins.weather.apiKey",
    "k-123",
  ], isolatedEnv(dir.path));
  assertEquals(result.stdout, `Set plugins.weather.apiKey = "[REDACTED]"\n`);
});

Deno.test("cara config set exits 1 for protected keys and invalid values, leaving the file alone", async () => {
  using dir = tempDir();
  const env = isolatedEnv(dir.path);
  const protectedKey = await runCaraInProcess([
    "config",
    "set",
    "gateway.auth.token",
    "x",
  ], env);
  assertEquals(protectedKey.code, 1);
  assertEquals(
    protectedKey.stderr,
    `Error: Cannot set "gateway.auth.token": it changes protected config "gateway.auth"; edit the file by hand instead\n`,
  );
  const invalid = await runCaraInProcess([
    "config",
    "set",
    "gateway.port",
    "99999",
  ], env);
  assertEquals(invalid.code, 1);
  assertMatch(
    invalid.stderr,
    /^Error: Invalid config at "gateway\.port": expected an integer from 1 to 65535, got 99999\n$/,
  );
  assertEquals([...Deno.readDirSync(dir.path)], []);
});

Deno.test("cara config --help lists the subcommands with examples", async () => {
  using dir = tempDir();
  const result = await runCaraInProcess(
    ["config", "--help"],
    isolatedEnv(dir.path),
  );
  assertEquals(result.code, 0);
  for (
    const part of [
      "show",
      "get",
      "set",
      "path",
      "Examples:",
      "cara config set gateway.port 8080",
    ]
  ) {
    assertMatch(result.stdout, new RegExp(part.replaceAll(".", "\\.")));
  }
  const missing = await runCaraInProcess(
    ["config", "set", "gateway.port"],
    isolatedEnv(dir.path),
  );
  assertEquals(missing.code, 2);
});
