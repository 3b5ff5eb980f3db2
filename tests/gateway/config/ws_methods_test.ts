import { join } from "node:path";
import { ConfigEditor } from "../../../gateway/config/config_editor.ts";
import {
  keyringFromEnv,
  loadConfig,
  writeConfig,
} from "../../../gateway/config/mod.ts";
import { configMethods } from "../../../gateway/config/ws_methods.ts";
import { createLogger } from "../../../gateway/logs/logger.ts";
import { ProtocolError } from "../../../gateway/protocol/errors.ts";
import type {
  ConnectionInfo,
  EventSink,
  MethodDefinition,
} from "../../../gateway/protocol/types.ts";
import { ConfigReloader } from "../../../gateway/start/config_reloader.ts";
import {
  openDatabase,
  type StateDatabase,
} from "../../../gateway/state/mod.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  isolatedEnv,
  tempDir,
} from "../../_helpers.ts";

const CONN: ConnectionInfo = {
  connId: "conn-1",
  role: "operator",
  scopes: ["operator.admin"],
  client: { id: "cli", version: "1", platform: "linux", mode: "cli" },
  deviceId: null,
  remoteIp: "127.0.0.1",
  localDirect: true,
  connectedAtMs: 0,
};

interface Fixture extends Disposable {
  path: string;
  state: StateDatabase;
  reloader: ConfigReloader;
  events: { event: string; payload: unknown }[];
  call(method: string, params?: unknown): Promise<unknown>;
  fail(method: string, params?: unknown): Promise<ProtocolError>;
  methods: MethodDefinition[];
}

async function fixture(
  text: string | null,
  extraEnv: Record<string, string> = {},
): Promise<Fixture> {
  const dir = tempDir();
  const env = isolatedEnv(dir.path, extraEnv);
  const path = join(dir.path, "carapace.json5");
  if (text !== null) await Deno.writeTextFile(path, text);
  const keyring = keyringFromEnv(env);
  const state = openDatabase(join(dir.path, "state.db"));
  const reloader = new ConfigReloader(
    await loadConfig({ env, keyring }),
    {
      env,
      keyring,
      log: createLogger({ level: "error" }).child("test"),
      audit: state.audit,
    },
  );
  const events: Fixture["events"] = [];
  const sink: EventSink = {
    broadcast: (event, payload) => void events.push({ event, payload }),
  };
  const methods = configMethods({
    env,
    keyring,
    reloader,
    events: sink,
    audit: state.audit,
  });
  const call = async (method: string, params?: unknown) => {
    const found = methods.find((m) => m.name === method);
    if (!found) throw new Error(`no method ${method}`);
    return await found.handler({
      conn: CONN,
      params,
      signal: new AbortController().signal,
      events: sink,
    });
  };
  return {
    path: reloader.current.path,
    state,
    reloader,
    events,
    methods,
    call,
    fail: async (method, params) => {
      try {
        await call(method, params);
      } catch (error) {
        if (error instanceof ProtocolError) return error;
        throw error;
      }
      throw new Error(`${method} did not fail`);
    },
    [Symbol.dispose]() {
      reloader[Symbol.dispose]();
      state.close();
      dir[Symbol.dispose]();
    },
  };
}

async function fileHash(path: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    await Deno.readFile(path),
  );
  return Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

type Snapshot = Record<string, unknown> & { hash: string | null };

Deno.test("configMethods() registers the seven config methods, all operator.admin", async () => {
  using f = await fixture(null);
  assertEquals(f.methods.map((m) => m.name).sort(), [
    "config.apply",
    "config.get",
    "config.patch",
    "config.reload",
    "config.schema",
    "config.set",
    "config.validate",
  ]);
  assert(f.methods.every((m) => m.scope === "operator.admin"));
});

Deno.test("config.get returns the file hash, redacted parsed and loaded views when the file exists", async () => {
  using f = await fixture(
    `{ gateway: { port: 4000, auth: { token: "s3cret-token" } }, logging: { level: "${"${LVL}"}" } }`,
    { LVL: "debug" },
  );
  const got = await f.call("config.get") as Snapshot;
  assertEquals(got.path, f.path);
  assertEquals(got.exists, true);
  assertEquals(got.valid, true);
  assertEquals(got.hash, await fileHash(f.path));
  assertEquals(got.raw, null);
  assertEquals(got.parsed, {
    gateway: { port: 4000, auth: { token: "[REDACTED]" } },
    logging: { level: "${LVL}" },
  });
  assertEquals(got.config, {
    gateway: { port: 4000, auth: { token: "[REDACTED]" } },
    logging: { level: "debug" },
  });
  assertEquals(got.issues, []);
  assert(!JSON.stringify(got).includes("s3cret-token"));
});

