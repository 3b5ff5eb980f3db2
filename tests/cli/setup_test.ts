import { join } from "node:path";
import { loadConfig } from "../../gateway/config/load.ts";
import { validateConfig } from "../../gateway/config/validate.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  isolatedEnv,
  runCara,
  runCaraInProcess,
  tempDir,
} from "../_helpers.ts";
import { spawnLockHolder } from "../gateway/daemon/_helpers.ts";

type Json = Record<string, Record<string, unknown>>;

function readConfig(dir: string): Json {
  return JSON.parse(Deno.readTextFileSync(join(dir, "carapace.json")));
}

/** The `Error:` line of a child's stderr (Deno may print download notes first). */
function errorLine(stderr: string): string {
  return stderr.split("\n").filter((l) => l.startsWith("Error:")).join("\n");
}

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("cara setup --provider claude writes the base config: loopback, 64-hex token, prefixed model, ${ENV} key, mode 0600", async () => {
  using dir = tempDir();
  const result = await runCaraInProcess(
    ["setup", "--provider", "claude", "--model", "claude-sonnet-4-5"],
    isolatedEnv(dir.path),
  );
  assertEquals(result.code, 0, result.stderr);
  const path = join(dir.path, "carapace.json");
  assertEquals(Deno.statSync(path).mode! & 0o777, 0o600);
  const config = readConfig(dir.path);
  const token = (config.gateway!.auth as { token: string }).token;
  assertMatch(token, /^[0-9a-f]{64}$/);
  assertEquals(config, {
    gateway: { port: 18789, bind: "loopback", auth: { mode: "token", token } },
    agents: { defaults: { model: "anthropic:claude-sonnet-4-5" } },
    anthropic: { apiKey: "${ANTHROPIC_API_KEY}" },
  });
  validateConfig(config);
  assert(!result.stdout.includes(token), "the token is echoed");
  assertMatch(result.stdout, /"token": "\[REDACTED\]"/);
  assertMatch(result.stdout, /"apiKey": "\$\{ANTHROPIC_API_KEY\}"/);
  assertMatch(result.stdout, /Before starting, export ANTHROPIC_API_KEY/);
  assertMatch(
    result.stdout,
    /Next steps:\n {2}cara start\n {2}cara verify --outcome local-chat\n$/,
  );
});

Deno.test("cara setup resolves provider aliases and writes each provider's key placeholder", async () => {
  const cases: [string, string, string, Json][] = [
    ["gpt", "gpt-4o", "openai:gpt-4o", {
      openai: { apiKey: "${OPENAI_API_KEY}" },
    }],
    ["near", "glm-4", "nearai:glm-4", {
      nearai: { apiKey: "${NEARAI_API_KEY}" },
    }],
    ["near-ai", "nearai:glm-4", "nearai:glm-4", {
      nearai: { apiKey: "${NEARAI_API_KEY}" },
    }],
    ["gemini", "gemini-2.5-flash", "gemini:gemini-2.5-flash", {
      google: { apiKey: "${GOOGLE_API_KEY}" },
    }],
    ["venice", "llama-3.3-70b", "venice:llama-3.3-70b", {
      venice: { apiKey: "${VENICE_API_KEY}" },
    }],
    ["ollama", "ollama:qwen3-coder:30b", "ollama:qwen3-coder:30b", {
      providers: { ollama: { baseUrl: "http://localhost:11434" } },
    }],
    ["bedrock", "anthropic.claude-v2", "bedrock:anthropic.claude-v2", {
      bedrock: {
        region: "${AWS_REGION}",
        accessKeyId: "${AWS_ACCESS_KEY_ID}",
        secretAccessKey: "${AWS_SECRET_ACCESS_KEY}",
      },
    }],
    ["vertex", "vertex:default", "vertex:default", {
      vertex: {
        projectId: "${VERTEX_PROJECT_ID}",
        location: "us-central1",
        model: "${VERTEX_MODEL}",
      },
    }],
    ["vertex", "gemini-2.5-pro", "vertex:gemini-2.5-pro", {
      vertex: {
        projectId: "${VERTEX_PROJECT_ID}",
        location: "us-central1",
        model: "gemini-2.5-pro",
      },
    }],
  ];
  for (const [provider, model, ref, section] of cases) {
    using dir = tempDir();
    const result = await runCaraInProcess(
      ["setup", "--provider", provider, "--model", model],
      isolatedEnv(dir.path),
    );
    assertEquals(result.code, 0, `${provider}: ${result.stderr}`);
    const { gateway: _, agents, ...rest } = readConfig(dir.path);
    assertEquals(agents, { defaults: { model: ref } }, provider);
    assertEquals(rest, section, provider);
  }
});

