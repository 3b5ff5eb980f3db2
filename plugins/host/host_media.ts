/**
 * `media-fetch`: downloads an HTTPS URL through the same policy as
 * http-fetch into a private temporary file under the state dir
 * (`<state>/plugins/.media/<plugin-id>/`), removed after one hour.
 *
 * @module
 */
import { join } from "node:path";
import { CaraError } from "../../gateway/errors.ts";
import { ensurePrivateDir } from "../../gateway/credentials/private_file.ts";
import { guardedFetch } from "../../gateway/net/guarded_fetch.ts";
import { displayUrl, type HostContext } from "./host_context.ts";
import { admitFetch, MAX_HOST_TIMEOUT_MS } from "./host_http.ts";
import type { MediaFetchResult } from "./types.ts";

/** Default size cap of one media download (10 MiB). */
export const DEFAULT_MEDIA_BYTES = 10 * 1024 * 1024;
/** The largest media download (100 MiB, the WIT media-attachment limit). */
export const MAX_MEDIA_BYTES = 100 * 1024 * 1024;
/** How long a downloaded media file stays valid. */
export const MEDIA_TTL_MS = 60 * 60 * 1000;

/** The `mediaFetch` of one plugin. */
export function createMediaFetch(
  ctx: HostContext,
): (
  url: string,
  maxBytes?: bigint,
  timeoutMs?: number,
) => Promise<MediaFetchResult> {
  return async (url, maxBytes, timeoutMs) => {
    const refusal = admitFetch(ctx, "media", String(url));
    if (refusal !== null) return failed(ctx, refusal);
    const cap = maxBytes === undefined ? DEFAULT_MEDIA_BYTES : Number(
      maxBytes > BigInt(MAX_MEDIA_BYTES) ? BigInt(MAX_MEDIA_BYTES) : maxBytes,
    );
    const timeout = Math.min(
      Math.max(timeoutMs ?? ctx.httpTimeoutMs, 1),
      MAX_HOST_TIMEOUT_MS,
    );
    try {
      await sweepMediaFiles(ctx.mediaDir, ctx.clock());
      const response = await guardedFetch({ method: "GET", url }, {
        ...ctx.fetch,
        schemes: ["https:"],
        allowTailscale: ctx.grant.allowTailscale,
        timeoutMs: timeout,
        maxResponseBytes: cap,
      });
      if (response.status < 200 || response.status > 299) {
        return failed(
          ctx,
          `Cannot fetch media "${
            displayUrl(url)
          }": the server answered ${response.status}`,
        );
      }
      await ensurePrivateDir(ctx.mediaDir);
      const localPath = join(ctx.mediaDir, crypto.randomUUID());
      await Deno.writeFile(localPath, response.body, {
        mode: 0o600,
        createNew: true,
      });
      const type = response.headers.find(([name]) =>
        name.toLowerCase() === "content-type"
      )?.[1];
      return {
        ok: true,
        localPath,
        mimeType: type?.split(";")[0]?.trim() || undefined,
        size: BigInt(response.body.length),
        error: undefined,
      };
    } catch (error) {
      if (error instanceof CaraError) return failed(ctx, error.message);
      ctx.logger.error(ctx.target, "media-fetch failed unexpectedly", {
        error: String(error),
      });
      return failed(ctx, "Cannot fetch media: internal error");
    }
  };
}

/** Removes media files older than one hour from `dir` (a missing dir is fine). */
export async function sweepMediaFiles(dir: string, now: number): Promise<void> {
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile) continue;
      const path = join(dir, entry.name);
      const info = await Deno.lstat(path);
      if (now - (info.mtime?.getTime() ?? 0) > MEDIA_TTL_MS) {
        await Deno.remove(path).catch(() => {});
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

function failed(ctx: HostContext, message: string): MediaFetchResult {
  ctx.logger.warn(ctx.target, message);
  return {
    ok: false,
    localPath: undefined,
    mimeType: undefined,
    size: undefined,
    error: message,
  };
}
