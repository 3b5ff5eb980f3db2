/**
 * WS RPC benchmark: `health` round trips on one open, authenticated socket,
 * beside the same number of round trips on a bare Deno WebSocket echo.
 *
 * @module
 */
import {
  BenchSocket,
  connectWithToken,
  nextNonEvent,
  type Percentiles,
  percentiles,
  startBenchGateway,
  startEchoServer,
} from "./ws_support.ts";

/** One JSON line of this benchmark. */
export interface WsRpcReport {
  bench: "ws_rpc";
  iterations: number;
  cara: Percentiles | null;
  bare_ws_echo: Percentiles | null;
  /** cara p50 / echo p50. */
  ratio_p50: number | null;
  targets: { p50_us: 100 };
  error?: string;
}

const BATCH = 500;

/** Runs `iterations` round trips on each side (default 10 000). */
export async function benchWsRpc(
  options: { iterations?: number } = {},
): Promise<WsRpcReport> {
  const iterations = Math.max(BATCH, options.iterations ?? 10_000);
  const report: WsRpcReport = {
    bench: "ws_rpc",
    iterations,
    cara: null,
    bare_ws_echo: null,
    ratio_p50: null,
    targets: { p50_us: 100 },
  };
  try {
    // The per-connection rate limit is raised through config so 10 000
    // back-to-back requests are not throttled.
    await using gateway = await startBenchGateway(
      "{ gateway: { ws: { messageRate: 1000000, messageBurst: 1000000 } } }",
    );
    await using echo = startEchoServer();
    const cara = await connectWithToken(gateway.wsUrl, {
      scopes: ["operator.read"],
    });
    const base = new BenchSocket(echo.url);
    await base.opened;
    const caraSamples: number[] = [];
    const baseSamples: number[] = [];
    await roundTrips(cara, 200, []);
    await roundTrips(base, 200, []);
    while (caraSamples.length < iterations) {
      await roundTrips(cara, BATCH, caraSamples);
      await roundTrips(base, BATCH, baseSamples);
    }
    await cara.close();
    await base.close();
    report.cara = percentiles(caraSamples);
    report.bare_ws_echo = percentiles(baseSamples);
    report.ratio_p50 = Math.round(
      (report.cara.p50_us / Math.max(1, report.bare_ws_echo.p50_us)) * 100,
    ) / 100;
  } catch (error) {
    report.error = error instanceof Error ? error.message : String(error);
  }
  return report;
}

async function roundTrips(
  socket: BenchSocket,
  count: number,
  samples: number[],
): Promise<void> {
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    socket.socket.send(`{"type":"req","id":"h${i}","method":"health"}`);
    await nextNonEvent(socket);
    samples.push(performance.now() - start);
  }
}

if (import.meta.main) {
  const report = await benchWsRpc();
  Deno.stdout.writeSync(
    new TextEncoder().encode(JSON.stringify(report) + "\n"),
  );
}
