import { assert, assertEquals, assertRejects } from "../../_helpers.ts";
import { CaraError } from "../../../gateway/errors.ts";
import { listenError } from "../../../gateway/server/listen_error.ts";
import { serveGateway } from "../../../gateway/server/serve.ts";
import { testApp } from "./_helpers.ts";

Deno.test("serveGateway() listens on an ephemeral port and serves the app", async () => {
  const { app, logger } = testApp({
    routes: (app) =>
      app.get("/peer", (c) => c.text(c.env.remoteAddr?.transport ?? "none")),
  });
  const seen: string[] = [];
  const server = await serveGateway(app, {
    hostname: "127.0.0.1",
    port: 0,
    logger,
    onListen: ({ url }) => seen.push(url),
  });
  try {
    assert(server.port > 0);
    assertEquals(server.url, `http://127.0.0.1:${server.port}`);
    assertEquals(seen, [server.url]);
    const res = await fetch(`${server.url}/health`);
    assertEquals(res.status, 200);
    assertEquals((await res.json()).status, "ok");
    assertEquals(await (await fetch(`${server.url}/peer`)).text(), "tcp");
  } finally {
    await server.shutdown();
  }
  assertEquals(
    logger.tail({ pattern: "listening" }).entries[0]?.fields?.url,
    server.url,
  );
});

Deno.test("serveGateway() passes the TCP peer so loopback clients are exempt from the rate limit", async () => {
  const { app, logger, metrics } = testApp({
    rateLimit: { fallback: { perSecond: 1, burst: 1 } },
  });
  const server = await serveGateway(app, {
    hostname: "127.0.0.1",
    port: 0,
    logger,
  });
  try {
    for (let index = 0; index < 5; index++) {
      const res = await fetch(`${server.url}/health`);
      await res.body?.cancel();
      assertEquals(res.status, 200);
    }
    assertEquals(metrics.rateLimitHits.get(), 0);
  } finally {
    await server.shutdown();
  }
});

Deno.test("serveGateway() rejects with port_in_use when the port is taken", async () => {
  const { app, logger } = testApp();
  const first = await serveGateway(app, {
    hostname: "127.0.0.1",
    port: 0,
    logger,
  });
  try {
    await assertRejects(
      () =>
        serveGateway(app, { hostname: "127.0.0.1", port: first.port, logger }),
      (error: unknown) => {
        assert(error instanceof CaraError);
        assertEquals(error.code, "port_in_use");
        assertEquals(
          error.message,
          `Cannot listen on 127.0.0.1:${first.port}: the address is already in use; stop the other process or choose another port with --port or gateway.port`,
        );
        return true;
      },
    );
  } finally {
    await first.shutdown();
  }
});

Deno.test("serveGateway() rejects with address_not_available for an address this host lacks", async () => {
  const { app, logger } = testApp();
  await assertRejects(
    () => serveGateway(app, { hostname: "192.0.2.123", port: 0, logger }),
    (error: unknown) =>
      error instanceof CaraError && error.code === "address_not_available",
  );
});

Deno.test("listenError() explains permission denied on low ports and keeps unknown errors", () => {
  const denied = listenError(new Deno.errors.PermissionDenied("os error 13"), {
    hostname: "0.0.0.0",
    port: 80,
    tls: false,
  });
  assert(denied instanceof CaraError);
  assertEquals(denied.code, "port_permission_denied");
  assertEquals(
    denied.message,
    "Cannot listen on 0.0.0.0:80: permission denied; ports below 1024 need root or CAP_NET_BIND_SERVICE; choose another port with --port or gateway.port above 1023",
  );
  const bug = new RangeError("x");
  assertEquals(listenError(bug, { hostname: "::1", port: 1, tls: false }), bug);
  const tls = listenError(new TypeError("bad pem"), {
    hostname: "::1",
    port: 8443,
    tls: true,
  });
  assert(
    tls instanceof CaraError && tls.code === "tls_invalid" &&
      tls.message.startsWith("Cannot listen with TLS on [::1]:8443"),
  );
});