Deno.test("config.get reports a missing file as existing false with a null hash", async () => {
  using f = await fixture(null);
  const got = await f.call("config.get", {}) as Snapshot;
  assertEquals([got.exists, got.valid, got.hash], [false, true, null]);
  assertEquals(got.parsed, {});
});

Deno.test("config.get reports an invalid file as valid false with its issue", async () => {
  using f = await fixture(`{ logging: { level: "info" } }`);
  await Deno.writeTextFile(f.path, `{ gateway: { port: "abc" } }`);
  const got = await f.call("config.get") as Snapshot;
  assertEquals(got.valid, false);
  assertEquals(got.config, null);
  assertEquals(got.parsed, { gateway: { port: "abc" } });
  const issues = got.issues as { path: string; severity: string }[];
  assertEquals(issues[0]?.path, "gateway.port");
  assertEquals(issues[0]?.severity, "error");
});

Deno.test("config.get {key} returns the loaded value redacted by leaf name, null when missing", async () => {
  using f = await fixture(
    `{ gateway: { port: 4000, auth: { token: "s3cret" } } }`,
  );
  assertEquals(await f.call("config.get", { key: "gateway.port" }), {
    key: "gateway.port",
    value: 4000,
  });
  assertEquals(await f.call("config.get", { key: "gateway.auth.token" }), {
    key: "gateway.auth.token",
    value: "[REDACTED]",
  });
  assertEquals(await f.call("config.get", { key: "gateway.auth" }), {
    key: "gateway.auth",
    value: { token: "[REDACTED]" },
  });
  assertEquals(await f.call("config.get", { key: "nope.nothing" }), {
    key: "nope.nothing",
    value: null,
  });
  const bad = await f.fail("config.get", { key: 5 });
  assertEquals(
    bad.message,
    `invalid config.get params: "key" must be a string`,
  );
});

Deno.test("config.set refuses an edit without baseHash when the file exists", async () => {
  using f = await fixture(`{ gateway: { port: 4000 } }`);
  const before = await Deno.readTextFile(f.path);
  const error = await f.fail("config.set", { key: "gateway.port", value: 5 });
  assertEquals(error.code, "invalid_request");
  assertEquals(
    error.message,
    "config base hash required; re-run config.get and retry",
  );
  assertEquals(await Deno.readTextFile(f.path), before);
  assertEquals(f.events, []);
});

Deno.test("config.set refuses a stale baseHash after the file changed", async () => {
  using f = await fixture(`{ gateway: { port: 4000 } }`);
  const { hash } = await f.call("config.get") as Snapshot;
  await Deno.writeTextFile(f.path, `{ gateway: { port: 4001 } }`);
  const error = await f.fail("config.set", {
    key: "gateway.port",
    value: 5000,
    baseHash: hash,
  });
  assertEquals(error.code, "invalid_request");
  assertEquals(
    error.message,
    "config changed since last load; re-run config.get and retry",
  );
  assertEquals(await Deno.readTextFile(f.path), `{ gateway: { port: 4001 } }`);
});

Deno.test("config.set writes one key, reloads, emits config.changed and audits config_changed", async () => {
  using f = await fixture(`{ gateway: { port: 4000 } }`);
  const { hash } = await f.call("config.get") as Snapshot;
  const result = await f.call("config.set", {
    key: "gateway.port",
    value: 4100,
    baseHash: hash,
  }) as Record<string, unknown>;
  const newHash = await fileHash(f.path);
  assertEquals(result.ok, true);
  assertEquals(result.hash, newHash);
  assertEquals(result.changed, ["gateway.port"]);
  assertEquals(result.reloaded, true);
  assertEquals(JSON.parse(await Deno.readTextFile(f.path)), {
    gateway: { port: 4100 },
  });
  assertEquals(f.reloader.current.config.gateway.port, 4100);
  assertEquals(f.events, [{
    event: "config.changed",
    payload: { hash: newHash, changed: ["gateway.port"] },
  }]);
  const audit = f.state.audit.list({ event: "config_changed" });
  const mine = audit.find((e) => e.data.source === "ws");
  assertEquals(mine?.data, {
    source: "ws",
    method: "config.set",
    connId: "conn-1",
    clientId: "cli",
    deviceId: null,
    changed: ["gateway.port"],
    hash: newHash,
  });
});

Deno.test("config.set creates the file when none exists and no baseHash is sent", async () => {
  using f = await fixture(null);
  const result = await f.call("config.set", {
    key: "logging.level",
    value: "debug",
  }) as Record<string, unknown>;
  assertEquals(result.changed, ["logging"]);
  assertEquals(f.reloader.current.config.logging.level, "debug");
  assertEquals((await Deno.stat(f.path)).mode! & 0o777, 0o600);
});

