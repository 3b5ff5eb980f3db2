import {
  CSRF_TTL_MS,
  CsrfSessionStore,
  sessionCookies,
} from "../../../gateway/control/csrf_sessions.ts";
import { assert, assertEquals } from "../../_helpers.ts";
import { controlFixture } from "./_helpers.ts";

const ENABLED = `{ gateway: { control: { enabled: true } } }`;

function patchInit(headers: Record<string, string>): RequestInit {
  return {
    method: "PATCH",
    headers: { "content-type": "application/json", ...headers },
    // No baseHash: a request that gets past CSRF answers 409, not 403.
    body: JSON.stringify({ path: "gateway.controlUi.enabled", value: true }),
  };
}

async function csrfError(res: Response): Promise<string> {
  assertEquals(res.status, 403);
  const body = await res.json();
  assertEquals(Object.keys(body), ["error"]);
  assertEquals(body.error.code, "csrf_error");
  return body.error.message;
}

Deno.test("csrfProtection() refuses a write whose Origin or Referer names another host", async () => {
  using f = await controlFixture(ENABLED);
  assertEquals(
    await csrfError(
      await f.request(
        "/control/config",
        patchInit({ origin: "http://evil.test" }),
      ),
    ),
    "Origin does not match the request host",
  );
  assertEquals(
    await csrfError(
      await f.request(
        "/control/config",
        patchInit({ referer: "http://evil.test/page" }),
      ),
    ),
    "Origin does not match the request host",
  );
  assertEquals(
    await csrfError(
      await f.request("/control/config", patchInit({ origin: "null" })),
    ),
    "Origin does not match the request host",
  );
});

Deno.test("csrfProtection() runs before service auth", async () => {
  using f = await controlFixture(ENABLED);
  const res = await f.request(
    "/control/config",
    patchInit({ origin: "http://evil.test", authorization: "Bearer no" }),
  );
  assertEquals(res.status, 403);
  await res.body?.cancel();
});

Deno.test("csrfProtection() passes writes without a session cookie (CLI path)", async () => {
  using f = await controlFixture(ENABLED);
  const bare = await f.request("/control/config", patchInit({}));
  assertEquals(bare.status, 409);
  await bare.body?.cancel();
  const sameOrigin = await f.request(
    "/control/config",
    patchInit({ origin: "http://gw.test" }),
  );
  assertEquals(sameOrigin.status, 409);
  await sameOrigin.body?.cancel();
});

Deno.test("csrfProtection() leaves reads alone even from another origin", async () => {
  using f = await controlFixture(ENABLED);
  const res = await f.request("/control/status", {
    headers: { origin: "http://evil.test", cookie: "session=abc" },
  });
  assertEquals(res.status, 200);
  await res.body?.cancel();
});

Deno.test("csrfProtection() with a session cookie requires Origin and a valid x-csrf-token", async () => {
  let now = 1_000_000;
  using f = await controlFixture(ENABLED, { now: () => now });
  const session = f.sessions.issue();
  const cookie = `session=${session.sessionId}`;
  const origin = "http://gw.test";
  const cases: [Record<string, string>, string][] = [
    [{ cookie }, "Origin missing"],
    [{ cookie, origin }, "CSRF token missing"],
    [{ cookie, origin, "x-csrf-token": "wrong" }, "CSRF token invalid"],
    [
      { cookie: "session=unknown", origin, "x-csrf-token": session.csrfToken },
      "CSRF token invalid",
    ],
  ];
  for (const [headers, message] of cases) {
    assertEquals(
      await csrfError(await f.request("/control/config", patchInit(headers))),
      message,
    );
  }
  const ok = await f.request(
    "/control/config",
    patchInit({ cookie, origin, "x-csrf-token": session.csrfToken }),
  );
  assertEquals(ok.status, 409);
  await ok.body?.cancel();
  now += CSRF_TTL_MS;
  assertEquals(
    await csrfError(
      await f.request(
        "/control/config",
        patchInit({ cookie, origin, "x-csrf-token": session.csrfToken }),
      ),
    ),
    "CSRF token expired",
  );
});

Deno.test("csrfProtection() on TLS reads the __Host-session cookie", async () => {
  using f = await controlFixture(ENABLED, { tls: true });
  const plain = await f.request(
    "/control/config",
    patchInit({ cookie: "session=whatever" }),
  );
  assertEquals(plain.status, 409);
  await plain.body?.cancel();
  assertEquals(
    await csrfError(
      await f.request(
        "/control/config",
        patchInit({ cookie: "__Host-session=whatever" }),
      ),
    ),
    "Origin missing",
  );
});

Deno.test("sessionCookies() sets the documented names and attributes", () => {
  const store = new CsrfSessionStore({ now: () => 0 });
  const session = store.issue();
  assertEquals(session.expiresAtMs, CSRF_TTL_MS);
  assert(/^[A-Za-z0-9_-]{43}$/.test(session.csrfToken));
  assertEquals(sessionCookies(session, { tls: false }), [
    `session=${session.sessionId}; Path=/; SameSite=Strict; Max-Age=3600; HttpOnly`,
    `csrf=${session.csrfToken}; Path=/; SameSite=Strict; Max-Age=3600`,
  ]);
  assertEquals(sessionCookies(session, { tls: true }), [
    `__Host-session=${session.sessionId}; Path=/; SameSite=Strict; Max-Age=3600; Secure; HttpOnly`,
    `__Host-csrf=${session.csrfToken}; Path=/; SameSite=Strict; Max-Age=3600; Secure`,
  ]);
});

Deno.test("CsrfSessionStore.check() answers missing, invalid, expired and ok", () => {
  let now = 0;
  const store = new CsrfSessionStore({ now: () => now });
  const { sessionId, csrfToken } = store.issue();
  assertEquals(store.check(sessionId, undefined), "missing");
  assertEquals(store.check(sessionId, `${csrfToken}x`), "invalid");
  assertEquals(store.check(sessionId, csrfToken), "ok");
  now = CSRF_TTL_MS;
  assertEquals(store.check(sessionId, csrfToken), "expired");
  assertEquals(store.check(sessionId, csrfToken), "invalid");
});
