import { assert, assertEquals, tempDir } from "../../_helpers.ts";
import type { ReadinessCheck } from "../../../gateway/server/readiness.ts";
import {
  runReadinessChecks,
  stateDirWritable,
} from "../../../gateway/server/readiness.ts";
import { testApp } from "./_helpers.ts";

Deno.test("GET /health and /health/live answer ok with version and monotonic uptime", async () => {
  let now = 5_000;
  const { app } = testApp({ clock: () => now });
  now += 42_900;
  for (const path of ["/health", "/health/live"]) {
    const res = await app.request(path);
    assertEquals(res.status, 200);
    assertEquals(res.headers.get("content-type"), "application/json");
    assertEquals(await res.json(), {
      status: "ok",
      version: "9.9.9",
      uptimeSeconds: 42,
    });
  }
});

Deno.test("GET /health/ready answers ready when the state dir is writable and leaves no probe file", async () => {
  using dir = tempDir();
  const { app } = testApp({ stateDir: dir.path });
  const res = await app.request("/health/ready");
  assertEquals(res.status, 200);
  assertEquals(await res.json(), {
    status: "ready",
    checks: { stateDir: { ok: true } },
  });
  assertEquals([...Deno.readDirSync(dir.path)], []);
});

// Tests run as root, where chmod 0500 does not stop writes. These cases fail
// for root too: the state dir was deleted, or its path runs through a file.
for (
  const [label, makePath] of [
    ["was removed", (base: string) => {
      Deno.mkdirSync(`${base}/state`);
      Deno.removeSync(`${base}/state`);
      return `${base}/state`;
    }],
    ["lies under a regular file", (base: string) => {
      Deno.writeTextFileSync(`${base}/file`, "");
      return `${base}/file/state`;
    }],
  ] as const
) {
  Deno.test(`GET /health/ready answers 503 with Retry-After 5 when the state dir ${label}`, async () => {
    using dir = tempDir();
    const stateDir = makePath(dir.path);
    const { app, logger } = testApp({ stateDir });
    const res = await app.request("/health/ready");
    assertEquals(res.status, 503);
    assertEquals(res.headers.get("retry-after"), "5");
    assertEquals(await res.json(), {
      status: "not_ready",
      checks: { stateDir: { ok: false, error: "failed" } },
    });
    const logged = logger.tail({ pattern: "readiness" }).entries;
    assertEquals(logged.length, 1);
    assertEquals(logged[0]?.fields?.check, "stateDir");
  });
}

Deno.test("GET /health/ready reports each extra check and 503 when any fails", async () => {
  const ok: ReadinessCheck = { name: "database", run: () => Promise.resolve() };
  const bad: ReadinessCheck = {
    name: "provider",
    run: () => Promise.reject(new Error("unreachable")),
  };
  const res = await testApp({ readinessChecks: [ok, bad] }).app.request(
    "/health/ready",
  );
  assertEquals(res.status, 503);
  assertEquals(await res.json(), {
    status: "not_ready",
    checks: {
      database: { ok: true },
      provider: { ok: false, error: "failed" },
    },
  });
});

Deno.test("runReadinessChecks() fails a hung check after its timeout and aborts its signal", async () => {
  let aborted = false;
  const hung: ReadinessCheck = {
    name: "hung",
    run: (signal) =>
      new Promise((_resolve, reject) => {
        signal.addEventListener("abort", () => {
          aborted = true;
          reject(new Error("aborted"));
        });
      }),
  };
  const report = await runReadinessChecks([hung], { timeoutMs: 30 });
  assertEquals(report.ready, false);
  assertEquals(report.checks, { hung: { ok: false, error: "timed out" } });
  assertEquals(aborted, true);
});

Deno.test("stateDirWritable() succeeds on a writable dir", async () => {
  using dir = tempDir();
  await stateDirWritable(dir.path).run(new AbortController().signal);
});

Deno.test("GET /metrics serves Prometheus text 0.0.4 counting earlier requests", async () => {
  const { app } = testApp();
  await (await app.request("/health")).body?.cancel();
  await (await app.request("/missing")).body?.cancel();
  const res = await app.request("/metrics");
  assertEquals(res.status, 200);
  assertEquals(
    res.headers.get("content-type"),
    "text/plain; version=0.0.4; charset=utf-8",
  );
  const text = await res.text();
  assert(
    text.includes(
      'carapace_http_requests_total{method="GET",status="200"} 1\n',
    ),
    text,
  );
  assert(
    text.includes(
      'carapace_http_requests_total{method="GET",status="404"} 1\n',
    ),
    text,
  );
  assert(
    text.includes('carapace_build_info{version="9.9.9",commit="abc1234"} 1\n'),
    text,
  );
});
