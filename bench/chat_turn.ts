/**
 * Chat-turn benchmark: sequential `chat.send` → `chat` final turns over a
 * real WebSocket to a gateway app built from the same parts as the
 * composition root (hub, method registry, `/ws` route, SQLite state, provider
 * registry with retries, run service, built-in tools), against a
 * zero-latency loopback Anthropic fake driven by the real SDK. Reports the
 * gateway overhead per turn (turn time minus the fake's serving time) and
 * the process RSS after the run.
 *
 * @module
 */
import { agentMethods } from "../gateway/agent/agent_methods.ts";
import { createAgentRuns } from "../gateway/agent/runs.ts";
import { configSchema } from "../gateway/config/schema.ts";
import { createLogger } from "../gateway/logs/logger.ts";
import { ConnectRefused } from "../gateway/protocol/errors.ts";
import {
  ConnectionHub,
  MethodRegistry,
  wsLimits,
  wsRoute,
} from "../gateway/protocol/mod.ts";
import { createProviderRegistry } from "../gateway/providers/registry.ts";
import { createGatewayApp } from "../gateway/server/app.ts";
import { serveGateway } from "../gateway/server/serve.ts";
import { openDatabase } from "../gateway/state/mod.ts";
import { builtinTools } from "../gateway/tools/builtin_tools.ts";
import { UsageTracker } from "../gateway/usage/usage_tracker.ts";
import { startAnthropicFake } from "./fixtures/anthropic_fake.ts";
import { BenchSocket, type Percentiles, percentiles } from "./ws_support.ts";

/** One JSON line of this benchmark. */
export interface ChatTurnReport {
  bench: "chat_turn";
  turns: number;
  turn: Percentiles | null;
  overhead: Percentiles | null;
  rss_mib: number | null;
  targets: { overhead_p50_us: 2000; overhead_p99_us: 10000; rss_mib: 100 };
  error?: string;
}

const TOKEN = "bench-token-0123456789abcdef";

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
    targets: { overhead_p50_us: 2000, overhead_p99_us: 10000, rss_mib: 100 },
  };
  try {
    const dir = await Deno.makeTempDir({ prefix: "cara-bench-chat-" });
    await using _cleanup = {
      [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
    };
    await using fake = startAnthropicFake();
    using state = openDatabase(`${dir}/state.db`);
    const config = configSchema.parse({
      agents: { defaults: { model: "anthropic:claude-bench" } },
    });
    const logger = createLogger({ level: "error" });
    const hub = new ConnectionHub({
      limits: wsLimits({ messageRate: 1_000_000, messageBurst: 1_000_000 }),
    });
    const providers = createProviderRegistry(config, {
      ANTHROPIC_API_KEY: "sk-ant-bench",
      ANTHROPIC_BASE_URL: fake.origin,
    });
    const runs = createAgentRuns({
      state,
      events: hub,
      config: () => config,
      providers,
      tools: builtinTools({
        config,
        sessions: state.sessions,
        memoryDir: `${dir}/memory`,
      }),
      usage: new UsageTracker(state.usage, { config: () => config }),
    });
    const registry = new MethodRegistry()
      .register(
        agentMethods({ runs, sessions: state.sessions, config: () => config }),
      )
      .advertiseEvents(["agent", "chat"]);
    const startedAt = performance.now();
    const app = createGatewayApp({
      version: "bench",
      commit: "bench",
      logger,
      rateLimit: false,
      routes: (a) =>
        a.get(
          "/ws",
          wsRoute({
            hub,
            registry,
            authenticate: ({ params }) => {
              if (params.auth?.token !== TOKEN) {
                return Promise.reject(
                  new ConnectRefused("invalid_request", "unauthorized"),
                );
              }
              return Promise.resolve({
                role: "operator",
                scopes: params.scopes,
                deviceId: null,
                localDirect: true,
                method: "token",
              });
            },
            server: { version: "bench", host: "bench" },
            logger: logger.child("gateway.ws"),
            uptimeMs: () => performance.now() - startedAt,
          }),
        ),
    });
    const server = await serveGateway(app, {
      hostname: "127.0.0.1",
      port: 0,
      logger,
      drainTimeoutMs: 500,
    });
    try {
      const socket = new BenchSocket(`ws://127.0.0.1:${server.port}/ws`);
      await socket.next(); // connect.challenge
      socket.socket.send(JSON.stringify({
        type: "req",
        id: "c",
        method: "connect",
        params: {
          minProtocol: 3,
          maxProtocol: 3,
          client: {
            id: "test",
            version: "1",
            platform: "bench",
            mode: "test",
          },
          scopes: ["operator.write"],
          auth: { token: TOKEN },
        },
      }));
      const hello = await socket.next();
      if (!hello.includes('"ok":true')) {
        throw new Error(`connect failed: ${hello.slice(0, 300)}`);
      }
      await turnsOn(socket, 20, { turnMs: [], overheadMs: [] }, fake.servingMs);
      const samples = { turnMs: [] as number[], overheadMs: [] as number[] };
      await turnsOn(socket, turns, samples, fake.servingMs);
      await socket.close();
      report.turn = percentiles(samples.turnMs);
      report.overhead = percentiles(samples.overheadMs);
      report.rss_mib = Math.round(Deno.memoryUsage().rss / 1024 / 1024 * 10) /
        10;
    } finally {
      hub.shutdown({ reason: "bench done" });
      await server.shutdown();
    }
  } catch (error) {
    report.error = error instanceof Error ? error.message : String(error);
  }
  return report;
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
