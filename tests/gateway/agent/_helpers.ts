/**
 * Helpers for the agent engine tests: a validated config, a state database in
 * a temp dir, the real provider registry pointed at a scripted loopback
 * Anthropic peer, and an event sink that keeps what it was sent.
 *
 * @module
 */
import {
  type CaraConfig,
  configSchema,
} from "../../../gateway/config/schema.ts";
import {
  type AgentRunsDeps,
  type AgentRunService,
  createAgentRuns,
} from "../../../gateway/agent/runs.ts";
import type {
  AgentEventPayload,
  ChatEventPayload,
  Tool,
} from "../../../gateway/agent/types.ts";
import type {
  BroadcastOptions,
  EventSink,
} from "../../../gateway/protocol/types.ts";
import { createProviderRegistry } from "../../../gateway/providers/registry.ts";
import {
  openDatabase,
  type StateDatabase,
} from "../../../gateway/state/mod.ts";
import { UsageTracker } from "../../../gateway/usage/usage_tracker.ts";
import { tempDir } from "../../_helpers.ts";
import {
  type ScriptedAnthropic,
  startScriptedAnthropic,
} from "./_scripted_anthropic.ts";

export { type Script, type ScriptedAnthropic } from "./_scripted_anthropic.ts";

/** The config `raw` validates to (defaults applied). */
export function configOf(raw: Record<string, unknown> = {}): CaraConfig {
  return configSchema.parse(raw);
}

/** A broadcast the sink received. */
export interface SentEvent {
  event: string;
  payload: unknown;
  options: BroadcastOptions | undefined;
}

/** An event sink that records every broadcast and wakes waiters. */
export class RecordingSink implements EventSink {
  readonly sent: SentEvent[] = [];
  #waiters: (() => void)[] = [];

  broadcast(event: string, payload: unknown, options?: BroadcastOptions): void {
    this.sent.push({ event, payload, options });
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** `agent` payloads of one run. */
  agent(runId: string): AgentEventPayload[] {
    return this.sent.filter((e) => e.event === "agent")
      .map((e) => e.payload as AgentEventPayload)
      .filter((p) => p.runId === runId);
  }

  /** `chat` payloads of one run. */
  chat(runId: string): ChatEventPayload[] {
    return this.sent.filter((e) => e.event === "chat")
      .map((e) => e.payload as ChatEventPayload)
      .filter((p) => p.runId === runId);
  }

  /** Resolves once `test` holds (checked after each broadcast). */
  async until(test: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      if (Date.now() > deadline) {
        throw new Error("timed out waiting for events");
      }
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
}

/** Everything one engine test needs; `await using` cleans up. */
export interface EngineHarness extends AsyncDisposable {
  state: StateDatabase;
  peer: ScriptedAnthropic;
  sink: RecordingSink;
  runs: AgentRunService;
  config: CaraConfig;
  usage: UsageTracker;
}

/** Options of {@linkcode engineHarness}. */
export interface EngineHarnessOptions {
  /** Raw config; `agents.defaults.model` defaults to `anthropic:claude-fake`. */
  config?: Record<string, unknown>;
  tools?: Tool[];
  deps?: Partial<AgentRunsDeps>;
}

/** Builds the run service against a scripted Anthropic peer. */
export function engineHarness(
  options: EngineHarnessOptions = {},
): EngineHarness {
  const dir = tempDir("cara-agent-");
  const state = openDatabase(`${dir.path}/state.db`);
  const peer = startScriptedAnthropic();
  const raw = options.config ?? {};
  const agents = (raw.agents ?? {}) as Record<string, unknown>;
  const config = configOf({
    ...raw,
    agents: {
      ...agents,
      defaults: { model: "anthropic:claude-fake", ...(agents.defaults ?? {}) },
    },
  });
  const providers = createProviderRegistry(config, {
    ANTHROPIC_API_KEY: "sk-ant-test",
    ANTHROPIC_BASE_URL: peer.origin,
  }, { retry: false });
  const sink = new RecordingSink();
  const usage = new UsageTracker(state.usage, { config: () => config });
  const runs = createAgentRuns({
    state,
    events: sink,
    config: () => config,
    providers,
    tools: options.tools ?? [],
    usage,
    flushIntervalMs: 0,
    ...options.deps,
  });
  return {
    state,
    peer,
    sink,
    runs,
    config,
    usage,
    async [Symbol.asyncDispose]() {
      await peer[Symbol.asyncDispose]();
      state.close();
      dir[Symbol.dispose]();
    },
  };
}
