import { assert, assertEquals, assertMatch } from "../../_helpers.ts";
import { controlFixture } from "./_helpers.ts";

const ENABLED = `{ gateway: { control: { enabled: true } } }`;

async function fileHash(path: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    await Deno.readFile(path),
  );
  return Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

function patch(body: unknown): RequestInit {
  return {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  };
}

Deno.test("controlRoutes() answers 404 on every /control route while gateway.control.enabled is false", async () => {
  using f = await controlFixture(`{}`);
  for (
    const [path, init] of [
      ["/control/status", {}],
      ["/control/config", {}],
      ["/control/config", patch({ path: "gateway.controlUi.enabled" })],
    ] as const
  ) {
    const res = await f.request(path, init);
    assertEquals(res.status, 404);
    assertEquals(await res.json(), {
      ok: false,
      error: `Not found: "${path}"`,
    });
  }
});

Deno.test("controlRoutes() follows a config reload that turns the control API on and off", async () => {
  using f = await controlFixture(`{}`);
  assertEquals((await f.request("/control/status")).status, 404);
  await Deno.writeTextFile(f.path, ENABLED);
  assert(await f.reloader.reload());
  assertEquals((await f.request("/control/status")).status, 200);
  await Deno.writeTextFile(f.path, `{}`);
  assert(await f.reloader.reload());
  assertEquals((await f.request("/control/status")).status, 404);
});

Deno.test("controlRoutes() answers 401 without service auth", async () => {
  using f = await controlFixture(ENABLED);
  const res = await f.request("/control/status", {
    headers: { authorization: "Bearer wrong" },
  });
  assertEquals(res.status, 401);
  await res.body?.cancel();
});

Deno.test("GET /control/status answers the documented shape", async () => {
  using f = await controlFixture(ENABLED);
  const res = await f.request("/control/status");
  assertEquals(res.status, 200);
  const body = await res.json();
  assertEquals(body, {
    ok: true,
    version: "9.9.9",
    startedAt: "2025-01-01T00:00:00.000Z",
    uptimeSeconds: 65,
    connectedChannels: 0,
    totalChannels: 0,
    runtime: {
      name: "carapace",
      version: "9.9.9",
      platform: Deno.build.os,
      arch: Deno.build.arch,
    },
    diagnostics: {
      config: { path: f.path, hash: await fileHash(f.path), warnings: [] },
    },
  });
});

Deno.test("GET /control/config answers the redacted config and the file hash", async () => {
  using f = await controlFixture(
    `{ gateway: { control: { enabled: true }, auth: { token: "t0p-secret" } } }`,
  );
  const res = await f.request("/control/config");
  const text = await res.text();
  assertEquals(res.status, 200);
  assert(!text.includes("t0p-secret"));
  assertEquals(JSON.parse(text), {
    ok: true,
    config: {
      gateway: { control: { enabled: true }, auth: { token: "[REDACTED]" } },
    },
    hash: await fileHash(f.path),
  });
});

Deno.test("PATCH /control/config applies an allowed key, reloads and emits config.changed", async () => {
  using f = await controlFixture(ENABLED);
  const baseHash = await fileHash(f.path);
  const res = await f.request(
    "/control/config",
    patch({ path: "gateway.controlUi.enabled", value: true, baseHash }),
  );
  assertEquals(res.status, 200);
  const hash = await fileHash(f.path);
  assertEquals(await res.json(), {
    ok: true,
    applied: { path: "gateway.controlUi.enabled", value: true },
    hash,
  });
  assertEquals(f.reloader.current.config.gateway.controlUi.enabled, true);
  assertEquals(f.events, [{
    event: "config.changed",
    payload: { hash, changed: ["gateway.controlUi"] },
  }]);
  const second = await f.request(
    "/control/config",
    patch({
      path: "gateway.controlUi.basePath",
      value: "/panel",
      baseHash: hash,
    }),
  );
  assertEquals(second.status, 200);
  await second.body?.cancel();
  assertEquals(f.reloader.current.config.gateway.controlUi.basePath, "/panel");
});

Deno.test("PATCH /control/config answers 403 for protected and non-allow-listed keys", async () => {
  using f = await controlFixture(ENABLED);
  const baseHash = await fileHash(f.path);
  for (
    const [path, kind] of [
      ["gateway.auth.token", "protected"],
      ["gateway.auth", "protected"],
      ["gateway", "protected"],
      ["gateway.controlUi.path", "protected"],
      ["gateway.port", "not_allowed"],
      ["gateway.control.enabled", "not_allowed"],
    ]
  ) {
    const res = await f.request(
      "/control/config",
      patch({ path, value: "x", baseHash }),
    );
    assertEquals(res.status, 403, String(path));
    const body = await res.json();
    assertEquals(body.ok, false);
    assertEquals(body.detail, { kind });
    assertMatch(body.error, new RegExp(`^Cannot patch config "${path}"`));
  }
  assertEquals(await fileHash(f.path), baseHash);
});

Deno.test("PATCH /control/config answers 409 for a missing or stale baseHash", async () => {
  using f = await controlFixture(ENABLED);
  const missing = await f.request(
    "/control/config",
    patch({ path: "gateway.controlUi.enabled", value: true }),
  );
  assertEquals(missing.status, 409);
  assertEquals(
    (await missing.json()).error,
    "config base hash required; re-run config.get and retry",
  );
  const stale = await f.request(
    "/control/config",
    patch({
      path: "gateway.controlUi.enabled",
      value: true,
      baseHash: "0".repeat(64),
    }),
  );
  assertEquals(stale.status, 409);
  assertEquals(await stale.json(), {
    ok: false,
    error: "config changed since last load; re-run config.get and retry",
    detail: { kind: "conflict" },
  });
});

Deno.test("PATCH /control/config answers 422 when the value fails the schema", async () => {
  using f = await controlFixture(ENABLED);
  const res = await f.request(
    "/control/config",
    patch({
      path: "gateway.controlUi.enabled",
      value: "yes",
      baseHash: await fileHash(f.path),
    }),
  );
  assertEquals(res.status, 422);
  const body = await res.json();
  assertEquals(body.error, "invalid config");
  assertEquals(body.detail.kind, "invalid");
  assertMatch(body.detail.reason, /gateway\.controlUi\.enabled.*true or false/);
});

Deno.test("PATCH /control/config answers 400 for a broken body and 413 over 256 KiB", async () => {
  using f = await controlFixture(ENABLED);
  const broken = await f.request("/control/config", {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: "{nope",
  });
  assertEquals(broken.status, 400);
  await broken.body?.cancel();
  const noPath = await f.request("/control/config", patch({ value: 1 }));
  assertEquals(noPath.status, 400);
  await noPath.body?.cancel();
  const huge = await f.request(
    "/control/config",
    patch({ path: "gateway.controlUi.basePath", value: "x".repeat(300_000) }),
  );
  assertEquals(huge.status, 413);
  await huge.body?.cancel();
});
