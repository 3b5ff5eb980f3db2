import { Hono } from "hono";
import type { Tool } from "../../../gateway/agent/types.ts";
import { FailedAuthLimiter } from "../../../gateway/auth/failed_auth_limiter.ts";
import { serviceAuth } from "../../../gateway/auth/http_service_auth.ts";
import { configSchema } from "../../../gateway/config/mod.ts";
import type { GatewayEnv } from "../../../gateway/server/client_address.ts";
import { toolsHttpRoutes } from "../../../gateway/tools_http/routes.ts";
import { assertEquals, assertMatch } from "../../_helpers.ts";

const echo: Tool = {
  name: "echo",
  description: "echoes its input",
  inputSchema: { type: "object" },
  run: (input, context) =>
    Promise.resolve(
      (input as { fail?: boolean }).fail
        ? { content: "echo refused", isError: true }
        : { content: JSON.stringify({ input, session: context.sessionKey }) },
    ),
};

function app() {
  const config = configSchema.parse({
    gateway: {
      auth: { mode: "token", token: "svc" },
      hooks: { maxBodyBytes: 200 },
    },
  });
  const hono = new Hono<GatewayEnv>();
  toolsHttpRoutes({
    config: () => config,
    tools: () => [echo],
    auth: serviceAuth({
      config: () => config,
      env: {},
      limiter: new FailedAuthLimiter(),
    }),
  })(hono);
  return (body: unknown, token = "svc") =>
    hono.request("/tools/invoke", {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }, { remoteAddr: { transport: "tcp", hostname: "192.0.2.5", port: 1 } });
}

Deno.test("POST /tools/invoke runs the tool with args and action and answers {ok, result}", async () => {
  const invoke = app();
  const res = await invoke({
    tool: "echo",
    action: "go",
    args: { a: 1 },
    sessionKey: "s1",
  });
  assertEquals(res.status, 200);
  const body = await res.json();
  assertEquals(JSON.parse(body.result), {
    input: { a: 1, action: "go" },
    session: "s1",
  });
  const dry =
    await (await invoke({ tool: "echo", args: { a: 2 }, dryRun: true })).json();
  assertEquals(dry, {
    ok: true,
    result: { dryRun: true, tool: "echo", input: { a: 2 } },
  });
});

Deno.test("POST /tools/invoke answers 404 not_found, 400 tool_error, 401 and 413 in §10 shapes", async () => {
  const invoke = app();
  const missing = await invoke({ tool: "nope" });
  assertEquals(missing.status, 404);
  assertEquals((await missing.json()).error.type, "not_found");
  const failed = await invoke({ tool: "echo", args: { fail: true } });
  assertEquals([failed.status, (await failed.json()).error], [400, {
    type: "tool_error",
    message: "echo refused",
  }]);
  const denied = await invoke({ tool: "echo" }, "wrong");
  assertEquals([denied.status, await denied.json()], [401, {
    error: { message: "Unauthorized", type: "unauthorized" },
  }]);
  assertEquals(
    (await invoke({ tool: "echo", args: { pad: "x".repeat(300) } })).status,
    413,
  );
  assertMatch(
    (await (await invoke({ args: {} })).json()).error.message,
    /"tool" is required/,
  );
});
