import { runCodexLogin } from "../../../gateway/auth_profiles/codex_login.ts";
import { startLoopbackCallback } from "../../../gateway/auth_profiles/loopback_callback.ts";
import { approveInBrowser, startOAuthPeer } from "../../fakes/oauth_server.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  tempDir,
} from "../../_helpers.ts";
import { seededStore } from "./_helpers.ts";

Deno.test("runCodexLogin() signs in with PKCE over the loopback callback and stores the profile sealed", async () => {
  using dir = tempDir();
  await using oauth = startOAuthPeer({ clientSecret: "shh" });
  const store = await seededStore(dir.path);
  let callbackStatus = 0;
  let opened = "";
  const id = await runCodexLogin({
    env: {
      OPENAI_OAUTH_CLIENT_ID: oauth.clientId,
      OPENAI_OAUTH_CLIENT_SECRET: "shh",
    },
    issuer: oauth.origin,
    store,
    now: () => 10_000,
    openBrowser: async (url) => {
      opened = url;
      callbackStatus = await approveInBrowser(url);
    },
  });
  assertEquals(id, "codex:default");
  assertEquals(callbackStatus, 200);
  const authorize = new URL(opened);
  assertEquals(
    authorize.origin + authorize.pathname,
    `${oauth.origin}/oauth/authorize`,
  );
  assert(
    /^http:\/\/127\.0\.0\.1:\d+\/auth\/callback$/.test(
      authorize.searchParams.get("redirect_uri") ?? "",
    ),
  );
  const exchange = oauth.tokenRequests[0];
  assertEquals(exchange?.get("grant_type"), "authorization_code");
  assertEquals(exchange?.get("code_verifier")?.length, 43);
  const profile = await store.get(id);
  assertEquals(profile, {
    id,
    provider: "codex",
    kind: "oauth",
    createdAt: 10_000,
    updatedAt: 10_000,
    expiresAt: 10_000 + 3600_000,
    accessToken: "at-1",
    refreshToken: "rt-1",
    tokenUrl: `${oauth.origin}/oauth/token`,
    clientId: oauth.clientId,
  });
  assert(!(await Deno.readTextFile(store.path)).includes("rt-1"));
});

Deno.test("runCodexLogin() refuses before opening the browser when CARAPACE_CONFIG_PASSWORD is unset", async () => {
  using dir = tempDir();
  let opened = false;
  await assertRejects(
    () =>
      runCodexLogin({
        env: { CARAPACE_STATE_DIR: dir.path, OPENAI_OAUTH_CLIENT_ID: "app" },
        openBrowser: () => void (opened = true),
      }),
    /Cannot sign in to Codex as "codex:default": CARAPACE_CONFIG_PASSWORD is not set/,
  );
  assertEquals(opened, false);
});

Deno.test("runCodexLogin() names the missing OAuth client id", async () => {
  using dir = tempDir();
  await assertRejects(
    async () =>
      runCodexLogin({
        env: {},
        store: await seededStore(dir.path),
        openBrowser: () => {},
      }),
    /set OPENAI_OAUTH_CLIENT_ID/,
  );
});

Deno.test("runCodexLogin() fails clearly when the person denies access, and stores nothing", async () => {
  using dir = tempDir();
  await using oauth = startOAuthPeer();
  const store = await seededStore(dir.path);
  oauth.denyNext();
  await assertRejects(
    () =>
      runCodexLogin({
        env: { OPENAI_OAUTH_CLIENT_ID: oauth.clientId },
        issuer: oauth.origin,
        store,
        openBrowser: async (url) => void await approveInBrowser(url),
      }),
    /Cannot finish the sign-in: the provider answered "access_denied"/,
  );
  assertEquals(await store.list(), []);
});

Deno.test("startLoopbackCallback() ignores a wrong state, accepts one answer, then refuses reuse", async () => {
  await using callback = startLoopbackCallback({
    state: "s3cret",
    timeoutMs: 5_000,
  });
  const hit = async (query: string) => {
    const response = await fetch(`${callback.redirectUri}?${query}`);
    await response.body?.cancel();
    return response.status;
  };
  assertEquals(await hit("state=forged&code=evil"), 400);
  assertEquals(await hit("state=s3cret&code=good"), 200);
  assertEquals(await callback.code, "good");
  assertEquals(await hit("state=s3cret&code=again"), 410);
  const other = await fetch(
    callback.redirectUri.replace("/auth/callback", "/x"),
  );
  await other.body?.cancel();
  assertEquals(other.status, 404);
});

Deno.test("startLoopbackCallback() gives up after its timeout", async () => {
  await using callback = startLoopbackCallback({ state: "s", timeoutMs: 50 });
  await assertRejects(
    () => callback.code,
    /Cannot finish the sign-in: no answer from the browser within 1 s; run the sign-in again/,
  );
});