Deno.test("config.set with a baseHash when no file exists is a conflict", async () => {
  using f = await fixture(null);
  const error = await f.fail("config.set", {
    key: "gateway.port",
    value: 1,
    baseHash: "ab".repeat(32),
  });
  assertMatch(error.message, /^config changed since last load/);
});

Deno.test("config.apply refuses protected prefixes and names them", async () => {
  using f = await fixture(`{ gateway: { port: 4000 } }`);
  const { hash } = await f.call("config.get") as Snapshot;
  const error = await f.fail("config.apply", {
    raw:
      `{ gateway: { port: 4000, auth: { mode: "none" } }, anthropic: { baseUrl: "http://evil" } }`,
    baseHash: hash,
  });
  assertEquals(error.code, "invalid_request");
  assertEquals(
    error.message,
    `config change refused: it changes protected config "gateway.auth", "anthropic.baseUrl"; edit the file by hand instead`,
  );
  assertEquals(error.details, {
    protected: ["gateway.auth", "anthropic.baseUrl"],
  });
  assertEquals(await Deno.readTextFile(f.path), `{ gateway: { port: 4000 } }`);
});

Deno.test("config.apply answers invalid config with the schema issues", async () => {
  using f = await fixture(`{ gateway: { port: 4000 } }`);
  const { hash } = await f.call("config.get") as Snapshot;
  const error = await f.fail("config.apply", {
    raw: `{ gateway: { port: 70000 } }`,
    baseHash: hash,
  });
  assertEquals(error.code, "invalid_request");
  assertEquals(error.message, "invalid config");
  const { issues } = error.details as {
    issues: { severity: string; path: string; message: string }[];
  };
  assertEquals(issues.length, 1);
  assertEquals(issues[0]?.severity, "error");
  assertEquals(issues[0]?.path, "gateway.port");
  assertMatch(issues[0]!.message, /expected an integer from 1 to 65535/);
  assertEquals(f.reloader.current.config.gateway.port, 4000);
});

Deno.test("config.apply refuses raw that is not a JSON5 object string", async () => {
  using f = await fixture(null);
  assertEquals(
    (await f.fail("config.apply", { raw: { a: 1 } })).message,
    `invalid config.apply params: "raw" must be a JSON5 string`,
  );
  assertEquals(
    (await f.fail("config.apply", { raw: "[1, 2]" })).message,
    `invalid config.apply params: "raw" must be a JSON5 object`,
  );
  assertMatch(
    (await f.fail("config.apply", { raw: "{ a: " })).message,
    /^Cannot parse config "raw" at line 1/,
  );
  assertEquals(
    (await f.fail("config.apply", "nope")).message,
    "invalid config.apply params: expected an object",
  );
});

Deno.test("config.patch merges objects and deletes keys set to null", async () => {
  using f = await fixture(
    `{ gateway: { port: 4000, bind: "loopback" }, logging: { level: "debug" } }`,
  );
  const { hash } = await f.call("config.get") as Snapshot;
  const result = await f.call("config.patch", {
    raw: `{ gateway: { port: 4200, bind: null }, logging: null }`,
    baseHash: hash,
  }) as Record<string, unknown>;
  assertEquals(JSON.parse(await Deno.readTextFile(f.path)), {
    gateway: { port: 4200 },
  });
  assertEquals(result.changed, [
    "gateway.bind",
    "gateway.port",
    "logging",
  ]);
  assertEquals(f.reloader.current.config.logging.level, "info");
  const second = await f.call("config.patch", {
    raw: { agents: { defaults: { maxConcurrent: 3 } } },
    baseHash: result.hash,
  }) as Record<string, unknown>;
  assertEquals(second.changed, ["agents"]);
  assertEquals(f.reloader.current.config.agents.defaults.maxConcurrent, 3);
});

Deno.test("config.apply keeps sealed secrets sealed when the redacted view is sent back", async () => {
  using dir = tempDir();
  const env = isolatedEnv(dir.path, { CARAPACE_CONFIG_PASSWORD: "pw-123" });
  const path = join(dir.path, "carapace.json5");
  await writeConfig({
    env,
    path,
    value: { gateway: { port: 4000, auth: { token: "tok-plain" } } },
  });
  const sealed = JSON.parse(await Deno.readTextFile(path));
  assertMatch(sealed.gateway.auth.token, /^enc:v2:/);
  using f = await fixture(await Deno.readTextFile(path), {
    CARAPACE_CONFIG_PASSWORD: "pw-123",
  });
  const got = await f.call("config.get") as Snapshot;
  const parsed = got.parsed as { gateway: Record<string, unknown> };
  assertEquals(parsed.gateway.auth, { token: "[REDACTED]" });
  parsed.gateway.port = 4300;
  await f.call("config.apply", {
    raw: JSON.stringify(parsed),
    baseHash: got.hash,
  });
  const text = await Deno.readTextFile(f.path);
  assert(!text.includes("tok-plain"));
  assertEquals(JSON.parse(text).gateway.auth.token, sealed.gateway.auth.token);
  assertEquals(f.reloader.current.config.gateway.port, 4300);
  assertEquals(f.reloader.current.config.gateway.auth.token, "tok-plain");
});

