import { assert, assertEquals } from "../../_helpers.ts";
import { CaraError } from "../../../gateway/errors.ts";
import { HTTPException } from "hono/http-exception";
import { testApp } from "./_helpers.ts";

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
