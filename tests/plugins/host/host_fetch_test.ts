import { assert, assertEquals, tempDir } from "../../_helpers.ts";
import {
  createHostFunctions,
  type HostDeps,
} from "../../../plugins/host/host_functions.ts";
import type { HostResult, HttpResponse } from "../../../plugins/host/types.ts";
import { startHttpPeer } from "../../fakes/http_peer.ts";
import {
  manualClock,
  MemoryCredentialStore,
  peerCertificate,
  RecordingLogger,
} from "./_helpers.ts";

const TLS = await peerCertificate();

function setup(stateDir: string, extra: Partial<HostDeps> = {}) {
  const clock = manualClock();
  const logger = new RecordingLogger();
  const host = createHostFunctions("weather", {
    logger,
    credentials: new MemoryCredentialStore(),
    pluginConfig: () => undefined,
    stateDir,
    sandbox: {
      overrides: { weather: { allow_http: true, allow_media: true } },
    },
    fetch: {
      resolve: (host) =>
        host === "peer.test"
          ? Promise.resolve(["127.0.0.1"])
          : Promise.reject(new Error("NXDOMAIN")),
      trustedAddresses: ["127.0.0.1"],
      caCerts: [TLS.cert],
    },
    httpTimeoutMs: 2000,
    clock: clock.now,
    ...extra,
  });
  return { host, clock, logger };
}

function errOf(result: HostResult<HttpResponse>): string {
  assertEquals(result.tag, "err");
  return result.val as string;
}

Deno.test("httpFetch() reaches an HTTPS peer pinned by address with TLS checked for the name", async () => {
  using dir = tempDir();
  await using peer = startHttpPeer(TLS);
  const { host } = setup(dir.path);
  const result = await host.httpFetch({
    method: "post",
    url: `https://peer.test:${peer.port}/echo`,
    headers: [["host", "attacker.example"], ["x-a", "1"]],
    body: new TextEncoder().encode("hi"),
  });
  assertEquals(result.tag, "ok");
  const res = result.val as HttpResponse;
  assertEquals(res.status, 200);
  const echo = JSON.parse(new TextDecoder().decode(res.body));
  assertEquals(
    [echo.method, echo.headers.host, echo.headers["x-a"], echo.body],
    ["POST", `peer.test:${peer.port}`, "1", "hi"],
  );
});

Deno.test("httpFetch() refuses a certificate that does not match the host name", async () => {
  using dir = tempDir();
  await using peer = startHttpPeer(TLS);
  const { host } = setup(dir.path, {
    fetch: {
      resolve: () => Promise.resolve(["127.0.0.1"]),
      trustedAddresses: ["127.0.0.1"],
      caCerts: [TLS.cert],
    },
  });
  const message = errOf(
    await host.httpFetch({
      method: "GET",
      url: `https://other.test:${peer.port}/echo`,
      headers: [],
    }),
  );
  assert(message.startsWith('Cannot fetch "GET https://other.test'), message);
  assertEquals(peer.hits("/echo"), 0);
});

Deno.test("httpFetch() is denied without allow_http, with the capability error", async () => {
  using dir = tempDir();
  const { host } = setup(dir.path, { sandbox: {} });
  assertEquals(
    errOf(
      await host.httpFetch({
        method: "GET",
        url: "https://peer.test/",
        headers: [],
      }),
    ),
    'Capability denied: plugin "weather" may not make HTTP requests; set plugins.sandbox.overrides.weather.allow_http to true to allow it',
  );
});

