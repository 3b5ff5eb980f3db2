/**
 * Chat-turn benchmark: sequential `chat.send` → `chat` final turns over a
 * real WebSocket to a gateway app built from the same parts as the
 * composition root (hub, method registry, `/ws` route, SQLite state, provider
 * registry with retries, run service, built-in tools), against a
 * zero-latency loopback Anthropic fake driven by the real SDK. Reports the
 * gateway overhead per turn (turn time minus the fake's serving time) and
 * the process RSS after the run, beside the same turns through a bare Deno
 * server that only calls the SDK (fixtures/bare_chat.ts), measured in the
 * same run.
 *
 * @module
 */
import { selfCommand } from "../cli/self_command.ts";
import { freePort, spawnServer, waitForHealth } from "./_process.ts";
import { releaseMainModule } from "./_servers.ts";
import { RUN_FLAGS } from "../cli/self_command.ts";
import { readRssMib } from "./_rss.ts";
import { startAnthropicFake } from "./fixtures/anthropic_fake.ts";
import {
  BENCH_TOKEN,
  BenchSocket,
  connectWithToken,
  type Percentiles,
  percentiles,
} from "./ws_support.ts";

/** One JSON line of this benchmark. */
export interface ChatTurnReport {
  bench: "chat_turn";
  turns: number;
  turn: Percentiles | null;
  overhead: Percentiles | null;
  rss_mib: number | null;
  /** The same turns through the bare SDK server: its overhead. */
  bare_sdk_server: Percentiles | null;
  /** cara's overhead p50 over the bare server's. */
  ratio_p50: number | null;
  targets: { overhead_p50_us: 2000; overhead_p99_us: 10000; rss_mib: 100 };
  error?: string;
}

/** Runs `turns` sequential turns (default 200). */
export async function benchChatTurn(
  options: { turns?: number } = {},
): Promise<ChatTurnReport> {
  const turns = options.turns ?? 200;
  const report: ChatTurnReport = {
    bench: "chat_turn",
    turns,
    turn: null,
    overhead: null,
    rss_mib: null,
    bare_sdk_server: null,
    ratio_p50: null,
    targets: { overhead_p50_us: 2000, overhead_p99_us: 10000, rss_mib: 100 },
  };
  try {
    // The gateway exactly as users run it: `cara start` (the release bundle) in its own process
    // (so the RSS is the gateway's alone), talking to a zero-latency fake of
    // the Anthropic Messages API served from this process.
    const dir = await Deno.makeTempDir({ prefix: "cara-bench-chat-" });
    await using _cleanup = {
      [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
    };
    await using fake = startAnthropicFake();
    await Deno.writeTextFile(
      `${dir}/carapace.json5`,
      `{
        agents: { defaults: { model: "anthropic:claude-bench" } },
        gateway: { ws: { messageRate: 1000000, messageBurst: 1000000 } },
        logging: { level: "warn" },
      }`,
    );
    const port = freePort();
    // cara as it ships: the release bundle.
    const mainModule = await releaseMainModule();
    await using gateway = spawnServer(
      selfCommand(["start", "--port", String(port), "-q"], { mainModule }),
      {
        port,
        env: {
          ...Deno.env.toObject(),
          CARAPACE_STATE_DIR: dir,
          HOME: dir,
          CARAPACE_GATEWAY_TOKEN: BENCH_TOKEN,
          CARAPACE_CREDENTIAL_STORE: "none",
          ANTHROPIC_API_KEY: "sk-ant-bench",
          ANTHROPIC_BASE_URL: fake.origin,
        },
      },
    );
    await waitForHealth(gateway);
    const socket = await connectWithToken(`ws://127.0.0.1:${port}/ws`, {
      scopes: ["operator.write"],
    });
    const samples = await measuredTurns(socket, turns, fake.servingMs);
    report.rss_mib = await readRssMib(gateway.pid);
    await socket.close();
    report.turn = percentiles(samples.turnMs);
    report.overhead = percentiles(samples.overheadMs);
    report.bare_sdk_server = await bareServerOverhead(fake, turns);
    report.ratio_p50 = Math.round(
      report.overhead.p50_us / report.bare_sdk_server.p50_us * 100,
    ) / 100;
  } catch (error) {
    report.error = error instanceof Error ? error.message : String(error);
  }
  return report;
}

async function bareServerOverhead(
  fake: { origin: string; servingMs: number[] },
  turns: number,
): Promise<Percentiles> {
  const port = freePort();
  const fixture = new URL("./fixtures/bare_chat.ts", import.meta.url).href;
  await using server = spawnServer({
    command: Deno.execPath(),
    args: [
      ...RUN_FLAGS,
      fixture,
      "--port",
      String(port),
      "--provider",
      fake.origin,
    ],
  }, { port });
  await waitForHealth(server);
  const socket = new BenchSocket(`ws://127.0.0.1:${port}/ws`);
  await socket.opened;
  const samples = await measuredTurns(socket, turns, fake.servingMs);
  await socket.close();
  return percentiles(samples.overheadMs);
}

/** `turns` measured turns after 20 unmeasured ones (warm-up). */
async function measuredTurns(
  socket: BenchSocket,
  turns: number,
  servingMs: number[],
): Promise<{ turnMs: number[]; overheadMs: number[] }> {
  await turnsOn(socket, 20, { turnMs: [], overheadMs: [] }, servingMs);
  const samples = { turnMs: [] as number[], overheadMs: [] as number[] };
  await turnsOn(socket, turns, samples, servingMs);
  return samples;
}

async function turnsOn(
  socket: BenchSocket,
  count: number,
  samples: { turnMs: number[]; overheadMs: number[] },
  servingMs: number[],
): Promise<void> {
  for (let i = 0; i < count; i++) {
    const served = servingMs.length;
    const start = performance.now();
    socket.socket.send(JSON.stringify({
      type: "req",
      id: `t${i}`,
      method: "chat.send",
      params: {
        message: `ping ${i}`,
        idempotencyKey: crypto.randomUUID(),
        sessionKey: "bench",
      },
    }));
    for (;;) {
      const text = await socket.next();
      if (text.includes('"event":"chat"') && text.includes('"state":"final"')) {
        break;
      }
      if (text.includes('"ok":false')) {
        throw new Error(`chat.send failed: ${text.slice(0, 300)}`);
      }
    }
    const turn = performance.now() - start;
    const serving = servingMs.slice(served).reduce((a, b) => a + b, 0);
    samples.turnMs.push(turn);
    samples.overheadMs.push(Math.max(0, turn - serving));
  }
}

if (import.meta.main) {
  const report = await benchChatTurn();
  Deno.stdout.writeSync(
    new TextEncoder().encode(JSON.stringify(report) + "\n"),
  );
}
