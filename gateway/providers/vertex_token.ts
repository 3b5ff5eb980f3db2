/**
 * Google Cloud access tokens for `vertex:`: `gcloud auth print-access-token`
 * first (bounded by a timeout), then the GCE metadata server; on Cloud Run
 * the metadata server only. Tokens are cached until shortly before they
 * expire, and concurrent callers share one acquisition.
 *
 * @module
 */
import type { Env } from "../config/paths.ts";
import { ProviderError } from "./types.ts";
import { checkToken, gcloudAccessToken } from "./vertex_gcloud.ts";

/** Where a Vertex call gets its bearer token. */
export interface AccessTokenSource {
  /** A valid access token; throws an `auth` {@linkcode ProviderError} when none can be had. */
  token(signal: AbortSignal): Promise<string>;
  /** Forgets the cached token (after the API refused it). */
  invalidate(): void;
}

/** Options of {@linkcode googleAccessTokens}. */
export interface GoogleAccessTokenOptions {
  /** The environment `gcloud` runs with; also read for Cloud Run and `GCE_METADATA_HOST`. */
  env: Env;
  /** Longest wait for `gcloud`. Default 10 000 ms. */
  gcloudTimeoutMs?: number;
  /** Longest wait for the metadata server. Default 3 000 ms. */
  metadataTimeoutMs?: number;
  /** Clock. Default `Date.now`. */
  now?: () => number;
}

/** How long a token printed by gcloud is reused (gcloud prints no expiry). */
const GCLOUD_TOKEN_TTL_MS = 5 * 60_000;
/** A metadata token is dropped this long before it expires. */
const EXPIRY_MARGIN_MS = 60_000;
const MAX_METADATA_BYTES = 65_536;

/** Whether `env` describes a Cloud Run service, job or worker pool. */
export function isCloudRun(env: Env): boolean {
  return Boolean(
    (env.K_SERVICE && env.K_REVISION && env.K_CONFIGURATION) ||
      env.CLOUD_RUN_JOB || env.CLOUD_RUN_WORKER_POOL,
  );
}

/** The metadata server's token URL (`GCE_METADATA_HOST` overrides the host, as Google's libraries do). */
export function metadataTokenUrl(env: Env): string {
  const host = env.GCE_METADATA_HOST?.trim() || env.GCE_METADATA_IP?.trim() ||
    "metadata.google.internal";
  return `http://${host}/computeMetadata/v1/instance/service-accounts/default/token`;
}

async function fromMetadata(env: Env, timeoutMs: number) {
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(metadataTokenUrl(env), {
      headers: { "Metadata-Flavor": "Google" },
      redirect: "error",
      signal,
    });
  } catch (error) {
    throw new Error(
      signal.aborted
        ? `the metadata server did not answer within ${timeoutMs} ms`
        : `the metadata server is unreachable (${(error as Error).message})`,
    );
  }
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`the metadata server answered HTTP ${response.status}`);
  }
  if (response.headers.get("metadata-flavor") !== "Google") {
    throw new Error("the metadata server answer lacks Metadata-Flavor: Google");
  }
  if (text.length > MAX_METADATA_BYTES) {
    throw new Error("the metadata server answer is too large");
  }
  let body: { access_token?: unknown; expires_in?: unknown };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error("the metadata server answer is not JSON");
  }
  const token = checkToken(
    String(body.access_token ?? ""),
    "the metadata server",
  );
  const expiresIn = typeof body.expires_in === "number" ? body.expires_in : 0;
  return { token, ttlMs: Math.max(0, expiresIn * 1000 - EXPIRY_MARGIN_MS) };
}

/**
 * Builds the token source of a Vertex provider.
 *
 * @example
 * ```ts
 * const tokens = googleAccessTokens({ env: Deno.env.toObject() });
 * const bearer = await tokens.token(AbortSignal.timeout(15_000));
 * ```
 */
export function googleAccessTokens(
  options: GoogleAccessTokenOptions,
): AccessTokenSource {
  const now = options.now ?? Date.now;
  const gcloudMs = options.gcloudTimeoutMs ?? 10_000;
  const metadataMs = options.metadataTimeoutMs ?? 3_000;
  let cached: { token: string; until: number } | undefined;
  let pending: Promise<string> | undefined;

  async function acquire(): Promise<string> {
    const reasons: string[] = [];
    if (!isCloudRun(options.env)) {
      try {
        const token = await gcloudAccessToken(options.env, gcloudMs);
        cached = { token, until: now() + GCLOUD_TOKEN_TTL_MS };
        return token;
      } catch (error) {
        reasons.push((error as Error).message);
      }
    }
    try {
      const { token, ttlMs } = await fromMetadata(options.env, metadataMs);
      cached = { token, until: now() + ttlMs };
      return token;
    } catch (error) {
      reasons.push((error as Error).message);
    }
    throw new ProviderError(
      "vertex",
      "auth",
      `Cannot get a Google Cloud access token for vertex: ${
        reasons.join("; ")
      }; run "gcloud auth login" or give the machine a service account`,
    );
  }

  return {
    async token(signal) {
      if (cached !== undefined && now() < cached.until) return cached.token;
      if (pending === undefined) {
        pending = acquire().finally(() => pending = undefined);
        // A caller that aborted no longer awaits it; later callers still do.
        pending.catch(() => {});
      }
      const aborted = Promise.withResolvers<never>();
      const onAbort = () => aborted.reject(signal.reason);
      if (signal.aborted) onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      try {
        return await Promise.race([pending, aborted.promise]);
      } finally {
        signal.removeEventListener("abort", onAbort);
      }
    },
    invalidate() {
      cached = undefined;
    },
  };
}
