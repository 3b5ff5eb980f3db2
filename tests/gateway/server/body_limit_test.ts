import { assertEquals, assertThrows } from "../../_helpers.ts";
import { bodyLimit } from "../../../gateway/server/body_limit.ts";
import { testApp } from "./_helpers.ts";

function echoApp(maxBodyBytes?: number) {
  return testApp({
    ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
    routes: (app) =>
      app.post(
        "/echo",
        async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }),
      ),
  }).app;
}

function chunked(total: number, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const size = Math.min(chunk, total - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size));
    },
  });
}

Deno.test("bodyLimit() accepts a body up to the default 1 MiB", async () => {
  const res = await echoApp().request("/echo", {
    method: "POST",
    body: new Uint8Array(1024 * 1024),
  });
  assertEquals(res.status, 200);
  assertEquals(await res.json(), { bytes: 1024 * 1024 });
});

Deno.test("bodyLimit() answers 413 JSON when Content-Length exceeds the cap", async () => {
  const res = await echoApp().request("/echo", {
    method: "POST",
    body: new Uint8Array(1024 * 1024 + 1),
  });
  assertEquals(res.status, 413);
  assertEquals(await res.json(), {
    ok: false,
    error:
      "Request body too large: the limit is 1048576 bytes; send a smaller body",
  });
  assertEquals(res.headers.get("x-content-type-options"), "nosniff");
});

Deno.test("bodyLimit() answers 413 for a streamed body without Content-Length", async () => {
  const app = echoApp(1000);
  const small = await app.request("/echo", {
    method: "POST",
    body: chunked(1000, 100),
  });
  assertEquals(await small.json(), { bytes: 1000 });
  const big = await app.request("/echo", {
    method: "POST",
    body: chunked(10 * 1024 * 1024),
  });
  assertEquals(big.status, 413);
  await big.body?.cancel();
});

Deno.test("bodyLimit() rejects a negative cap at start-up", () => {
  assertThrows(() => bodyLimit({ maxBytes: -1 }), RangeError);
});
