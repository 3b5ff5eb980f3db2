import { Hono } from "hono";
import { FailedAuthLimiter } from "../../../gateway/auth/failed_auth_limiter.ts";
import { serviceAuth } from "../../../gateway/auth/http_service_auth.ts";
import { configSchema } from "../../../gateway/config/mod.ts";
import type { GatewayEnv } from "../../../gateway/server/client_address.ts";
import { assertEquals } from "../../_helpers.ts";

function app(auth: Record<string, unknown>, env = {}) {
  const config = configSchema.parse({ gateway: { auth } });
  const limiter = new FailedAuthLimiter({ maxFailures: 3, clock: () => 0 });
  const hono = new Hono<GatewayEnv>();
  hono.use("/control/*", serviceAuth({ config: () => config, env, limiter }));
  hono.get("/control/status", (c) => c.json({ ok: true }));
  return (headers: Record<string, string>, ip = "192.0.2.9") =>
    hono.request("/control/status", { headers }, {
      remoteAddr: { transport: "tcp", hostname: ip, port: 5000 },
    });
}

Deno.test("serviceAuth() passes a matching bearer token and answers 401 JSON otherwise", async () => {
  const request = app({ mode: "token", token: "svc-token" });
  assertEquals(
    (await request({ authorization: "Bearer svc-token" })).status,
    200,
  );
  for (
    const headers of [{}, { authorization: "Bearer nope" }, {
      authorization: "svc-token",
    }]
  ) {
    const res = await request(headers, "192.0.2.77");
    assertEquals(res.status, 401);
    assertEquals(await res.json(), {
      error: { message: "Unauthorized", type: "unauthorized" },
    });
  }
});

Deno.test("serviceAuth() checks the bearer value as the password in password mode", async () => {
  const request = app({ mode: "password" }, {
    CARAPACE_GATEWAY_PASSWORD: "pw",
  });
  assertEquals((await request({ authorization: "Bearer pw" })).status, 200);
  assertEquals((await request({ authorization: "Bearer pw2" })).status, 401);
});

Deno.test("serviceAuth() lets local-direct through in mode none and refuses remote peers", async () => {
  const request = app({ mode: "none" });
  assertEquals(
    (await request({ host: "localhost:18789" }, "127.0.0.1")).status,
    200,
  );
  assertEquals(
    (await request(
      { host: "localhost:18789", "x-forwarded-for": "1.1.1.1" },
      "127.0.0.1",
    )).status,
    401,
  );
  assertEquals(
    (await request({ host: "gw.example" }, "192.0.2.9")).status,
    401,
  );
});

Deno.test("serviceAuth() rate-limits an IP after repeated failures with 429 and Retry-After", async () => {
  const request = app({ mode: "token", token: "svc-token" });
  for (let i = 0; i < 3; i++) {
    assertEquals(
      (await request({ authorization: "Bearer guess" }, "127.0.0.1")).status,
      401,
    );
  }
  const limited = await request(
    { authorization: "Bearer svc-token" },
    "127.0.0.1",
  );
  assertEquals(limited.status, 429);
  assertEquals(limited.headers.get("retry-after"), "60");
  assertEquals((await limited.json()).error.type, "rate_limited");
  assertEquals(
    (await request({ authorization: "Bearer svc-token" }, "192.0.2.9")).status,
    200,
  );
});
