import { join } from "node:path";
import { loadConfig } from "../../gateway/config/load.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  isolatedEnv,
  tempDir,
} from "../_helpers.ts";
import { runCaraInPty } from "./_pty.ts";

const DOWN = "\x1b[B";
const KEY = "sk-wizard-test-0123456789";

/** A loopback OpenAI peer for the wizard's live key check: GET /v1/models with a bearer key. */
function startModelsPeer(): AsyncDisposable & {
  origin: string;
  auth: string[];
} {
  const auth: string[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (req) => {
      const header = req.headers.get("authorization") ?? "";
      auth.push(header);
      if (new URL(req.url).pathname !== "/v1/models") {
        return new Response("not found", { status: 404 });
      }
      if (header !== `Bearer ${KEY}`) {
        return Response.json({
          error: {
            message: "Incorrect API key provided",
            type: "invalid_request_error",
            code: "invalid_api_key",
          },
        }, { status: 401 });
      }
      return Response.json({
        object: "list",
        data: [{ id: "gpt-4o", object: "model", created: 0, owned_by: "x" }],
      });
    },
  );
  return {
    origin: `http://127.0.0.1:${server.addr.port}`,
    auth,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

Deno.test("cara setup wizard asks each question in a terminal, checks the key live and writes a sealed config", async () => {
  using dir = tempDir();
  await using peer = startModelsPeer();
  const env = isolatedEnv(dir.path, {
    CARAPACE_CONFIG_PASSWORD: "pw",
    OPENAI_BASE_URL: peer.origin,
    TERM: "xterm",
  });
  const run = await runCaraInPty(["setup"], {
    env,
    timeoutMs: 40_000,
    steps: [
      { wait: "LLM provider", send: `${DOWN}\r` },
      { wait: "Model", send: "gpt-4o\r" },
      { wait: "OPENAI_API_KEY", send: `${KEY}\r` },
      { wait: "Gateway auth", send: "\r" },
      { wait: "Gateway token", send: "\r" },
      { wait: "Listen on", send: `${DOWN}\r` },
      { wait: "Sure?", send: "y" },
      { wait: "Port", send: "18999\r" },
      { wait: "use first", send: `${DOWN}\r` },
      { wait: "Control UI", send: "y" },
      { wait: "cara verify", send: "n" },
    ],
  });
  assertEquals(run.code, 0, run.output);
  assertMatch(
    run.output,
    /Credentials check passed: openai answered with 1 model/,
  );
  // The driver logs what it typed as <<…>>; the terminal must not show the key.
  const shown = run.output.replace(/<<.*?>>/g, "");
  assert(!shown.includes(KEY.slice(3)), "the typed key was echoed");
  assertEquals(peer.auth, [`Bearer ${KEY}`]);
  const raw = JSON.parse(
    Deno.readTextFileSync(join(dir.path, "carapace.json")),
  );
  assertMatch(raw.openai.apiKey, /^enc:v2:/);
  assertMatch(raw.gateway.auth.token, /^enc:v2:/);
  assertMatch(raw.gateway.hooks.token, /^enc:v2:/);
  const { config } = await loadConfig({ env });
  assertEquals(config.openai?.apiKey, KEY);
  assertEquals(
    [config.gateway.port, config.gateway.bind, config.gateway.auth.mode],
    [18999, "lan", "token"],
  );
  assertMatch(config.gateway.auth.token!, /^[0-9a-f]{64}$/);
  assertEquals(config.gateway.hooks.enabled, true);
  assertMatch(config.gateway.hooks.token!, /^[0-9a-f]{64}$/);
  assertEquals(config.gateway.controlUi.enabled, true);
  assertEquals(config.agents.defaults.model, "openai:gpt-4o");
});

Deno.test("cara setup wizard cancelled with Ctrl-C writes nothing", async () => {
  using dir = tempDir();
  const run = await runCaraInPty(["setup"], {
    env: isolatedEnv(dir.path, { TERM: "xterm" }),
    steps: [
      { wait: "LLM provider", send: "\r" },
      { wait: "Model", send: "\x03" },
    ],
  });
  assertEquals(run.code, 1, run.output);
  assertMatch(run.output, /Setup cancelled: nothing was written/);
  assertEquals(
    [...Deno.readDirSync(dir.path)].map((e) => e.name).filter((n) =>
      n.startsWith("carapace")
    ),
    [],
  );
});
