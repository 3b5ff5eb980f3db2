/**
 * Runs every benchmark and prints one JSON line per benchmark. Exits 1 when
 * a benchmark reports an error. Usage: `deno task bench [--runs N]`.
 *
 * @module
 */
import { benchChatTurn } from "./chat_turn.ts";
import { benchIdleRss } from "./idle_rss.ts";
import { benchPluginCall, pluginBenchLines } from "./plugin_call.ts";
import { benchStartup } from "./startup.ts";
import { benchWsHandshake } from "./ws_handshake.ts";
import { benchWsRpc } from "./ws_rpc.ts";

/** Parses `--runs <n>` (default 10). */
export function parseRuns(args: readonly string[]): number {
  const index = args.indexOf("--runs");
  if (index < 0) return 10;
  const runs = Number(args[index + 1]);
  if (!Number.isInteger(runs) || runs < 1) {
    throw new RangeError(
      `Run the benchmarks failed: "--runs" must be a positive integer, got "${
        args[index + 1] ?? ""
      }"`,
    );
  }
  return runs;
}

if (import.meta.main) {
  const runs = parseRuns(Deno.args);
  const encoder = new TextEncoder();
  for (
    const bench of [
      () => benchStartup({ runs }),
      () => benchIdleRss(),
      () => benchWsHandshake(),
      () => benchWsRpc(),
      () => benchChatTurn(),
      async () => pluginBenchLines(await benchPluginCall()),
    ]
  ) {
    for (const report of [await bench()].flat() as { error?: unknown }[]) {
      Deno.stdout.writeSync(encoder.encode(JSON.stringify(report) + "\n"));
      if (report.error !== undefined) Deno.exitCode = 1;
    }
  }
}
