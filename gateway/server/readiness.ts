/**
 * Readiness checks for `GET /health/ready`: each names one dependency and
 * either resolves (ready) or throws (not ready). They run in parallel, each
 * bounded by a timeout, so a hung dependency cannot hang the probe.
 *
 * @module
 */
import { join } from "node:path";

/** One dependency the gateway needs before it can serve. */
export interface ReadinessCheck {
  /** Key in the `checks` object of the answer, e.g. `stateDir`. */
  name: string;
  /** Resolves when ready; throws (any error) when not. */
  run(signal: AbortSignal): Promise<void>;
}

/** The public status of one check. */
export interface CheckStatus {
  ok: boolean;
  /** Short public reason when not ok. */
  error?: string;
}

/** The outcome of {@linkcode runReadinessChecks}. */
export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckStatus>;
  /** Private details of failed checks, for the log. */
  failures: { check: string; error: unknown }[];
}

/** The public reason shown for a failed check. */
export type CheckFailureReason = "failed" | "timed out";

const DEFAULT_TIMEOUT_MS = 2000;

/** Runs every check in parallel, each within `timeoutMs` (default 2 s). */
export async function runReadinessChecks(
  checks: readonly ReadinessCheck[],
  options: { timeoutMs?: number } = {},
): Promise<ReadinessReport> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const report: ReadinessReport = { ready: true, checks: {}, failures: [] };
  await Promise.all(checks.map(async (check) => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        check.run(controller.signal),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => {
            controller.abort();
            reject(
              new Error(
                `Readiness check "${check.name}" timed out after ${timeoutMs} ms`,
              ),
            );
          }, timeoutMs);
        }),
      ]);
      report.checks[check.name] = { ok: true };
    } catch (error) {
      const reason: CheckFailureReason = controller.signal.aborted
        ? "timed out"
        : "failed";
      report.ready = false;
      report.checks[check.name] = { ok: false, error: reason };
      report.failures.push({ check: check.name, error });
    } finally {
      clearTimeout(timer);
    }
  }));
  return report;
}

/**
 * A check that the state dir accepts writes: it creates and removes a small
 * probe file. It never creates the dir itself, so a deleted or replaced
 * state dir reports not ready even when running as root.
 *
 * @example
 * ```ts
 * const check = stateDirWritable("/home/ana/.config/carapace");
 * ```
 */
export function stateDirWritable(dir: string): ReadinessCheck {
  return {
    name: "stateDir",
    async run() {
      const probe = join(dir, `.ready-probe-${crypto.randomUUID()}`);
      const file = await Deno.open(probe, {
        createNew: true,
        write: true,
        mode: 0o600,
      });
      try {
        await file.write(new Uint8Array([0x31]));
      } finally {
        file.close();
        await Deno.remove(probe).catch(() => {});
      }
    },
  };
}
