/**
 * The run service: starts agent turns (from WS, HTTP, hooks, tasks), lets
 * callers wait for or abort them, and answers a duplicate idempotency key
 * with the run it already started.
 *
 * @example
 * ```ts
 * const runs = createAgentRuns({ state, events: hub, config, providers });
 * const { runId } = await runs.start({ message: "hi", sessionKey: "main:default:default", source: "ws" });
 * const result = await runs.wait(runId, { timeoutMs: 60_000 });
 * ```
 *
 * @module
 */
import type { CaraConfig } from "../config/schema.ts";
import { CaraError } from "../errors.ts";
import type { ScopedLogger } from "../logs/logger.ts";
import { ProtocolError } from "../protocol/errors.ts";
import type { EventSink } from "../protocol/types.ts";
import type { StateDatabase } from "../state/mod.ts";
import type { UsageTracker } from "../usage/usage_tracker.ts";
import { EventGate } from "./event_gate.ts";
import { prepareRun } from "./run_prepare.ts";
import { executeRun } from "./run_execute.ts";
import type { ProviderLookup } from "./model_selection.ts";
import { FlushTicker } from "./reply_writer.ts";
import { RunLimiter } from "./run_limiter.ts";
import type {
  AgentRuns,
  RunHandle,
  RunHook,
  RunRequest,
  RunResult,
  RunStartOptions,
  Tool,
} from "./types.ts";

/** Collaborators of {@linkcode createAgentRuns}. */
export interface AgentRunsDeps {
  state: StateDatabase;
  /** Where `agent` and `chat` events go (the connection hub). */
  events: EventSink;
  /** The current validated config (read at each run start). */
  config: () => CaraConfig;
  /** Resolves `provider:model` (engineer V's provider registry). */
  providers: ProviderLookup;
  /** Tools the agents may call (filtered per agent by its tool policy). */
  tools?: readonly Tool[];
  /** Records usage and cost per provider call. */
  usage?: UsageTracker;
  logger?: ScopedLogger;
  /** How often a streaming reply is written while it grows (ms, default 100; 0: every delta). */
  flushIntervalMs?: number;
  /** How long finished runs stay answerable by `wait` (ms, default 10 min). */
  retainMs?: number;
  /** Plugin lifecycle hooks (`before_agent_start`, `agent_end`, tool hooks). */
  hooks?: RunHook;
  /** Called after each run has ended (e.g. to give freed memory back). */
  onRunEnd?: () => void;
}

/** A run as the service tracks it. */
export interface RunRecord {
  runId: string;
  sessionKey: string;
  agentId: string;
  idempotencyKey: string | undefined;
  controller: AbortController;
  done: Promise<RunResult>;
  result: RunResult | undefined;
}

/** {@linkcode AgentRuns} plus what the WS methods need to find runs. */
export interface AgentRunService extends AgentRuns {
  /** The runs of a session that have not finished. */
  activeRuns(sessionKey: string): string[];
  /** A known run (active or recently finished). */
  get(runId: string): RunRecord | undefined;
  /** Aborts every active run (gateway shutdown); returns how many. */
  abortAll(reason: string): number;
}

/** A `wait` that ran out of time; the run goes on. */
export class RunWaitTimeout extends CaraError {
  constructor(runId: string, timeoutMs: number) {
    super(
      "timeout",
      `Wait for run "${runId}" timed out after ${timeoutMs} ms: it is still running; wait again or abort it`,
    );
    this.name = "RunWaitTimeout";
  }
}

const MAX_RETAINED = 1000;

/**
 * Builds the run service.
 *
 * @throws nothing at build time; `start` throws {@linkcode ProtocolError}
 *   (`unknown_route`, `missing_model`, `provider_not_configured`,
 *   `invalid_request`) before anything is stored
 */