Deno.test("config.validate reports valid, invalid and unparsable candidates without writing", async () => {
  using f = await fixture(null);
  assertEquals(
    await f.call("config.validate", { config: { gateway: { port: 1 } } }),
    { ok: true, valid: true, issues: [], warnings: [] },
  );
  const bad = await f.call("config.validate", {
    raw: `{ gateway: { port: "x" } }`,
  }) as { valid: boolean; issues: { path: string }[] };
  assertEquals(bad.valid, false);
  assertEquals(bad.issues[0]?.path, "gateway.port");
  const broken = await f.call("config.validate", { raw: "{" }) as {
    valid: boolean;
  };
  assertEquals(broken.valid, false);
  const warned = await f.call("config.validate", {
    config: { mystery: 1 },
  }) as { valid: boolean; warnings: string[] };
  assertEquals(warned.valid, true);
  assertEquals(warned.warnings, [`Unknown config key "mystery" is ignored`]);
  await assertFileMissing(f.path);
});

async function assertFileMissing(path: string): Promise<void> {
  try {
    await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  throw new Error(`${path} exists`);
}

Deno.test("config.schema describes the top level and known keys from the zod schema", async () => {
  using f = await fixture(null);
  const got = await f.call("config.schema") as {
    schema: {
      type: string;
      properties: Record<string, { properties?: Record<string, unknown> }>;
    };
    knownKeys: string[];
  };
  assertEquals(got.schema.type, "object");
  assertEquals(got.schema.properties.gateway?.properties?.port, {
    type: "integer",
    minimum: 1,
    maximum: 65535,
    default: 18789,
  });
  assertEquals(
    (got.schema.properties.logging?.properties?.level as { enum: string[] })
      .enum,
    ["trace", "debug", "info", "warn", "error"],
  );
  assert(got.knownKeys.includes("gateway"));
  assert(got.knownKeys.includes("matrix"));
});

Deno.test("config.reload adopts an edited file and broadcasts what changed", async () => {
  using f = await fixture(`{ gateway: { port: 4000 } }`);
  await Deno.writeTextFile(f.path, `{ gateway: { port: 4001 } }`);
  const result = await f.call("config.reload") as Record<string, unknown>;
  const hash = await fileHash(f.path);
  assertEquals(result, { ok: true, hash, changed: ["gateway.port"] });
  assertEquals(f.reloader.current.config.gateway.port, 4001);
  assertEquals(f.events, [{
    event: "config.changed",
    payload: { hash, changed: ["gateway.port"] },
  }]);
});

Deno.test("config.reload refuses an invalid file and keeps the config in force", async () => {
  using f = await fixture(`{ gateway: { port: 4000 } }`);
  await Deno.writeTextFile(f.path, `{ gateway: { port: 0 } }`);
  const error = await f.fail("config.reload");
  assertEquals(error.message, "invalid config");
  assertEquals(
    (error.details as { issues: { path: string }[] }).issues[0]?.path,
    "gateway.port",
  );
  assertEquals(f.reloader.current.config.gateway.port, 4000);
  assertEquals(f.events, []);
});

Deno.test("config.set serialises concurrent edits: the second with the same baseHash conflicts", async () => {
  using f = await fixture(`{ gateway: { port: 4000 } }`);
  const { hash } = await f.call("config.get") as Snapshot;
  const results = await Promise.allSettled([
    f.call("config.set", { key: "gateway.port", value: 4001, baseHash: hash }),
    f.call("config.set", { key: "gateway.port", value: 4002, baseHash: hash }),
  ]);
  assertEquals(results.map((r) => r.status), ["fulfilled", "rejected"]);
  assertEquals(f.reloader.current.config.gateway.port, 4001);
});

Deno.test("ConfigEditor.announce() skips a reload already announced by an edit", async () => {
  using f = await fixture(`{ gateway: { port: 4000 } }`);
  const events: unknown[] = [];
  const editor = new ConfigEditor({
    env: isolatedEnv(Deno.cwd()),
    keyring: null,
    reloader: f.reloader,
    events: { broadcast: (_e, payload) => void events.push(payload) },
  });
  const before = f.reloader.current;
  await Deno.writeTextFile(f.path, `{ gateway: { port: 4001 } }`);
  await editor.reload();
  editor.announce(before, f.reloader.current);
  assertEquals(events.length, 1);
});
