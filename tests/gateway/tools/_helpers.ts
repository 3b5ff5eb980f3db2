/**
 * Helpers for the tool tests: a tool context and a runner that returns the
 * output or the thrown error's message.
 *
 * @module
 */
import type {
  Tool,
  ToolContext,
  ToolOutput,
} from "../../../gateway/agent/types.ts";

/** A context for one tool call. */
export function toolContext(
  signal = new AbortController().signal,
): ToolContext {
  return { agentId: "main", sessionKey: "k", runId: "r", signal };
}

/** Runs the named tool of `tools` with `input`. */
export function runTool(
  tools: Tool[],
  name: string,
  input: unknown,
): Promise<ToolOutput> {
  const tool = tools.find((t) => t.name === name);
  if (tool === undefined) throw new Error(`no tool ${name}`);
  return tool.run(input, toolContext());
}
