import { runCodexLogin } from "../../../gateway/auth_profiles/codex_login.ts";
import { profileCredentials } from "../../../gateway/auth_profiles/profile_credentials.ts";
import type { AuthProfileStore } from "../../../gateway/auth_profiles/store.ts";
import {
  approveInBrowser,
  type OAuthPeer,
  startOAuthPeer,
} from "../../fakes/oauth_server.ts";
import { assertEquals, assertRejects, tempDir } from "../../_helpers.ts";
import { seededStore } from "./_helpers.ts";

const signal = new AbortController().signal;
const HOUR = 3600_000;

/** A store with `codex:default` signed in at the fake at t=0 (at-1 / rt-1, 1 h). */
async function signedIn(
  dir: string,
  oauth: OAuthPeer,
): Promise<AuthProfileStore> {
  const store = await seededStore(dir);
  await runCodexLogin({
    env: { OPENAI_OAUTH_CLIENT_ID: oauth.clientId },
    issuer: oauth.origin,
    store,
    now: () => 0,
    openBrowser: async (url) => void await approveInBrowser(url),
  });
  return store;
}

Deno.test("profileCredentials.token() returns the stored token while it is fresh", async () => {
  using dir = tempDir();
  await using oauth = startOAuthPeer();
  const store = await signedIn(dir.path, oauth);
  const credentials = profileCredentials(store, "codex:default", {
    provider: "codex",
    now: () => HOUR - 120_000,
  });
  assertEquals(await credentials.token(signal), "at-1");
  assertEquals(await credentials.token(signal), "at-1");
  assertEquals(oauth.tokenRequests.length, 1, "only the sign-in exchange");
});

Deno.test("profileCredentials.token() refreshes an expiring token once for concurrent calls and stores the rotated refresh token", async () => {
  using dir = tempDir();
  await using oauth = startOAuthPeer();
  const store = await signedIn(dir.path, oauth);
  let now = HOUR - 30_000; // inside the 60 s margin
  const credentials = profileCredentials(store, "codex:default", {
    provider: "codex",
    now: () => now,
  });
  const tokens = await Promise.all([
    credentials.token(signal),
    credentials.token(signal),
    credentials.token(signal),
  ]);
  assertEquals(tokens, ["at-2", "at-2", "at-2"]);
  assertEquals(oauth.tokenRequests.map((f) => f.get("grant_type")), [
    "authorization_code",
    "refresh_token",
  ]);
  assertEquals(oauth.tokenRequests[1]?.get("refresh_token"), "rt-1");
  const stored = await store.get("codex:default");
  assertEquals([stored?.accessToken, stored?.refreshToken, stored?.expiresAt], [
    "at-2",
    "rt-2",
    now + HOUR,
  ]);
  // A second process with the same store sees the refreshed token, no new grant.
  const other = profileCredentials(store, "codex:default", {
    provider: "codex",
    now: () => now,
  });
  assertEquals(await other.token(signal), "at-2");
  now += HOUR;
  assertEquals(await other.token(signal), "at-3");
  assertEquals(oauth.tokenRequests[2]?.get("refresh_token"), "rt-2");
});

Deno.test("profileCredentials.invalidate() makes the next call refresh a refused token", async () => {
  using dir = tempDir();
  await using oauth = startOAuthPeer();
  const store = await signedIn(dir.path, oauth);
  const credentials = profileCredentials(store, "codex:default", {
    provider: "codex",
    now: () => 1000,
  });
  assertEquals(await credentials.token(signal), "at-1");
  credentials.invalidate();
  assertEquals(await credentials.token(signal), "at-2");
});

Deno.test("profileCredentials.token() asks to sign in again when the refresh token was revoked", async () => {
  using dir = tempDir();
  await using oauth = startOAuthPeer();
  const store = await signedIn(dir.path, oauth);
  // Another client used rt-1 first: rotation made it invalid.
  const used = await fetch(`${oauth.origin}/oauth/token`, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: "rt-1",
      client_id: oauth.clientId,
    }),
  });
  await used.body?.cancel();
  const credentials = profileCredentials(store, "codex:default", {
    provider: "codex",
    now: () => 2 * HOUR,
  });
  await assertRejects(
    () => credentials.token(signal),
    /^AuthProfileError: Cannot refresh the OAuth token: the token endpoint refused it \("invalid_grant"\); the sign-in expired or was revoked; sign in again$/,
  );
});

Deno.test("profileCredentials.token() refuses a profile of another provider or a missing one", async () => {
  using dir = tempDir();
  await using oauth = startOAuthPeer();
  const store = await signedIn(dir.path, oauth);
  await assertRejects(
    () =>
      profileCredentials(store, "codex:default", { provider: "anthropic" })
        .token(signal),
    /Cannot use auth profile "codex:default" for "anthropic:": it belongs to "codex:"/,
  );
  await assertRejects(
    () =>
      profileCredentials(store, "codex:work", { provider: "codex" }).token(
        signal,
      ),
    /Cannot use auth profile "codex:work": it is not in/,
  );
});
