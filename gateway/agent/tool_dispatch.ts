/**
 * Runs one tool call the model asked for: the policy is checked again here
 * (a model may name a tool it was never offered), failures become error
 * results the model can read, and oversized outputs are cut.
 *
 * @module
 */
import type { AgentProfile } from "./agent_profile.ts";
import type { ToolPermission } from "./tool_policy.ts";
import type { RunHook, Tool, ToolOutput } from "./types.ts";

/** The most characters of one tool output sent back to the model. */
export const MAX_TOOL_OUTPUT_CHARS = 100_000;

/** A tool call from the model. */
export interface ToolCall {
  id: string;
  name: string;
  input: unknown;
}

/** What dispatch needs from the run. */
export interface DispatchContext {
  runId: string;
  session: { sessionKey: string };
  profile: AgentProfile;
  tools: ReadonlyMap<string, Tool>;
  allowed: ToolPermission;
  signal: AbortSignal;
  /** Plugin hooks `before_tool_call` (may modify `input` or cancel) and `after_tool_call`. */
  hooks?: RunHook;
}

/**
 * Runs `call`; never throws except for the run's own abort.
 *
 * @example
 * ```ts
 * const output = await dispatchTool({ id: "t1", name: "current_time", input: {} }, context);
 * ```
 */
export async function dispatchTool(
  call: ToolCall,
  context: DispatchContext,
): Promise<ToolOutput> {
  const agentId = context.profile.id;
  if (!context.allowed(call.name)) {
    return {
      content:
        `Tool "${call.name}" is not allowed for agent "${agentId}" by its tool policy`,
      isError: true,
    };
  }
  const tool = context.tools.get(call.name);
  if (tool === undefined) {
    return { content: `Tool "${call.name}" does not exist`, isError: true };
  }
  let input = call.input;
  const hookBase = {
    runId: context.runId,
    sessionKey: context.session.sessionKey,
    tool: call.name,
  };
  if (context.hooks !== undefined) {
    const before = await context.hooks("before_tool_call", {
      ...hookBase,
      input,
    });
    if (before.cancelled) {
      return {
        content: `Tool "${call.name}" was cancelled by a plugin hook`,
        isError: true,
      };
    }
    const changed = before.payload as { input?: unknown } | null;
    if (changed !== null && typeof changed === "object" && "input" in changed) {
      input = changed.input;
    }
  }
  const output = await runTool(tool, input, call, context);
  // Observers only: the answer does not wait for them, and their failures stay in the log.
  context.hooks?.("after_tool_call", {
    ...hookBase,
    isError: output.isError === true,
  })
    .catch(() => {});
  return output;
}

async function runTool(
  tool: Tool,
  input: unknown,
  call: ToolCall,
  context: DispatchContext,
): Promise<ToolOutput> {
  const agentId = context.profile.id;
  try {
    const output = await tool.run(input, {
      agentId,
      sessionKey: context.session.sessionKey,
      runId: context.runId,
      signal: context.signal,
    });
    return output.content.length <= MAX_TOOL_OUTPUT_CHARS ? output : {
      ...output,
      content: output.content.slice(0, MAX_TOOL_OUTPUT_CHARS) +
        `\n[output cut at ${MAX_TOOL_OUTPUT_CHARS} characters]`,
    };
  } catch (error) {
    context.signal.throwIfAborted();
    const message = error instanceof Error ? error.message : String(error);
    return { content: `Tool "${call.name}" failed: ${message}`, isError: true };
  }
}
