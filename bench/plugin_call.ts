/**
 * Plugin benchmarks: warm `service.health` round trips from the host into a
 * WAT fixture plugin through the Worker sandbox and the child-process
 * sandbox, beside an empty postMessage round trip to a Worker (baseline);
 * cold start from the sha256 cache to the first call; and the install-time
 * transpile + cache of the componentize-js fixture.
 *
 * @module
 */
import { join } from "node:path";
import { loadArtifact } from "../plugins/loader/load_artifact.ts";
import type { HostFunctions } from "../plugins/host/types.ts";
import { processSession } from "../plugins/sandbox/process_transport.ts";
import type { SandboxSession } from "../plugins/sandbox/session.ts";
import { workerSession } from "../plugins/sandbox/worker_transport.ts";
import { buildJsToolComponent } from "../tests/plugins/fixtures/js_tool.ts";
import { buildServiceComponent } from "../tests/plugins/fixtures/wat_service.ts";
import { type Percentiles, percentiles } from "./ws_support.ts";

/** One JSON line of this benchmark. */
export interface PluginCallReport {
  bench: "plugin_call";
  iterations: number;
  worker: Percentiles | null;
  process: Percentiles | null;
  post_message_baseline: Percentiles | null;
  cold_start_from_cache_ms: number | null;
  install_transpile_ms: number | null;
  targets: { warm_p50_us: 200; cold_start_ms: 120 };
  error?: string;
}

const SILENT_HOST: HostFunctions = {
  logDebug: () => {},
  logInfo: () => {},
  logWarn: () => {},
  logError: () => {},
  configGet: () => undefined,
  credentialGet: () => Promise.resolve(undefined),
  credentialSet: () => Promise.resolve(false),
  httpFetch: () => Promise.resolve({ tag: "err", val: "denied" }),
  mediaFetch: () => Promise.resolve({ ok: false }),
};

async function timeCalls(
  session: SandboxSession,
  n: number,
): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await session.call("service", "health", []);
    samples.push(performance.now() - start);
  }
  return samples;
}

async function postMessageBaseline(n: number): Promise<number[]> {
  const source = "self.onmessage = (e) => self.postMessage(e.data);";
  const worker = new Worker(
    `data:text/javascript,${encodeURIComponent(source)}`,
    {
      type: "module",
      deno: { permissions: "none" },
    },
  );
  const samples: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      await new Promise((resolve) => {
        worker.onmessage = resolve;
        worker.postMessage({
          type: "call",
          id: i,
          iface: "service",
          fn: "health",
          args: [],
        });
      });
      samples.push(performance.now() - start);
    }
  } finally {
    worker.terminate();
  }
  return samples;
}

/** Runs the plugin benchmarks (default 10 000 warm calls per path). */
export async function benchPluginCall(
  options: { iterations?: number } = {},
): Promise<PluginCallReport> {
  const iterations = options.iterations ?? 10_000;
  const report: PluginCallReport = {
    bench: "plugin_call",
    iterations,
    worker: null,
    process: null,
    post_message_baseline: null,
    cold_start_from_cache_ms: null,
    install_transpile_ms: null,
    targets: { warm_p50_us: 200, cold_start_ms: 120 },
  };
  const stateDir = await Deno.makeTempDir({ prefix: "cara-bench-plugin-" });
  try {
    const path = join(stateDir, "bench-svc.wasm");
    await Deno.writeFile(path, await buildServiceComponent("ok"));
    const { plugin } = await loadArtifact(path, { stateDir });
    for (
      const [key, open] of [["worker", workerSession], [
        "process",
        processSession,
      ]] as const
    ) {
      const session = open(SILENT_HOST);
      try {
        await session.load(plugin, 1024);
        await timeCalls(session, Math.min(500, iterations));
        report[key] = percentiles(await timeCalls(session, iterations));
      } finally {
        session.close();
      }
    }
    report.post_message_baseline = percentiles(
      await postMessageBaseline(iterations),
    );
    const coldStart = performance.now();
    const cached = await loadArtifact(path, { stateDir });
    const cold = workerSession(SILENT_HOST);
    try {
      await cold.load(cached.plugin, 1024);
      await cold.call("service", "health", []);
      report.cold_start_from_cache_ms = Math.round(
        performance.now() - coldStart,
      );
    } finally {
      cold.close();
    }
    const jsPath = join(stateDir, "js-tool.wasm");
    await Deno.writeFile(jsPath, await buildJsToolComponent());
    const installStart = performance.now();
    await loadArtifact(jsPath, { stateDir });
    report.install_transpile_ms = Math.round(performance.now() - installStart);
  } catch (error) {
    report.error = error instanceof Error ? error.message : String(error);
  } finally {
    await Deno.remove(stateDir, { recursive: true }).catch(() => {});
  }
  return report;
}

if (import.meta.main) {
  const report = await benchPluginCall();
  Deno.stdout.writeSync(
    new TextEncoder().encode(`${JSON.stringify(report)}\n`),
  );
}

/**
 * The report as the three JSON lines the issue names: `plugin_call` (warm
 * calls per path), `plugin_cold` (start from the sha256 cache to first call)
 * and `plugin_install` (transpile + cache of the componentize-js fixture).
 */
export function pluginBenchLines(
  report: PluginCallReport,
): Record<string, unknown>[] {
  const { cold_start_from_cache_ms, install_transpile_ms, targets, ...call } =
    report;
  const error = report.error === undefined ? {} : { error: report.error };
  return [
    { ...call, targets: { warm_p50_us: targets.warm_p50_us } },
    {
      bench: "plugin_cold",
      from_cache_ms: cold_start_from_cache_ms,
      target_ms: targets.cold_start_ms,
      ...error,
    },
    {
      bench: "plugin_install",
      transpile_and_cache_ms: install_transpile_ms,
      ...error,
    },
  ];
}
