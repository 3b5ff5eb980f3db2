import { assert, assertEquals, assertRejects } from "../../_helpers.ts";
import { guardedFetch } from "../../../gateway/net/guarded_fetch.ts";
import { startHttpPeer } from "../../fakes/http_peer.ts";

/** "peer.test" resolves to the loopback peer, which the operator trusts here. */
const LOOPBACK = {
  schemes: ["http:", "https:"] as const,
  resolve: (host: string) =>
    host === "peer.test"
      ? Promise.resolve(["127.0.0.1"])
      : Promise.reject(new Error("NXDOMAIN")),
  trustedAddresses: ["127.0.0.1"],
  timeoutMs: 2000,
};

Deno.test("guardedFetch() connects to the pinned address and sets Host from the URL", async () => {
  await using peer = startHttpPeer();
  const res = await guardedFetch({
    method: "POST",
    url: `http://peer.test:${peer.port}/echo?q=1`,
    headers: [["Host", "evil.example"], ["X-Test", "yes"]],
    body: new TextEncoder().encode("hello"),
  }, LOOPBACK);
  assertEquals(res.status, 200);
  const echo = JSON.parse(new TextDecoder().decode(res.body));
  assertEquals(echo.method, "POST");
  assertEquals(echo.path, "/echo?q=1");
  assertEquals(echo.headers.host, `peer.test:${peer.port}`);
  assertEquals(echo.headers["x-test"], "yes");
  assertEquals(echo.body, "hello");
});

Deno.test("guardedFetch() refuses the loopback peer when the address is not trusted", async () => {
  await using peer = startHttpPeer();
  await assertRejects(
    () =>
      guardedFetch(
        { method: "GET", url: `http://peer.test:${peer.port}/echo` },
        { ...LOOPBACK, trustedAddresses: [] },
      ),
    { name: "SsrfError", message: /loopback/ },
  );
  await assertRejects(
    () =>
      guardedFetch({ method: "GET", url: `${peer.origin}/echo` }, {
        schemes: ["http:"],
      }),
    { name: "SsrfError" },
  );
  assertEquals(peer.hits("/echo"), 0);
});

Deno.test("guardedFetch() returns a redirect to a private address without following it", async () => {
  await using peer = startHttpPeer();
  const to = `http://169.254.169.254/latest/meta-data/`;
  const res = await guardedFetch({
    method: "GET",
    url: `http://peer.test:${peer.port}/redirect?to=${encodeURIComponent(to)}`,
  }, LOOPBACK);
  assertEquals(res.status, 302);
  assertEquals(
    res.headers.find(([name]) => name.toLowerCase() === "location")?.[1],
    to,
  );
  const local = `http://peer.test:${peer.port}/echo`;
  const again = await guardedFetch({
    method: "GET",
    url: `http://peer.test:${peer.port}/redirect?to=${
      encodeURIComponent(local)
    }`,
  }, LOOPBACK);
  assertEquals(again.status, 302);
  assertEquals(peer.hits("/echo"), 0);
});

Deno.test("guardedFetch() refuses a declared oversize response before reading it", async () => {
  await using peer = startHttpPeer();
  await assertRejects(
    () =>
      guardedFetch({
        method: "GET",
        url: `http://peer.test:${peer.port}/bytes?n=2000`,
      }, { ...LOOPBACK, maxResponseBytes: 1000 }),
    {
      name: "FetchError",
      code: "fetch_too_large",
      message: /declares 2000 bytes; the limit is 1000/,
    },
  );
});

Deno.test("guardedFetch() stops a streamed response at the cap and reports progress", async () => {
  await using peer = startHttpPeer();
  const seen: number[] = [];
  await assertRejects(
    () =>
      guardedFetch({
        method: "GET",
        url: `http://peer.test:${peer.port}/chunked?n=300000`,
      }, {
        ...LOOPBACK,
        maxResponseBytes: 100_000,
        onProgress: (received) => seen.push(received),
      }),
    { name: "FetchError", code: "fetch_too_large" },
  );
  assert(seen.every((n) => n <= 100_000));
  const ok = await guardedFetch({
    method: "GET",
    url: `http://peer.test:${peer.port}/chunked?n=150000`,
  }, LOOPBACK);
  assertEquals(ok.body.length, 150_000);
});

Deno.test("guardedFetch() refuses an oversize request body without sending it", async () => {
  await using peer = startHttpPeer();
  await assertRejects(
    () =>
      guardedFetch({
        method: "POST",
        url: `http://peer.test:${peer.port}/echo`,
        body: new Uint8Array(11),
      }, { ...LOOPBACK, maxRequestBytes: 10 }),
    { name: "FetchError", code: "fetch_too_large" },
  );
  assertEquals(peer.hits("/echo"), 0);
});

Deno.test("guardedFetch() gives up after its timeout", async () => {
  await using peer = startHttpPeer();
  const started = Date.now();
  await assertRejects(
    () =>
      guardedFetch({
        method: "GET",
        url: `http://peer.test:${peer.port}/slow?ms=500`,
      }, { ...LOOPBACK, timeoutMs: 100 }),
    { name: "FetchError", code: "fetch_timeout", message: /within 100 ms/ },
  );
  assert(Date.now() - started < 450);
});
