/**
 * Executes a prepared run to its end: admission (per-agent concurrency and
 * one run per session), the timeout, history and the context window, the
 * turn loop, and the closing `final` or `error` events. Never rejects: every
 * outcome becomes a {@linkcode RunResult}.
 *
 * @module
 */
import { CaraError } from "../errors.ts";
import { estimateTokens, toProviderMessages, trimToBudget } from "./history.ts";
import type { FlushTicker } from "./reply_writer.ts";
import type { RunLimiter } from "./run_limiter.ts";
import { RunEvents } from "./run_events.ts";
import type { PreparedRun } from "./run_prepare.ts";
import type { AgentRunsDeps } from "./runs.ts";
import { toolPermission } from "./tool_policy.ts";
import { runTurns, type TurnOutcome } from "./turn_loop.ts";
import type { RunResult, Tool } from "./types.ts";

/** How many stored messages a run reads back as history. */
export const HISTORY_LIMIT = 1000;

// A tool's definition is sent with every request; its size is counted once.
const toolTokenCounts = new WeakMap<Tool, number>();

function toolTokens(tool: Tool): number {
  let tokens = toolTokenCounts.get(tool);
  if (tokens === undefined) {
    tokens = estimateTokens(JSON.stringify(tool));
    toolTokenCounts.set(tool, tokens);
  }
  return tokens;
}

function systemPrompt(prepared: PreparedRun): string | undefined {
  const compaction = prepared.session.metadata.compaction;
  const summary = typeof compaction === "object" && compaction !== null &&
      !Array.isArray(compaction) &&
      typeof compaction.last_summary === "string"
    ? `Summary of earlier conversation:\n${compaction.last_summary}`
    : undefined;
  const parts = [prepared.profile.system, prepared.request.system, summary]
    .filter((part): part is string => part !== undefined && part !== "");
  return parts.length === 0 ? undefined : parts.join("\n\n");
}

function describe(error: unknown, timedOut: boolean, seconds: number): string {
  if (timedOut) {
    return `The run timed out after ${seconds} s (timeoutSeconds); raise the limit or ask for less`;
  }
  if (error instanceof CaraError) return error.message;
  return "The run failed: internal error; see the gateway log";
}

/** Runs `prepared` under `run.controller`; resolves with the outcome. */
export async function executeRun(
  run: { runId: string; controller: AbortController },
  prepared: PreparedRun & { userMessageId: string },
  options: {
    deps: AgentRunsDeps;
    limiter: RunLimiter;
    flushTicker: FlushTicker | null;
  },
): Promise<RunResult> {
  const { deps, limiter } = options;
  const { session, profile } = prepared;
  const events = new RunEvents(deps.events, {
    runId: run.runId,
    sessionKey: session.sessionKey,
  });
  const usage = { inputTokens: 0, outputTokens: 0 };
  const base = { runId: run.runId, sessionKey: session.sessionKey };
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    run.controller.abort(new CaraError("timeout", "the run timed out"));
  }, prepared.timeoutSeconds * 1000);
  const signal = run.controller.signal;
  let release: (() => void) | undefined;
  try {
    release = await limiter.acquire({
      agentId: profile.id,
      sessionKey: session.sessionKey,
      maxConcurrent: profile.maxConcurrent,
    }, signal);
    const hookBase = {
      runId: run.runId,
      sessionKey: session.sessionKey,
      agentId: profile.id,
    };
    if (deps.hooks !== undefined) {
      const before = await deps.hooks("before_agent_start", {
        ...hookBase,
        message: prepared.request.message,
      });
      if (before.cancelled) {
        throw new CaraError(
          "hook_cancelled",
          "The run was cancelled by a plugin hook (before_agent_start)",
        );
      }
    }
    const outcome = await turns(prepared, {
      deps,
      events,
      run,
      usage,
      flushTicker: options.flushTicker,
    });
    deps.hooks?.("agent_end", {
      ...hookBase,
      status: "done",
      text: outcome.text,
    }).catch(() => {});
    events.agent("final", {
      text: outcome.text,
      stopReason: outcome.stopReason,
      usage: outcome.usage,
    });
    events.chat("final", {
      message: outcome.text,
      usage: outcome.usage,
      stopReason: outcome.stopReason,
    });
    return { ...base, status: "done", ...outcome };
  } catch (error) {
    const aborted = signal.aborted && !timedOut;
    const message = aborted
      ? `The run was aborted: ${describe(signal.reason, false, 0)}`
      : describe(error, timedOut, prepared.timeoutSeconds);
    if (!(error instanceof CaraError) && !signal.aborted) {
      deps.logger?.error("agent run failed", { runId: run.runId, error });
    }
    events.error(message);
    return {
      ...base,
      status: aborted ? "aborted" : "error",
      text: "",
      usage,
      error: message,
    };
  } finally {
    clearTimeout(timer);
    release?.();
  }
}

async function turns(
  prepared: PreparedRun & { userMessageId: string },
  context: {
    deps: AgentRunsDeps;
    events: RunEvents;
    run: { runId: string; controller: AbortController };
    usage: { inputTokens: number; outputTokens: number };
    flushTicker: FlushTicker | null;
  },
): Promise<TurnOutcome> {
  const { deps, events, run } = context;
  const { session, profile, request } = prepared;
  const messages = deps.state.sessions.messages;
  // The user message was stored when the run was accepted; runs queued on
  // the same session may have stored replies after it, so it goes last.
  const listed = messages.list(session.id, { limit: HISTORY_LIMIT });
  const own = listed.findLastIndex((message) =>
    message.id === prepared.userMessageId
  );
  const stored = own < 0 ? listed : listed.toSpliced(own, 1);
  const history = toProviderMessages(stored);
  history.push({
    role: "user",
    content: [{ type: "text", text: request.message }],
  });
  const tools = new Map<string, Tool>(
    (deps.tools ?? []).map((tool) => [tool.name, tool]),
  );
  const allowed = toolPermission(profile.tools, {
    exfiltrationGuard: profile.exfiltrationGuard,
  });
  const system = systemPrompt(prepared);
  const budget = profile.contextTokens - profile.maxTokens -
    estimateTokens(system ?? "") -
    [...tools.values()].reduce(
      (sum, tool) => allowed(tool.name) ? sum + toolTokens(tool) : sum,
      0,
    );
  const trimmed = trimToBudget(history, Math.max(budget, 0));
  const outcome = await runTurns({
    runId: run.runId,
    session,
    messages,
    profile,
    provider: prepared.provider,
    model: prepared.model,
    system,
    conversation: trimmed.messages,
    tools,
    allowed,
    maxTurns: prepared.maxTurns,
    events,
    signal: run.controller.signal,
    flushTicker: context.flushTicker,
    ...(deps.hooks === undefined ? {} : { hooks: deps.hooks }),
    // The reply and its usage commit crash-safe but without the fsync: the
    // user's message (irreplaceable) was committed with it when the run was
    // accepted; a reply lost to a power cut can be asked for again.
    atomically: (fn) => deps.state.relaxed(() => deps.state.transaction(fn)),
    onUsage(step) {
      context.usage.inputTokens += step.inputTokens;
      context.usage.outputTokens += step.outputTokens;
      deps.usage?.record({
        provider: prepared.provider.id,
        model: prepared.model,
        sessionId: session.id,
        ...step,
      });
    },
  });
  return outcome;
}
