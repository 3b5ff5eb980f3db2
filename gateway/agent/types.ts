/**
 * Contracts of the agent engine: tools, the run events streamed to clients
 * (protocol.md §8 `agent` and `chat` payloads) and the run service that the
 * WS methods, HTTP surfaces, hooks and tasks all start turns through.
 *
 * @module
 */
import type { ToolSpec } from "../providers/types.ts";

/** Context a tool runs in. */
export interface ToolContext {
  agentId: string;
  sessionKey: string;
  runId: string;
  signal: AbortSignal;
}

/** A tool's answer; `isError` results go back to the model as errors. */
export interface ToolOutput {
  content: string;
  isError?: boolean;
}

/** A tool the agent can call: its spec for the model plus the code that runs it. */
export interface Tool extends ToolSpec {
  run(input: unknown, context: ToolContext): Promise<ToolOutput>;
}

/** `agent` event payload: `{runId, seq, stream, ts, data}`. */
export interface AgentEventPayload {
  runId: string;
  seq: number;
  stream: "text" | "tool_use" | "tool_result" | "error" | "final";
  ts: number;
  data: Record<string, unknown>;
}

/** `chat` event payload. */
export interface ChatEventPayload {
  runId: string;
  sessionKey: string;
  seq: number;
  state: "delta" | "final" | "error";
  message?: string;
  errorMessage?: string;
  usage?: { inputTokens: number; outputTokens: number };
  stopReason?: string;
}

/** How a turn is asked for (WS `agent`/`chat.send`, HTTP, hooks, tasks). */
export interface RunRequest {
  message: string;
  /** Session to append to; created when missing. */
  sessionKey: string;
  agentId?: string;
  /** At most one of `route` and `model` (request surfaces reject both). */
  route?: string;
  model?: string;
  system?: string;
  /** A duplicate in-flight key returns the same run. */
  idempotencyKey?: string;
  /** Limits from a task policy or the agent config. */
  maxTurns?: number;
  timeoutSeconds?: number;
  /** Who asked, for audit and delivery. */
  source: "ws" | "http" | "hook" | "task" | "cron" | "cli";
}

/** What starting a run answers. */
export interface RunHandle {
  runId: string;
  sessionKey: string;
  status: "accepted" | "queued";
  duplicate?: boolean;
  /** The stored user message of this run (absent on duplicates). */
  messageId?: string;
  /** With `holdEvents`: lets the run's events out (call after answering). */
  release?: () => void;
}

/** Options of {@linkcode AgentRuns.start}. */
export interface RunStartOptions {
  /**
   * Queue the run's events until {@linkcode RunHandle.release}: a WS method
   * releases them after its response, so the client learns the runId first.
   */
  holdEvents?: boolean;
}

/** The outcome of a finished run. */
export interface RunResult {
  runId: string;
  sessionKey: string;
  status: "done" | "error" | "aborted";
  text: string;
  usage: { inputTokens: number; outputTokens: number };
  stopReason?: string;
  error?: string;
}

/** Starts, awaits and aborts agent turns. */
export interface AgentRuns {
  /**
   * Stores the user message, starts the run and resolves once the message
   * is durable (the run does not wait for that).
   */
  start(request: RunRequest, options?: RunStartOptions): Promise<RunHandle>;
  wait(
    runId: string,
    options?: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<RunResult>;
  abort(runId: string, reason?: string): boolean;
}

/** What a lifecycle hook answered (plugins.md hooks). */
export interface HookOutcome {
  /** The payload after every handler that may modify it. */
  payload: unknown;
  cancelled: boolean;
}

/**
 * Runs lifecycle hook `name` (e.g. `before_tool_call`) over `payload`.
 * Hooks come from plugins; with none installed the payload passes unchanged.
 */
export type RunHook = (
  name: string,
  payload: Record<string, unknown>,
) => Promise<HookOutcome>;
