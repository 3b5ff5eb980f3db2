import { assert, assertEquals, assertThrows } from "../../_helpers.ts";
import { Hono } from "hono";
import type { GatewayEnv } from "../../../gateway/server/client_address.ts";
import {
  rateLimit,
  type RateLimitOptions,
} from "../../../gateway/server/rate_limit.ts";
import { peer, testApp } from "./_helpers.ts";

function limited(options: RateLimitOptions): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  app.use(rateLimit(options));
  app.all("*", (c) => c.text("ok"));
  return app;
}

async function statuses(
  app: Hono<GatewayEnv>,
  path: string,
  count: number,
  ip = "203.0.113.9",
): Promise<number[]> {
  const out: number[] = [];
  for (let index = 0; index < count; index++) {
    const res = await app.request(path, {}, peer(ip));
    await res.body?.cancel();
    out.push(res.status);
  }
  return out;
}

Deno.test("rateLimit() allows the default burst of 200 then answers 429 JSON with Retry-After", async () => {
  const now = 0;
  const { app, metrics } = testApp({ clock: () => now });
  const first = await statuses(app, "/health", 200);
  assertEquals(first.every((status) => status === 200), true);
  const res = await app.request("/health", {}, peer("203.0.113.9"));
  assertEquals(res.status, 429);
  assertEquals(res.headers.get("retry-after"), "1");
  assertEquals(res.headers.get("content-type"), "application/json");
  assertEquals(await res.json(), {
    ok: false,
    error: "Too many requests: slow down and retry after 1 s",
  });
  assertEquals(res.headers.get("x-frame-options"), "DENY");
  assertEquals(metrics.rateLimitHits.get(), 1);
  assertEquals(metrics.httpRequests.get({ method: "GET", status: "429" }), 1);
});

Deno.test("rateLimit() refills the bucket with time at the configured rate", async () => {
  let now = 0;
  const app = limited({
    clock: () => now,
    fallback: { perSecond: 2, burst: 2 },
  });
  assertEquals(await statuses(app, "/x", 3), [200, 200, 429]);
  now += 499;
  assertEquals(await statuses(app, "/x", 1), [429]);
  now += 2;
  assertEquals(await statuses(app, "/x", 2), [200, 429]);
  now += 10_000;
  assertEquals(await statuses(app, "/x", 3), [200, 200, 429]);
});

Deno.test("rateLimit() computes Retry-After from the rule's refill rate", async () => {
  const app = limited({
    clock: () => 0,
    fallback: { perSecond: 0.25, burst: 1 },
  });
  const res = await app.request("/x", {}, peer("198.51.100.1"));
  await res.body?.cancel();
  assertEquals(res.status, 200);
  const again = await app.request("/x", {}, peer("198.51.100.1"));
  await again.body?.cancel();
  assertEquals(again.status, 429);
  assertEquals(again.headers.get("retry-after"), "4");
});

Deno.test("rateLimit() applies the /hooks/ and /tools/ rules (burst 100) with separate buckets", async () => {
  const app = limited({ clock: () => 0 });
  const hooks = await statuses(app, "/hooks/wake", 101);
  assertEquals(hooks.filter((status) => status === 200).length, 100);
  assertEquals(hooks.at(-1), 429);
  const tools = await statuses(app, "/tools/invoke", 101);
  assertEquals(tools.filter((status) => status === 200).length, 100);
  assertEquals(await statuses(app, "/health", 1), [200]);
});

Deno.test("rateLimit() keeps one bucket per client address", async () => {
  const app = limited({ clock: () => 0, fallback: { perSecond: 1, burst: 1 } });
  assertEquals(await statuses(app, "/x", 2, "192.0.2.1"), [200, 429]);
  assertEquals(await statuses(app, "/x", 2, "192.0.2.2"), [200, 429]);
});

Deno.test("rateLimit() exempts loopback clients", async () => {
  const app = limited({ clock: () => 0, fallback: { perSecond: 1, burst: 1 } });
  for (const ip of ["127.0.0.1", "::1", "::ffff:127.0.0.1"]) {
    assertEquals(
      (await statuses(app, "/x", 5, ip)).every((status) => status === 200),
      true,
      ip,
    );
  }
});

Deno.test("rateLimit() uses an injected client-address resolver and limits unknown clients", async () => {
  const viaHeader = limited({
    clock: () => 0,
    fallback: { perSecond: 1, burst: 1 },
    clientAddress: (c) => c.req.header("x-test-ip"),
  });
  const ask = async (ip?: string) => {
    const res = await viaHeader.request(
      "/x",
      ip === undefined ? {} : { headers: { "x-test-ip": ip } },
    );
    await res.body?.cancel();
    return res.status;
  };
  assertEquals([await ask("10.1.1.1"), await ask("10.1.1.1")], [200, 429]);
  assertEquals([await ask("127.0.0.1"), await ask("127.0.0.1")], [200, 200]);
  assertEquals([await ask(), await ask()], [200, 429]);
});

Deno.test("rateLimit() bounds its bucket map by evicting the least recently used client", async () => {
  const app = limited({
    clock: () => 0,
    fallback: { perSecond: 1, burst: 1 },
    maxBuckets: 2,
  });
  assertEquals(await statuses(app, "/x", 2, "192.0.2.1"), [200, 429]);
  await statuses(app, "/x", 1, "192.0.2.2");
  await statuses(app, "/x", 1, "192.0.2.3");
  // 192.0.2.1 was evicted, so it starts with a full bucket again.
  assertEquals(await statuses(app, "/x", 1, "192.0.2.1"), [200]);
  assertEquals(await statuses(app, "/x", 1, "192.0.2.3"), [429]);
});

Deno.test("rateLimit() rejects rules with zero rate or burst at start-up", () => {
  assertThrows(
    () => rateLimit({ fallback: { perSecond: 0, burst: 10 } }),
    RangeError,
  );
  assertThrows(
    () => rateLimit({ rules: [{ prefix: "/a", perSecond: 1, burst: 0 }] }),
    RangeError,
  );
  assert(typeof rateLimit() === "function");
});