Deno.test("cara setup uses env-dependent placeholders when those variables are set", async () => {
  using dir = tempDir();
  const env = isolatedEnv(dir.path, {
    VERTEX_LOCATION: "europe-west4",
    OLLAMA_BASE_URL: "http://10.0.0.2:11434",
    OLLAMA_API_KEY: "k",
    AWS_DEFAULT_REGION: "eu-west-1",
    AWS_SESSION_TOKEN: "s",
  });
  const run = (provider: string, model: string) =>
    runCaraInProcess(
      ["setup", "--force", "--provider", provider, "--model", model],
      env,
    );
  assertEquals((await run("vertex", "default")).code, 0);
  assertEquals(
    (readConfig(dir.path).vertex as { location: string }).location,
    "${VERTEX_LOCATION}",
  );
  assertEquals((await run("ollama", "llama3")).code, 0);
  assertEquals(readConfig(dir.path).providers, {
    ollama: { baseUrl: "${OLLAMA_BASE_URL}", apiKey: "${OLLAMA_API_KEY}" },
  });
  assertEquals((await run("bedrock", "m")).code, 0);
  const bedrock = readConfig(dir.path).bedrock!;
  assertEquals(
    [bedrock.region, bedrock.sessionToken],
    ["${AWS_DEFAULT_REGION}", "${AWS_SESSION_TOKEN}"],
  );
});

Deno.test("cara setup refuses model strings that break the prefix rules (exit 1)", async () => {
  using dir = tempDir();
  const cases: [string, string, string][] = [
    [
      "anthropic",
      "openai:gpt-4o",
      `Error: Cannot use model "openai:gpt-4o": its prefix "openai" does not match provider "anthropic"; pass "anthropic:gpt-4o" or choose --provider openai\n`,
    ],
    [
      "ollama",
      "qwen3-coder:30b",
      `Error: Cannot use model "qwen3-coder:30b": model ids that contain ":" must be given in full; pass "ollama:qwen3-coder:30b"\n`,
    ],
    [
      "openai",
      "openai:",
      `Error: Cannot use model "openai:": expected a model id after "openai:"\n`,
    ],
    [
      "openai",
      "gpt 4o",
      `Error: Cannot use model "gpt 4o": it contains spaces or control characters\n`,
    ],
  ];
  for (const [provider, model, line] of cases) {
    const result = await runCaraInProcess(
      ["setup", "--provider", provider, "--model", model],
      isolatedEnv(dir.path),
    );
    assertEquals([result.code, result.stderr], [1, line]);
  }
  assert(!exists(join(dir.path, "carapace.json")));
});

