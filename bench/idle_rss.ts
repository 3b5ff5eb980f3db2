/**
 * Idle memory benchmark: RSS of cara and of a bare Hono server after both
 * have been idle for a while.
 *
 * @module
 */
import { waitForHealth } from "./_process.ts";
import { readRssMib } from "./_rss.ts";
import {
  bareHonoServer,
  caraServer,
  releaseMainModule,
  type ServerSpec,
  startServer,
} from "./_servers.ts";
import { round } from "./_stats.ts";
import { messageOf } from "./startup.ts";

/** Options of {@linkcode benchIdleRss}. */
export interface IdleRssOptions {
  /** How long both servers idle after answering /health (default 10 s). */
  idleMs?: number;
  subject?: ServerSpec;
  baseline?: ServerSpec;
}

/** One JSON line of the idle RSS benchmark. */
export interface IdleRssReport {
  bench: "idle_rss";
  idle_s: number;
  idle_rss_mib: number | null;
  bare_hono_idle_rss_mib: number | null;
  target: 70;
  error?: string;
}

/**
 * Starts both servers side by side, waits `idleMs`, reads their RSS.
 * A failing side is reported in `error`, never thrown.
 *
 * @example
 * ```ts
 * console.log(JSON.stringify(await benchIdleRss()));
 * ```
 */
export async function benchIdleRss(
  options: IdleRssOptions = {},
): Promise<IdleRssReport> {
  const idleMs = options.idleMs ?? 10_000;
  // cara as it ships: the release bundle.
  const specs = [
    options.subject ??
      caraServer({ mainModule: await releaseMainModule() }),
    options.baseline ?? bareHonoServer(),
  ];
  const started = specs.map((spec) => startServer(spec));
  const errors: string[] = [];
  try {
    const ready = await Promise.all(started.map(async (server, i) => {
      try {
        await waitForHealth(server);
        return true;
      } catch (error) {
        errors.push(`${specs[i]?.name}: ${messageOf(error)}`);
        return false;
      }
    }));
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    const rss = await Promise.all(started.map(async (server, i) => {
      if (!ready[i]) return null;
      try {
        return round(await readRssMib(server.pid));
      } catch (error) {
        errors.push(`${specs[i]?.name}: ${messageOf(error)}`);
        return null;
      }
    }));
    return {
      bench: "idle_rss",
      idle_s: idleMs / 1000,
      idle_rss_mib: rss[0] ?? null,
      bare_hono_idle_rss_mib: rss[1] ?? null,
      target: 70,
      ...(errors.length > 0 ? { error: errors.join("; ") } : {}),
    };
  } finally {
    await Promise.all(started.map((server) => server.stop()));
  }
}
