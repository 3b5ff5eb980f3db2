/**
 * Provider messages and tools in the OpenAI chat completions shape: tool
 * results become `role: "tool"` messages, tool uses become `tool_calls`.
 *
 * @module
 */
import type { ProviderRequest, ToolSpec } from "./types.ts";

/** Prefix marking a failed tool's output, since chat completions have no error flag. */
export const TOOL_ERROR_PREFIX = "Tool error: ";

/** The `messages` array of a chat completions request. */
export function chatMessages(
  request: ProviderRequest,
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  if (request.system !== undefined) {
    out.push({ role: "system", content: request.system });
  }
  for (const message of request.messages) {
    const text = message.content.flatMap((b) =>
      b.type === "text" ? [b.text] : []
    ).join("");
    if (message.role === "assistant") {
      const calls = message.content.flatMap((b) =>
        b.type === "tool_use"
          ? [{
            id: b.id,
            type: "function",
            function: {
              name: b.name,
              arguments: JSON.stringify(b.input ?? {}),
            },
          }]
          : []
      );
      out.push({
        role: "assistant",
        content: text === "" ? null : text,
        ...(calls.length ? { tool_calls: calls } : {}),
      });
      continue;
    }
    for (const block of message.content) {
      if (block.type === "tool_result") {
        out.push({
          role: "tool",
          tool_call_id: block.toolUseId,
          content: block.isError
            ? `${TOOL_ERROR_PREFIX}${block.content}`
            : block.content,
        });
      }
    }
    if (text !== "") out.push({ role: "user", content: text });
  }
  return out;
}

/** The `tools` array of a chat completions request. */
export function chatTools(tools: ToolSpec[]): Record<string, unknown>[] {
  return tools.map((t) => ({
    type: "function",
    function: {
      name: t.name,
      description: t.description,
      parameters: t.inputSchema,
    },
  }));
}