Deno.test("cara setup enforces the --auth-mode rules and refuses browser sign-ins non-interactively", async () => {
  using dir = tempDir();
  const cases: [string[], Record<string, string>, string][] = [
    [
      ["--provider", "openai", "--model", "gpt-4o", "--auth-mode", "api-key"],
      {},
      `Error: Cannot use --auth-mode with provider "openai": only anthropic (api-key, setup-token) and gemini (api-key, oauth) take it; drop the flag\n`,
    ],
    [
      ["--provider", "claude", "--model", "claude-x", "--auth-mode", "oauth"],
      {},
      `Error: Cannot use --auth-mode "oauth" with provider "anthropic": expected one of api-key, setup-token\n`,
    ],
    [
      ["--provider", "gemini", "--model", "g", "--auth-mode", "setup-token"],
      {},
      `Error: Cannot use --auth-mode "setup-token" with provider "gemini": expected one of api-key, oauth\n`,
    ],
    [
      ["--provider", "gemini", "--model", "g", "--auth-mode", "oauth"],
      { CARAPACE_CONFIG_PASSWORD: "pw" },
      `Error: Cannot set up "gemini" with --auth-mode oauth non-interactively: the Google sign-in runs in a browser; run "cara setup" in a terminal or use --auth-mode api-key with GOOGLE_API_KEY\n`,
    ],
    [
      ["--provider", "claude", "--model", "c", "--auth-mode", "setup-token"],
      {},
      `Error: Cannot use --auth-mode setup-token: CARAPACE_CONFIG_PASSWORD is not set and the token may only be stored sealed; export it and retry\n`,
    ],
    [
      ["--provider", "codex", "--model", "codex:default"],
      {},
      `Error: Cannot set up "codex" non-interactively: Codex signs in through a browser (OAuth), and this build has no Codex sign-in yet; use --provider openai with OPENAI_API_KEY\n`,
    ],
  ];
  for (const [args, extra, line] of cases) {
    const result = await runCaraInProcess(
      ["setup", ...args],
      isolatedEnv(dir.path, extra),
    );
    assertEquals([result.code, result.stderr], [1, line], args.join(" "));
  }
  const ok = await runCaraInProcess(
    ["setup", "--provider", "gemini", "--model", "g", "--auth-mode", "api-key"],
    isolatedEnv(dir.path),
  );
  assertEquals(ok.code, 0, ok.stderr);
  assertEquals(readConfig(dir.path).google, { apiKey: "${GOOGLE_API_KEY}" });
});

Deno.test("cara setup exits 2 on usage errors: unknown provider or auth mode, missing --provider/--model", async () => {
  using dir = tempDir();
  const env = isolatedEnv(dir.path);
  const unknown = await runCaraInProcess(
    ["setup", "--provider", "mistral", "--model", "m"],
    env,
  );
  assertEquals(unknown.code, 2);
  assertMatch(unknown.stderr, /argument 'mistral' is invalid.*claude, gpt/);
  const mode = await runCaraInProcess(
    ["setup", "--provider", "claude", "--model", "m", "--auth-mode", "magic"],
    env,
  );
  assertEquals(mode.code, 2);
  assertMatch(mode.stderr, /Allowed choices are api-key, setup-token, oauth/);
  const missing = await runCaraInProcess(["setup", "--model", "m"], env);
  assertEquals(missing.code, 2);
  assertMatch(
    missing.stderr,
    /^Error: Cannot run setup non-interactively: --provider and --model are required/,
  );
  const piped = await runCara(["setup"], { env });
  assertEquals(piped.code, 2, piped.stderr);
  assert(!exists(join(dir.path, "carapace.json")));
});

Deno.test("cara setup refuses an existing config without --force and replaces it with --force", async () => {
  using dir = tempDir();
  const env = isolatedEnv(dir.path);
  const args = ["setup", "--provider", "openai", "--model", "gpt-4o"];
  assertEquals((await runCaraInProcess(args, env)).code, 0);
  const before = Deno.readTextFileSync(join(dir.path, "carapace.json"));
  const refused = await runCaraInProcess(args, env);
  assertEquals(refused.code, 1);
  assertEquals(
    refused.stderr,
    `Error: Cannot run setup: config "${
      join(dir.path, "carapace.json")
    }" already exists; pass --force to replace it\n`,
  );
  assertEquals(Deno.readTextFileSync(join(dir.path, "carapace.json")), before);
  const forced = await runCaraInProcess([...args, "--force"], env);
  assertEquals(forced.code, 0, forced.stderr);
  const after = Deno.readTextFileSync(join(dir.path, "carapace.json"));
  assert(after !== before, "a new gateway token is generated");
});

Deno.test("cara setup refuses while a daemon holds the state dir lock", async () => {
  using dir = tempDir();
  await using child = await spawnLockHolder(dir.path);
  const result = await runCaraInProcess(
    ["setup", "--provider", "openai", "--model", "gpt-4o", "--force"],
    isolatedEnv(dir.path),
  );
  assertEquals(result.code, 1);
  assertEquals(
    result.stderr,
    `Error: Cannot run setup while the cara daemon is running (pid ${child.pid}): stop it and retry\n`,
  );
  assert(!exists(join(dir.path, "carapace.json")));
});

