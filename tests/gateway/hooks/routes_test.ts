import { Hono } from "hono";
import type { AgentRuns, RunRequest } from "../../../gateway/agent/types.ts";
import { configSchema } from "../../../gateway/config/mod.ts";
import { hookRoutes } from "../../../gateway/hooks/routes.ts";
import { RoutingError } from "../../../gateway/providers/routing_error.ts";
import type { GatewayEnv } from "../../../gateway/server/client_address.ts";
import { assertEquals, assertMatch } from "../../_helpers.ts";

function recordingRuns(refuse?: Error): AgentRuns & { started: RunRequest[] } {
  const started: RunRequest[] = [];
  return {
    started,
    start(request) {
      if (refuse !== undefined) return Promise.reject(refuse);
      started.push(request);
      return Promise.resolve({
        runId: `run-${started.length}`,
        sessionKey: request.sessionKey,
        status: "accepted",
      });
    },
    wait: () => Promise.reject(new Error("not used")),
    abort: () => false,
  };
}

function app(hooks: Record<string, unknown>, runs = recordingRuns()) {
  const config = configSchema.parse({ gateway: { hooks } });
  const hono = new Hono<GatewayEnv>();
  hookRoutes({ config: () => config, runs })(hono);
  const post = (
    path: string,
    body: unknown,
    headers: Record<string, string> = { authorization: "Bearer hook-tok" },
  ) =>
    hono.request(path, {
      method: "POST",
      headers,
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  return { hono, runs, post };
}

const ON = { enabled: true, token: "hook-tok" };

Deno.test("POST /hooks/agent starts a run and answers 202 with its id", async () => {
  const { post, runs } = app(ON);
  const res = await post("/hooks/agent", {
    message: "summarise",
    name: "ci bot",
    model: "openai:gpt-test",
  });
  assertEquals(res.status, 202);
  assertEquals(await res.json(), { ok: true, runId: "run-1" });
  assertEquals(runs.started[0]?.source, "hook");
  assertEquals(runs.started[0]?.model, "openai:gpt-test");
  assertMatch(runs.started[0]!.sessionKey, /^hook:ci-bot:/);
});

Deno.test("POST /hooks/wake answers {ok, mode} with either token header and starts a wake run", async () => {
  const { post, runs } = app({ ...ON, path: "/in" });
  const res = await post("/in/wake", { text: "ping" }, {
    "x-carapace-token": "hook-tok",
  });
  assertEquals([res.status, await res.json()], [200, {
    ok: true,
    mode: "now",
  }]);
  assertEquals(runs.started[0]?.message, "ping");
  assertEquals(
    (await post("/in/wake", { text: "x", mode: "later" })).status,
    400,
  );
});

Deno.test("hooks answer 401 for a wrong or unconfigured token, 405 for GET, 404 when disabled, 413 over the cap", async () => {
  const { post, hono } = app({ ...ON, maxBodyBytes: 64 });
  assertEquals(
    (await post("/hooks/wake", { text: "x" }, { authorization: "Bearer nope" }))
      .status,
    401,
  );
  assertEquals((await post("/hooks/wake", { text: "x" }, {})).status, 401);
  const get = await hono.request("/hooks/wake", {
    headers: { authorization: "Bearer hook-tok" },
  });
  assertEquals([get.status, get.headers.get("allow")], [405, "POST"]);
  assertEquals(
    (await post("/hooks/wake", { text: "x".repeat(100) })).status,
    413,
  );
  assertEquals((await post("/hooks/other", { text: "x" })).status, 404);
  assertEquals(
    (await app({ enabled: true }).post("/hooks/wake", { text: "x" })).status,
    401,
  );
  assertEquals(
    (await app({ token: "hook-tok" }).post("/hooks/wake", { text: "x" }))
      .status,
    404,
  );
});

Deno.test("POST /hooks/agent maps refused runs: 400 with errorCode for unknown_route, 503 provider_not_configured", async () => {
  const bad = await app(ON).post("/hooks/agent", {
    message: "x",
    route: "a",
    model: "b",
  });
  assertEquals(bad.status, 400);
  const route = await app(
    ON,
    recordingRuns(
      new RoutingError("unknown_route", 'Cannot use route "fast": not defined'),
    ),
  )
    .post("/hooks/agent", { message: "x", route: "fast" });
  assertEquals([route.status, (await route.json()).errorCode], [
    400,
    "unknown_route",
  ]);
  const none = await app(
    ON,
    recordingRuns(new RoutingError("provider_not_configured", "no provider")),
  )
    .post("/hooks/agent", { message: "x" });
  assertEquals([none.status, await none.json()], [503, {
    ok: false,
    error: "no provider",
    errorCode: "provider_not_configured",
  }]);
});