Deno.test("httpFetch() refuses http://, private targets, bad methods and URLs outside its permissions", async () => {
  using dir = tempDir();
  const { host } = setup(dir.path, { fetch: {} });
  assert(
    errOf(
      await host.httpFetch({
        method: "GET",
        url: "http://example.com/",
        headers: [],
      }),
    ).includes('scheme "http:"'),
  );
  assert(
    errOf(
      await host.httpFetch({
        method: "GET",
        url: "https://169.254.169.254/",
        headers: [],
      }),
    ).includes("169.254.0.0/16"),
  );
  assert(
    errOf(
      await host.httpFetch({
        method: "GET",
        url: "https://[::ffff:127.0.0.1]/",
        headers: [],
      }),
    ).includes("loopback"),
  );
  assert(
    errOf(
      await host.httpFetch({
        method: "TRACE",
        url: "https://example.com/",
        headers: [],
      }),
    ).includes('method "TRACE"'),
  );
  const limited = setup(dir.path, {
    permissions: {
      enabled: true,
      overrides: {
        weather: { http_allowed_urls: ["https://api.example.com/*"] },
      },
    },
  }).host;
  assert(
    errOf(
      await limited.httpFetch({
        method: "GET",
        url: "https://api.example.com/a/b?key=secret",
        headers: [],
      }),
    )
      .startsWith(
        'Permission denied: plugin "weather" may not use http URL "https://api.example.com/a/b"',
      ),
  );
});

Deno.test("httpFetch() allows 100 requests in a sliding minute (injected clock)", async () => {
  using dir = tempDir();
  const { host, clock } = setup(dir.path, { fetch: {} });
  const call = () =>
    host.httpFetch({ method: "GET", url: "https://127.0.0.1/", headers: [] });
  for (let i = 0; i < 100; i++) {
    assert(errOf(await call()).includes("loopback"));
  }
  assert(errOf(await call()).includes("more than 100 requests in a minute"));
  clock.advance(30_000);
  assert(errOf(await call()).includes("more than 100 requests"));
  clock.advance(30_001);
  assert(errOf(await call()).includes("loopback"));
});

Deno.test("httpFetch() refuses request and response bodies over 10 MiB", async () => {
  using dir = tempDir();
  await using peer = startHttpPeer(TLS);
  const { host } = setup(dir.path);
  const big = new Uint8Array(10 * 1024 * 1024 + 1);
  assert(
    errOf(
      await host.httpFetch({
        method: "POST",
        url: `https://peer.test:${peer.port}/echo`,
        headers: [],
        body: big,
      }),
    ).includes("limit is 10485760"),
  );
  assertEquals(peer.hits("/echo"), 0);
  assert(
    errOf(
      await host.httpFetch({
        method: "GET",
        url: `https://peer.test:${peer.port}/chunked?n=${10 * 1024 * 1024 + 1}`,
        headers: [],
      }),
    ).includes("limit is 10485760"),
  );
});

Deno.test("mediaFetch() writes a private temp file under the state dir and honours maxBytes", async () => {
  using dir = tempDir();
  await using peer = startHttpPeer(TLS);
  peer.serveFile("cat.png", new Uint8Array([1, 2, 3, 4]));
  const { host } = setup(dir.path);
  const result = await host.mediaFetch(
    `https://peer.test:${peer.port}/file/cat.png`,
  );
  assertEquals([result.ok, result.size, result.mimeType], [
    true,
    4n,
    "application/wasm",
  ]);
  assert(result.localPath?.startsWith(`${dir.path}/plugins/.media/weather/`));
  assertEquals(
    await Deno.readFile(result.localPath!),
    new Uint8Array([1, 2, 3, 4]),
  );
  assertEquals((await Deno.stat(result.localPath!)).mode! & 0o777, 0o600);
  const capped = await host.mediaFetch(
    `https://peer.test:${peer.port}/bytes?n=100`,
    10n,
  );
  assertEquals(capped.ok, false);
  assert(capped.error?.includes("limit is 10 bytes"));
});

Deno.test("mediaFetch() is denied without allow_media and refuses private targets", async () => {
  using dir = tempDir();
  const denied = await setup(dir.path, {
    sandbox: { defaults: { allow_http: true } },
  }).host.mediaFetch("https://example.com/a.png");
  assertEquals(denied.ok, false);
  assert(
    denied.error?.startsWith(
      'Capability denied: plugin "weather" may not fetch media',
    ),
  );
  const local = await setup(dir.path, { fetch: {} }).host.mediaFetch(
    "https://127.0.0.1/a.png",
  );
  assert(local.error?.includes("loopback"));
});