export function createAgentRuns(deps: AgentRunsDeps): AgentRunService {
  const runs = new Map<string, RunRecord>();
  const byKey = new Map<string, string>();
  const limiter = new RunLimiter();
  const flushIntervalMs = deps.flushIntervalMs ?? 100;
  const flushTicker = flushIntervalMs > 0
    ? new FlushTicker(flushIntervalMs)
    : null;
  const retainMs = deps.retainMs ?? 10 * 60_000;

  // Finished runs in the order they finished (at most MAX_RETAINED); one
  // timer forgets each once retainMs have passed.
  const finished: { record: RunRecord; expiresAt: number }[] = [];
  let sweepTimer: ReturnType<typeof setTimeout> | undefined;

  function drop(record: RunRecord): void {
    if (runs.get(record.runId) === record) runs.delete(record.runId);
    const key = record.idempotencyKey;
    if (key !== undefined && byKey.get(key) === record.runId) byKey.delete(key);
  }

  function armSweep(delayMs: number): void {
    sweepTimer = setTimeout(() => {
      sweepTimer = undefined;
      const now = performance.now();
      while (finished.length > 0 && finished[0]!.expiresAt <= now) {
        drop(finished.shift()!.record);
      }
      if (finished.length > 0) armSweep(finished[0]!.expiresAt - now);
    }, delayMs);
    Deno.unrefTimer(sweepTimer);
  }

  function forget(record: RunRecord): void {
    finished.push({ record, expiresAt: performance.now() + retainMs });
    if (finished.length > MAX_RETAINED) drop(finished.shift()!.record);
    if (sweepTimer === undefined) armSweep(retainMs);
  }

  return {
    async start(
      request: RunRequest,
      options: RunStartOptions = {},
    ): Promise<RunHandle> {
      const key = request.idempotencyKey;
      const existing = key === undefined ? undefined : byKey.get(key);
      const known = existing === undefined ? undefined : runs.get(existing);
      if (known !== undefined) {
        return {
          runId: known.runId,
          sessionKey: known.sessionKey,
          status: "accepted",
          duplicate: true,
        };
      }
      const prepared = prepareRun(request, deps);
      // The run starts while the message is synced to disk; the caller is
      // answered once it is durable.
      const { value: userMessage, synced } = deps.state.durably(() =>
        deps.state.sessions.messages.append({
          sessionId: prepared.session.id,
          role: "user",
          content: request.message,
        })
      );
      const runId = crypto.randomUUID();
      const controller = new AbortController();
      const gate = options.holdEvents ? new EventGate(deps.events) : undefined;
      const done = executeRun({ runId, controller }, {
        ...prepared,
        userMessageId: userMessage.id,
      }, {
        deps: gate === undefined ? deps : { ...deps, events: gate },
        limiter,
        flushTicker,
      }).then((result) => {
        record.result = result;
        forget(record);
        deps.onRunEnd?.();
        return result;
      });
      const record: RunRecord = {
        runId,
        sessionKey: prepared.session.sessionKey,
        agentId: prepared.profile.id,
        idempotencyKey: key,
        controller,
        done,
        result: undefined,
      };
      runs.set(runId, record);
      if (key !== undefined) byKey.set(key, runId);
      try {
        await synced;
      } catch (error) {
        controller.abort(
          new CaraError(
            "unavailable",
            "the message could not be synced to disk",
          ),
        );
        gate?.release();
        throw new ProtocolError(
          "unavailable",
          `Cannot store the message durably: ${
            error instanceof Error ? error.message : String(error)
          }; check the state dir's disk`,
        );
      }
      return {
        runId: record.runId,
        sessionKey: record.sessionKey,
        status: "accepted",
        messageId: userMessage.id,
        ...(gate === undefined ? {} : { release: () => gate.release() }),
      };
    },

    async wait(runId, options = {}): Promise<RunResult> {
      const record = runs.get(runId);
      if (record === undefined) {
        throw new ProtocolError(
          "invalid_request",
          `Cannot wait for run "${runId}": no such run (finished runs are kept ${
            Math.round(retainMs / 60_000)
          } min)`,
        );
      }
      if (record.result !== undefined) return record.result;
      const timeoutMs = options.timeoutMs;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stops: Promise<never>[] = [];
      if (timeoutMs !== undefined) {
        stops.push(
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new RunWaitTimeout(runId, timeoutMs)),
              timeoutMs,
            );
          }),
        );
      }
      let onAbort: (() => void) | undefined;
      const signal = options.signal;
      if (signal !== undefined) {
        stops.push(
          new Promise<never>((_, reject) => {
            onAbort = () => reject(signal.reason);
            if (signal.aborted) onAbort();
            else signal.addEventListener("abort", onAbort, { once: true });
          }),
        );
      }
      try {
        return await Promise.race([record.done, ...stops]);
      } finally {
        clearTimeout(timer);
        if (onAbort !== undefined) {
          signal?.removeEventListener("abort", onAbort);
        }
      }
    },

    abort(runId, reason): boolean {
      const record = runs.get(runId);
      if (record === undefined || record.result !== undefined) return false;
      record.controller.abort(
        new CaraError("aborted", reason ?? "the run was aborted"),
      );
      return true;
    },

    activeRuns(sessionKey) {
      return [...runs.values()]
        .filter((run) => run.sessionKey === sessionKey && !run.result)
        .map((run) => run.runId);
    },

    get: (runId) => runs.get(runId),

    abortAll(reason) {
      let count = 0;
      for (const run of runs.values()) {
        if (run.result !== undefined) continue;
        run.controller.abort(new CaraError("aborted", reason));
        count++;
      }
      return count;
    },
  };
}
