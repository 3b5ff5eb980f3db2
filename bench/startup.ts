/**
 * Startup benchmark: spawn → first `GET /health` 200, for cara and for a
 * bare Hono server, interleaved in one run so machine noise hits both.
 * cara is measured as it ships: the release bundle (dist/bundle/main.js,
 * built first when missing or stale) run with the compiled binary's flags.
 *
 * @module
 */
import { relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ensureBundle } from "../.github/scripts/bundle.ts";
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
  /**
   * The server under test. Default: `cara start` from the release bundle,
   * plus its first starts and, for information, restarts from the sources.
   */
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
  /** What `cara` ran: the bundled entry and its inputs, or the subject's name. */
  artifact: string;
  /** Restarts of an installed gateway (the state dir and database exist). */
  cara: Summary | null;
  /** First starts of the same artifact: each creates its state dir and database. */
  cara_first_start: Summary | null;
  /** Restarts run from the sources (`deno run main.ts`), for information. */
  cara_sources: Summary | null;
  bare_hono: Summary | null;
  /** cara (restart) median / bare Hono median. */
  ratio: number | null;
  target: 2;
  error?: string;
}

interface Side {
  spec: ServerSpec;
  samples: number[];
}

const ROOT = resolve(import.meta.dirname ?? ".", "..");

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
  await using sourcesState = await tempStateDir();
  const errors: string[] = [];
  const side = (spec: ServerSpec): Side => ({ spec, samples: [] });
  let artifact = options.subject?.name ?? "";
  let subject: Side | undefined;
  let firstStart: Side | undefined;
  let sources: Side | undefined;
  if (options.subject !== undefined) {
    subject = side(options.subject);
  } else {
    try {
      const bundle = await ensureBundle();
      const mainModule = pathToFileURL(bundle.entry).href;
      artifact = `${
        relative(ROOT, bundle.entry).replaceAll("\\", "/")
      } (inputs ${bundle.inputsHash.slice(0, 12)}, ${
        bundle.built ? "built by this run" : "reused"
      })`;
      subject = side(caraServer({ stateDir: state.path, mainModule }));
      firstStart = side(caraServer({ name: "cara_first_start", mainModule }));
    } catch (error) {
      errors.push(`cara: ${messageOf(error)}`);
      artifact = "dist/bundle/main.js (build failed)";
    }
    sources = side(
      caraServer({ name: "cara_sources", stateDir: sourcesState.path }),
    );
  }
  const baseline = side(options.baseline ?? bareHonoServer());
  const sides = [subject, baseline, firstStart, sources].filter((s) =>
    s !== undefined
  );
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
  const summary = (side: Side | undefined) =>
    side?.samples.length === runs ? summarize(side.samples) : null;
  const cara = summary(subject);
  const hono = summary(baseline);
  const ratio = cara && hono
    ? Math.round((cara.median_ms / hono.median_ms) * 100) / 100
    : null;
  return {
    bench: "startup",
    runs,
    artifact,
    cara,
    cara_first_start: summary(firstStart),
    cara_sources: summary(sources),
    bare_hono: hono,
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