Deno.test("cara setup --key-stdin stores the piped key and the gateway token sealed (enc:v2), never in plain text", async () => {
  using dir = tempDir();
  const key = "sk-ant-test-0123456789abcdef";
  const env = isolatedEnv(dir.path, { CARAPACE_CONFIG_PASSWORD: "hunter2" });
  const result = await runCara(
    ["setup", "--provider", "anthropic", "--model", "claude-x", "--key-stdin"],
    { env, stdin: `${key}\n` },
  );
  assertEquals(result.code, 0, result.stderr);
  const text = Deno.readTextFileSync(join(dir.path, "carapace.json"));
  assert(!text.includes(key), "the key is in the file in plain text");
  assert(!result.stdout.includes(key) && !result.stderr.includes(key));
  const raw = JSON.parse(text);
  assertMatch(raw.anthropic.apiKey, /^enc:v2:/);
  assertMatch(raw.gateway.auth.token, /^enc:v2:/);
  assertMatch(result.stdout, /sealed \(enc:v2\) with CARAPACE_CONFIG_PASSWORD/);
  const { config } = await loadConfig({ env });
  assertEquals(config.anthropic?.apiKey, key);
  assertMatch(config.gateway.auth.token!, /^[0-9a-f]{64}$/);
  assert(!text.includes(config.gateway.auth.token!));
});

Deno.test("cara setup --key-stdin without a config password refuses and names both options", async () => {
  using dir = tempDir();
  const env = isolatedEnv(dir.path);
  const result = await runCara(
    ["setup", "--provider", "gpt", "--model", "gpt-4o", "--key-stdin"],
    { env, stdin: "sk-test-plaintext-key\n" },
  );
  assertEquals(result.code, 1);
  assertEquals(
    errorLine(result.stderr),
    `Error: Cannot store the key from stdin: CARAPACE_CONFIG_PASSWORD is not set and setup never writes a plaintext key; either export OPENAI_API_KEY and rerun without --key-stdin (setup writes "\${OPENAI_API_KEY}"), or set CARAPACE_CONFIG_PASSWORD so the key is sealed`,
  );
  assert(!exists(join(dir.path, "carapace.json")));
  const bedrock = await runCaraInProcess(
    ["setup", "--provider", "bedrock", "--model", "m", "--key-stdin"],
    isolatedEnv(dir.path, { CARAPACE_CONFIG_PASSWORD: "pw" }),
  );
  assertEquals(bedrock.code, 1);
  assertMatch(
    bedrock.stderr,
    /^Error: Cannot use --key-stdin with provider "bedrock": it has no single API key/,
  );
  const empty = await runCara(
    ["setup", "--provider", "gpt", "--model", "gpt-4o", "--key-stdin"],
    {
      env: isolatedEnv(dir.path, { CARAPACE_CONFIG_PASSWORD: "pw" }),
      stdin: "\n",
    },
  );
  assertEquals(empty.code, 1);
  assertMatch(
    errorLine(empty.stderr),
    /^Error: Cannot read the key from stdin: it is empty/,
  );
  assert(!exists(join(dir.path, "carapace.json")));
});

Deno.test("cara setup with a config password seals the generated gateway token and keeps ${ENV} placeholders", async () => {
  using dir = tempDir();
  const env = isolatedEnv(dir.path, {
    CARAPACE_CONFIG_PASSWORD: "pw",
    OPENAI_API_KEY: "sk-from-env",
  });
  const result = await runCaraInProcess(
    ["setup", "--provider", "openai", "--model", "gpt-4o"],
    env,
  );
  assertEquals(result.code, 0, result.stderr);
  const raw = readConfig(dir.path);
  assertMatch(
    String((raw.gateway!.auth as { token: string }).token),
    /^enc:v2:/,
  );
  assertEquals(raw.openai, { apiKey: "${OPENAI_API_KEY}" });
  assert(!result.stdout.includes("Before starting"));
});
