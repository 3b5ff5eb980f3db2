/**
 * `runCodexLogin()`: the OpenAI sign-in for `codex:` — authorization code
 * with PKCE through the browser, answered on a one-shot loopback callback,
 * tokens sealed into the auth-profile store.
 *
 * @module
 */
import type { Env } from "../config/paths.ts";
import type { CaraConfig } from "../config/schema.ts";
import { startLoopbackCallback } from "./loopback_callback.ts";
import { authorizationUrl, exchangeCode } from "./oauth_client.ts";
import { openaiOAuthClient } from "./openai_oauth.ts";
import { createPkce, randomState } from "./pkce.ts";
import { type AuthProfileStore, openAuthProfileStore } from "./store.ts";
import { profileId } from "./types.ts";

/** Options of {@linkcode runCodexLogin}. */
export interface CodexLoginOptions {
  /** Shows or opens the sign-in URL (print it, or launch a browser). */
  openBrowser: (url: string) => void | Promise<void>;
  /** Client id/secret, state dir and password come from here. */
  env: Env;
  /** For `auth.profiles.providers.openai.*`. */
  config?: CaraConfig;
  /** Profile name; the id is `codex:<name>`. Default `default`. */
  name?: string;
  /** OAuth issuer origin; default `https://auth.openai.com`. */
  issuer?: string;
  /** Default: the store in `env`'s state dir. */
  store?: AuthProfileStore;
  /** How long to wait for the browser (default 5 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Default `Date.now`. */
  now?: () => number;
}

/**
 * Signs in to OpenAI for Codex and stores the profile; returns its id (put it
 * in `codex.authProfile`).
 *
 * @throws {AuthProfileError} no password (`auth_profile_locked`), no client id, refused or timed-out sign-in
 * @example
 * ```ts
 * const id = await runCodexLogin({ env: ctx.env, openBrowser: (url) => console.log(url) });
 * // "codex:default"
 * ```
 */
export async function runCodexLogin(
  options: CodexLoginOptions,
): Promise<string> {
  const id = profileId("codex", options.name);
  const store = options.store ?? openAuthProfileStore(options.env);
  // Fail before the browser opens when the tokens could not be stored.
  store.assertUnlocked(`sign in to Codex as "${id}"`);
  await store.list();
  const client = openaiOAuthClient(options.env, {
    ...(options.config === undefined ? {} : { config: options.config }),
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
  });
  const pkce = await createPkce();
  const state = randomState();
  await using callback = startLoopbackCallback({
    state,
    ...(options.timeoutMs === undefined
      ? {}
      : { timeoutMs: options.timeoutMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  await options.openBrowser(authorizationUrl(client, {
    redirectUri: callback.redirectUri,
    state,
    challenge: pkce.challenge,
  }));
  const code = await callback.code;
  const now = options.now ?? Date.now;
  const tokens = await exchangeCode(client, {
    code,
    verifier: pkce.verifier,
    redirectUri: callback.redirectUri,
  }, { now, ...(options.signal ? { signal: options.signal } : {}) });
  const at = now();
  await store.save({
    id,
    provider: "codex",
    kind: "oauth",
    createdAt: at,
    updatedAt: at,
    ...tokens,
    tokenUrl: client.tokenUrl,
    clientId: client.clientId,
  });
  return id;
}
