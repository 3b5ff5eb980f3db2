/**
 * A loopback OAuth 2.0 authorization server for the Codex sign-in tests:
 * `/oauth/authorize` (the person approves at once and is redirected to the
 * client's loopback callback) and `/oauth/token` (authorization code with a
 * real PKCE S256 check, single-use codes, refresh tokens rotated on use).
 *
 * @module
 */
import { pkceChallenge } from "../../gateway/auth_profiles/pkce.ts";

/** Options of {@linkcode startOAuthPeer}. */
export interface OAuthPeerOptions {
  clientId?: string;
  clientSecret?: string;
  /** `expires_in` of issued access tokens, in seconds (default 3600). */
  expiresIn?: number;
}

/** A running fake; `await using` stops it. */
export interface OAuthPeer extends AsyncDisposable {
  readonly origin: string;
  readonly clientId: string;
  /** Form bodies seen at `/oauth/token`, in order. */
  readonly tokenRequests: URLSearchParams[];
  /** Answer the next authorize request with `error=access_denied`. */
  denyNext(): void;
  /** Whether `token` is a live access token. */
  accepts(token: string): boolean;
  /** Access and refresh tokens issued so far. */
  readonly issued: { accessToken: string; refreshToken: string }[];
  expiresIn: number;
}

interface PendingCode {
  challenge: string;
  redirectUri: string;
}

/** Starts the fake on 127.0.0.1, port 0. */
export function startOAuthPeer(options: OAuthPeerOptions = {}): OAuthPeer {
  const clientId = options.clientId ?? "app_test_client";
  const codes = new Map<string, PendingCode>();
  const refreshTokens = new Set<string>();
  const accessTokens = new Set<string>();
  const tokenRequests: URLSearchParams[] = [];
  const issued: { accessToken: string; refreshToken: string }[] = [];
  let deny = false;
  const peer = {
    expiresIn: options.expiresIn ?? 3600,
  };
  const fail = (error: string, status = 400) =>
    Response.json({ error }, { status });

  function authorize(url: URL): Response {
    const q = url.searchParams;
    const redirect = q.get("redirect_uri") ?? "";
    const ok = q.get("response_type") === "code" &&
      q.get("client_id") === clientId &&
      /^http:\/\/127\.0\.0\.1:\d+\/auth\/callback$/.test(redirect) &&
      q.get("code_challenge_method") === "S256" &&
      (q.get("code_challenge") ?? "").length === 43 &&
      (q.get("scope") ?? "").split(" ").includes("offline_access") &&
      q.get("state");
    if (!ok) return fail("invalid_request");
    const back = new URL(redirect);
    back.searchParams.set("state", q.get("state")!);
    if (deny) {
      deny = false;
      back.searchParams.set("error", "access_denied");
    } else {
      const code = crypto.randomUUID();
      codes.set(code, {
        challenge: q.get("code_challenge")!,
        redirectUri: redirect,
      });
      back.searchParams.set("code", code);
    }
    return new Response(null, {
      status: 302,
      headers: { location: back.href },
    });
  }

  function grant(): Response {
    const n = issued.length + 1;
    const tokens = { accessToken: `at-${n}`, refreshToken: `rt-${n}` };
    issued.push(tokens);
    accessTokens.add(tokens.accessToken);
    refreshTokens.add(tokens.refreshToken);
    return Response.json({
      access_token: tokens.accessToken,
      refresh_token: tokens.refreshToken,
      id_token: "x.y.z",
      token_type: "Bearer",
      expires_in: peer.expiresIn,
    });
  }

  async function token(request: Request): Promise<Response> {
    const form = new URLSearchParams(await request.text());
    tokenRequests.push(form);
    if (form.get("client_id") !== clientId) return fail("invalid_client", 401);
    if (
      options.clientSecret !== undefined &&
      form.get("client_secret") !== options.clientSecret
    ) return fail("invalid_client", 401);
    if (form.get("grant_type") === "authorization_code") {
      const pending = codes.get(form.get("code") ?? "");
      codes.delete(form.get("code") ?? "");
      if (
        pending === undefined ||
        pending.redirectUri !== form.get("redirect_uri") ||
        await pkceChallenge(form.get("code_verifier") ?? "") !==
          pending.challenge
      ) return fail("invalid_grant");
      return grant();
    }
    if (form.get("grant_type") === "refresh_token") {
      // Rotation: a refresh token works once.
      if (!refreshTokens.delete(form.get("refresh_token") ?? "")) {
        return fail("invalid_grant");
      }
      return grant();
    }
    return fail("unsupported_grant_type");
  }

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) => {
      const url = new URL(request.url);
      if (url.pathname === "/oauth/authorize" && request.method === "GET") {
        return authorize(url);
      }
      if (url.pathname === "/oauth/token" && request.method === "POST") {
        return token(request);
      }
      return new Response("not found", { status: 404 });
    },
  );
  return Object.assign(peer, {
    origin: `http://127.0.0.1:${server.addr.port}`,
    clientId,
    tokenRequests,
    issued,
    denyNext: () => void (deny = true),
    accepts: (t: string) => accessTokens.has(t),
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  });
}

/**
 * Plays the browser: opens `url` at the fake, follows its redirect to the
 * loopback callback, and returns the callback's HTTP status.
 */
export async function approveInBrowser(url: string): Promise<number> {
  const authorize = await fetch(url, { redirect: "manual" });
  await authorize.body?.cancel();
  const location = authorize.headers.get("location");
  if (location === null) {
    throw new Error(`authorize answered ${authorize.status}`);
  }
  const callback = await fetch(location);
  await callback.body?.cancel();
  return callback.status;
}
