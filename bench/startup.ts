/**
 * Startup benchmark: spawn → first `GET /health` 200, for cara and for a
 * bare Hono server, interleaved in one run so machine noise hits both.
 *
 * @module
 */
import { waitForHealth } from "./_process.ts";
import {
  bareHonoServer,
  caraServer,
  type ServerSpec,
  startServer,
} from "./_servers.ts";
import { summarize, type Summary } from "./_stats.ts";

/** Options of {@linkcode benchStartup}. */
export interface StartupOptions {
  /** Measured runs per server (default 10, at least 1). */
  runs?: number;
  /** The server under test (default: `cara start`). */
  subject?: ServerSpec;
  /** The baseline (default: the bare Hono fixture). */
  baseline?: ServerSpec;
  /** Give up on one start after this long (default 30 s). */
  timeoutMs?: number;
}

/** One JSON line of the startup benchmark. */
export interface StartupReport {
  bench: "startup";
  runs: number;
  /** Restarts of an installed gateway (the state dir and database exist). */
  cara: Summary | null;
  /** First starts: each creates its state dir and database. */
  cara_first_start: Summary | null;
  bare_hono: Summary | null;
  /** cara (restart) median / bare Hono median. */
  ratio: number | null;
  target: 2;
  error?: string;
}

/**
 * Measures startup of the subject and the baseline, one warm-up each first.
 * A failing side is reported in `error`, never thrown.
 *
 * @example
 * ```ts
 * console.log(JSON.stringify(await benchStartup({ runs: 10 })));
 * ```
 */
export async function benchStartup(
  options: StartupOptions = {},
): Promise<StartupReport> {
  const runs = Math.max(1, options.runs ?? 10);
  await using state = await tempStateDir();
  const sides = [
    {
      spec: options.subject ?? caraServer({ stateDir: state.path }),
      samples: [] as number[],
    },
    { spec: options.baseline ?? bareHonoServer(), samples: [] as number[] },
    {
      spec: caraServer({ name: "cara_first_start" }),
      samples: [] as number[],
    },
  ];
  const errors: string[] = [];
  const failed = new Set<string>();
  for (let run = -1; run < runs; run++) {
    // Alternate the order so neither side always runs on a warmer machine.
    const order = run % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      if (failed.has(side.spec.name)) continue;
      try {
        const ms = await timeStart(side.spec, options.timeoutMs);
        if (run >= 0) side.samples.push(ms);
      } catch (error) {
        failed.add(side.spec.name);
        errors.push(`${side.spec.name}: ${messageOf(error)}`);
      }
    }
  }
  const [subject, baseline, firstStart] = sides.map((side) =>
    side.samples.length === runs ? summarize(side.samples) : null
  );
  const ratio = subject && baseline
    ? Math.round((subject.median_ms / baseline.median_ms) * 100) / 100
    : null;
  return {
    bench: "startup",
    runs,
    cara: subject ?? null,
    cara_first_start: firstStart ?? null,
    bare_hono: baseline ?? null,
    ratio,
    target: 2,
    ...(errors.length > 0 ? { error: errors.join("; ") } : {}),
  };
}

async function tempStateDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "cara-bench-state-" });
  return {
    path,
    [Symbol.asyncDispose]: () =>
      Deno.remove(path, { recursive: true }).catch(() => {}),
  };
}

async function timeStart(
  spec: ServerSpec,
  timeoutMs?: number,
): Promise<number> {
  await using server = startServer(spec);
  return await waitForHealth(server, timeoutMs ? { timeoutMs } : {});
}

/** The message of an error, for a JSON report. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
