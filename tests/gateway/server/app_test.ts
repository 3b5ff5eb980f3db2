import { assert, assertEquals, assertMatch } from "../../_helpers.ts";
import { CaraError } from "../../../gateway/errors.ts";
import { HTTPException } from "hono/http-exception";
import { peer, testApp } from "./_helpers.ts";

Deno.test("createGatewayApp() answers unknown paths with 404 JSON naming the path", async () => {
  const res = await testApp().app.request("/no/such/thing?token=x");
  assertEquals(res.status, 404);
  assertEquals(await res.json(), {
    ok: false,
    error: 'Not found: "/no/such/thing"',
  });
});

Deno.test("createGatewayApp() answers 500 without the stack and logs the stack", async () => {
  const { app, logger } = testApp({
    routes: (app) =>
      app.get("/boom", () => {
        throw new Error("database exploded at secret place");
      }),
  });
  const res = await app.request("/boom");
  assertEquals(res.status, 500);
  const body = await res.text();
  assertEquals(JSON.parse(body), {
    ok: false,
    error: "Internal server error: see the gateway log for details",
  });
  assert(!body.includes("exploded") && !body.includes("at "));
  const [entry] = logger.tail({ minLevel: "error" }).entries;
  const error = entry?.fields?.error as { message: string; stack: string };
  assertEquals(error.message, "database exploded at secret place");
  assert(error.stack.includes("app_test.ts"));
});

Deno.test("createGatewayApp() maps CaraError to 400 and HTTPException to its status", async () => {
  const { app } = testApp({
    routes: (app) => {
      app.get("/cara", () => {
        throw new CaraError("bad_thing", 'Cannot do "x": y is wrong');
      });
      app.get("/http", () => {
        throw new HTTPException(418, { message: "I am a teapot" });
      });
    },
  });
  const cara = await app.request("/cara");
  assertEquals(cara.status, 400);
  assertEquals(await cara.json(), {
    ok: false,
    error: 'Cannot do "x": y is wrong',
    code: "bad_thing",
  });
  const http = await app.request("/http");
  assertEquals(http.status, 418);
  assertEquals(await http.json(), { ok: false, error: "I am a teapot" });
});

Deno.test("createGatewayApp() logs method, path, status and duration but never the query or headers", async () => {
  const { app, logger } = testApp();
  const res = await app.request("/health?token=supersecret", {
    headers: { authorization: "Bearer supersecret" },
  });
  await res.body?.cancel();
  const entries = logger.tail({ pattern: "request" }).entries;
  assertEquals(entries.length, 1);
  const fields = entries[0]?.fields as Record<string, unknown>;
  assertEquals([fields.method, fields.path, fields.status], [
    "GET",
    "/health",
    200,
  ]);
  assertEquals(typeof fields.ms, "number");
  assert(!JSON.stringify(logger.tail()).includes("supersecret"));
});

Deno.test("createGatewayApp() counts hostile methods as OTHER in metrics", async () => {
  const { app, metrics } = testApp();
  await (await app.request("/health", { method: "BREW" })).body?.cancel();
  assertEquals(metrics.httpRequests.get({ method: "OTHER", status: "404" }), 1);
});

Deno.test("createGatewayApp() answers 400 without an error log when the client breaks off its body", async () => {
  const { app, logger } = testApp({
    routes: (app) =>
      app.post(
        "/echo",
        async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }),
      ),
  });
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array(10));
      controller.error(
        new Deno.errors.BadResource(
          "Cannot read request body as underlying resource unavailable",
        ),
      );
    },
  });
  const res = await app.request("/echo", { method: "POST", body });
  assertEquals(res.status, 400);
  assertEquals(await res.json(), {
    ok: false,
    error:
      "Cannot read the request body: the connection broke or the encoding is invalid",
  });
  assertEquals(logger.tail({ minLevel: "error" }).entries, []);
});

function upgradeApp(limit?: { perSecond: number; burst: number }) {
  return testApp({
    ...(limit === undefined ? {} : { rateLimit: { fallback: limit } }),
    // A stand-in for the 101 that Deno.upgradeWebSocket returns.
    upgrades: { "/ws": (c) => c.text("upgraded", 200) },
    routes: (app) => app.get("/ws", (c) => c.json({ upgrade: false }, 426)),
  });
}

const UPGRADE = { upgrade: "websocket", connection: "Upgrade" };

Deno.test("createGatewayApp() serves upgrades ahead of the middleware and plain GETs through it", async () => {
  const { app, logger } = upgradeApp();
  const upgraded = await app.request("/ws", { headers: UPGRADE });
  assertEquals([upgraded.status, await upgraded.text()], [200, "upgraded"]);
  // The endpoint logs its own connects: no request line for the upgrade.
  assertEquals(logger.tail({}).entries.map((e) => e.message), []);
  const plain = await app.request("/ws");
  assertEquals([plain.status, await plain.json()], [426, { upgrade: false }]);
  assertEquals(plain.headers.get("x-content-type-options"), "nosniff");
  assertEquals(logger.tail({}).entries.map((e) => e.fields?.status), [426]);
});

Deno.test("createGatewayApp() rate-limits upgrades from a remote peer, never from loopback", async () => {
  const { app, metrics } = upgradeApp({ perSecond: 1, burst: 2 });
  const statuses = async (host: string) => {
    const out: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await app.request("/ws", { headers: UPGRADE }, peer(host));
      await res.body?.cancel();
      out.push(res.status);
    }
    return out;
  };
  assertEquals(await statuses("192.0.2.7"), [200, 200, 429]);
  assertEquals(await statuses("127.0.0.1"), [200, 200, 200]);
  assertMatch(metrics.registry.render(), /^carapace_rate_limit_hits_total 1$/m);
});