Deno.test("GatewayServer.shutdown() finishes an in-flight request while refusing new connections", async () => {
  let entered!: () => void;
  const inHandler = new Promise<void>((resolve) => (entered = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const { app, logger } = testApp({
    routes: (app) =>
      app.get("/slow", async (c) => {
        entered();
        await released;
        return c.json({ done: true });
      }),
  });
  const server = await serveGateway(app, {
    hostname: "127.0.0.1",
    port: 0,
    logger,
  });
  const pending = fetch(`${server.url}/slow`);
  await inHandler;
  const closing = server.shutdown();
  await new Promise((resolve) => setTimeout(resolve, 50));
  await assertRejects(() =>
    Deno.connect({ hostname: "127.0.0.1", port: server.port })
  );
  release();
  const res = await pending;
  assertEquals(res.status, 200);
  assertEquals(await res.json(), { done: true });
  await closing;
  await server.finished;
  assertEquals(logger.tail({ pattern: "drain timed out" }).entries.length, 0);
});

Deno.test("GatewayServer.shutdown() answers 503 to requests still running after the drain timeout", async () => {
  let entered!: () => void;
  const inHandler = new Promise<void>((resolve) => (entered = resolve));
  const { app, logger } = testApp({
    routes: (app) =>
      app.get("/hang", () => {
        entered();
        return new Promise<Response>(() => {});
      }),
  });
  const server = await serveGateway(app, {
    hostname: "127.0.0.1",
    port: 0,
    logger,
    drainTimeoutMs: 100,
  });
  const pending = fetch(`${server.url}/hang`);
  await inHandler;
  const started = performance.now();
  await server.shutdown();
  assert(performance.now() - started < 3000);
  const res = await pending;
  assertEquals(res.status, 503);
  assertEquals(await res.json(), {
    ok: false,
    error: "Service unavailable: the gateway is shutting down",
  });
  assertEquals(logger.tail({ pattern: "drain timed out" }).entries.length, 1);
});

Deno.test("GatewayServer.shutdown() cuts an endless event stream after the drain timeout", async () => {
  const { app, logger } = testApp({
    routes: (app) =>
      app.get("/events", () => {
        const body = new ReadableStream<Uint8Array>({
          start: (controller) =>
            controller.enqueue(new TextEncoder().encode("data: hello\n\n")),
        });
        return new Response(body, {
          headers: { "content-type": "text/event-stream" },
        });
      }),
  });
  const server = await serveGateway(app, {
    hostname: "127.0.0.1",
    port: 0,
    logger,
    drainTimeoutMs: 100,
  });
  const res = await fetch(`${server.url}/events`);
  const reader = res.body!.getReader();
  const first = await reader.read();
  assertEquals(new TextDecoder().decode(first.value), "data: hello\n\n");
  await server.shutdown();
  await server.finished;
  await assertRejects(async () => {
    const next = await reader.read();
    if (next.done) throw new Error("stream ended");
  });
});

Deno.test("serveGateway() shuts down when its signal aborts", async () => {
  const { app, logger } = testApp();
  const controller = new AbortController();
  const server = await serveGateway(app, {
    hostname: "127.0.0.1",
    port: 0,
    logger,
    signal: controller.signal,
  });
  controller.abort();
  await server.finished;
  await assertRejects(() =>
    Deno.connect({ hostname: "127.0.0.1", port: server.port })
  );
});

function nonLoopbackIpv4(): string | undefined {
  return Deno.networkInterfaces().find((i) =>
    i.family === "IPv4" && !i.address.startsWith("127.")
  )?.address;
}

async function upgradeStatus(url: string): Promise<string> {
  const res = await fetch(url, {
    headers: { upgrade: "websocket", connection: "Upgrade" },
  });
  return `${res.status} ${await res.text()}`;
}

Deno.test({
  name:
    "serveGateway() serves loopbackUpgrades before the app for loopback peers only",
  ignore: nonLoopbackIpv4() === undefined,
  async fn() {
    const { app, logger } = testApp({
      routes: (app) => app.get("/ws", (c) => c.text("through the app")),
    });
    const seen: string[] = [];
    const server = await serveGateway(app, {
      hostname: "0.0.0.0",
      port: 0,
      logger,
      loopbackUpgrades: {
        "/ws": (_request, ip) => {
          seen.push(ip);
          return new Response("fast path");
        },
      },
    });
    try {
      const loopback = `http://127.0.0.1:${server.port}/ws`;
      assertEquals(await upgradeStatus(loopback), "200 fast path");
      assertEquals(await upgradeStatus(`${loopback}?x=1`), "200 fast path");
      // A plain GET is the app's, and so is every request from elsewhere.
      assertEquals(await (await fetch(loopback)).text(), "through the app");
      const remote = `http://${nonLoopbackIpv4()}:${server.port}/ws`;
      assertEquals(await upgradeStatus(remote), "200 through the app");
      assertEquals(seen, ["127.0.0.1", "127.0.0.1"]);
    } finally {
      await server.shutdown();
    }
  },
});
