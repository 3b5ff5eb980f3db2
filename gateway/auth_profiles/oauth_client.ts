/**
 * The OAuth 2.0 token endpoint calls of the authorization-code flow with
 * PKCE: the authorize URL, the code exchange and the refresh grant. Bodies
 * are size-capped, calls time out, and no message ever carries a token.
 *
 * @module
 */
import { AuthProfileError } from "./types.ts";

/** A registered OAuth client and its issuer's endpoints. */
export interface OAuthClient {
  clientId: string;
  /** Only for confidential clients; public clients rely on PKCE. */
  clientSecret?: string;
  authorizeUrl: string;
  tokenUrl: string;
  scopes: string[];
}

/** The part of a client the token calls need. */
export type TokenEndpoint = Pick<
  OAuthClient,
  "clientId" | "clientSecret" | "tokenUrl"
>;

/** What the token endpoint granted. */
export interface OAuthTokens {
  accessToken: string;
  refreshToken?: string;
  /** Milliseconds since the epoch, when the server said `expires_in`. */
  expiresAt?: number;
}

/** Options of the token calls. */
export interface TokenCallOptions {
  signal?: AbortSignal;
  /** Default 15 s. */
  timeoutMs?: number;
  /** Default `Date.now`. */
  now?: () => number;
}

const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;

/** The URL the person opens to sign in. */
export function authorizationUrl(
  client: OAuthClient,
  request: { redirectUri: string; state: string; challenge: string },
): string {
  const url = new URL(client.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: request.redirectUri,
    scope: client.scopes.join(" "),
    code_challenge: request.challenge,
    code_challenge_method: "S256",
    state: request.state,
  }).toString();
  return url.href;
}

/**
 * Trades an authorization code (and its PKCE verifier) for tokens.
 *
 * @throws {AuthProfileError} `oauth_refused` or `oauth_unreachable`
 */
export function exchangeCode(
  client: TokenEndpoint,
  grant: { code: string; verifier: string; redirectUri: string },
  options: TokenCallOptions = {},
): Promise<OAuthTokens> {
  return tokenCall(client, "exchange the sign-in code", {
    grant_type: "authorization_code",
    code: grant.code,
    code_verifier: grant.verifier,
    redirect_uri: grant.redirectUri,
  }, options);
}

/**
 * Trades a refresh token for new tokens (the server may rotate the refresh token).
 *
 * @throws {AuthProfileError} `oauth_refused` (e.g. `invalid_grant`: sign in again) or `oauth_unreachable`
 */
export function refreshTokens(
  client: TokenEndpoint,
  refreshToken: string,
  options: TokenCallOptions = {},
): Promise<OAuthTokens> {
  return tokenCall(client, "refresh the OAuth token", {
    grant_type: "refresh_token",
    refresh_token: refreshToken,
  }, options);
}

async function tokenCall(
  client: TokenEndpoint,
  action: string,
  params: Record<string, string>,
  options: TokenCallOptions,
): Promise<OAuthTokens> {
  const body = new URLSearchParams({ ...params, client_id: client.clientId });
  if (client.clientSecret) body.set("client_secret", client.clientSecret);
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 15_000);
  const signal = options.signal
    ? AbortSignal.any([options.signal, timeout])
    : timeout;
  let status: number;
  let text: string;
  try {
    const response = await fetch(client.tokenUrl, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body,
      redirect: "error",
      signal,
    });
    status = response.status;
    text = await readCapped(response);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new AuthProfileError(
      "oauth_unreachable",
      `Cannot ${action} at "${client.tokenUrl}": ${why}; check the network and retry`,
      { cause },
    );
  }
  const json = parseJson(text);
  if (status !== 200) throw refused(action, status, json);
  const accessToken = json?.access_token;
  if (typeof accessToken !== "string" || accessToken === "") {
    throw new AuthProfileError(
      "oauth_refused",
      `Cannot ${action}: the token endpoint answered without an access_token; sign in again`,
    );
  }
  const tokens: OAuthTokens = { accessToken };
  if (typeof json?.refresh_token === "string" && json.refresh_token !== "") {
    tokens.refreshToken = json.refresh_token;
  }
  const expiresIn = json?.expires_in;
  if (typeof expiresIn === "number" && expiresIn > 0) {
    tokens.expiresAt = (options.now ?? Date.now)() +
      Math.floor(expiresIn * 1000);
  }
  return tokens;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null
      ? value as Record<string, unknown>
      : undefined;
  } catch {
    return undefined;
  }
}

function refused(
  action: string,
  status: number,
  json: Record<string, unknown> | undefined,
): AuthProfileError {
  const code = typeof json?.error === "string"
    ? json.error.slice(0, 64)
    : `HTTP ${status}`;
  const hint = code === "invalid_grant"
    ? "the sign-in expired or was revoked; sign in again"
    : "check the OAuth client settings and retry";
  return new AuthProfileError(
    "oauth_refused",
    `Cannot ${action}: the token endpoint refused it ("${code}"); ${hint}`,
  );
}

async function readCapped(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return "";
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_TOKEN_RESPONSE_BYTES) {
      await reader.cancel();
      throw new Error(
        `the answer is larger than ${MAX_TOKEN_RESPONSE_BYTES} bytes`,
      );
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}
