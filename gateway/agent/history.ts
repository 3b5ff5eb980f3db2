/**
 * Turns stored session messages into provider messages and trims them to the
 * context window.
 *
 * Stored shape (append-only, so a crash never leaves a half-written row
 * behind): `user` and `assistant` rows hold text; a tool call is a `tool`
 * row with `metadata.kind = "call"` and its input as JSON content; its
 * result is a `tool` row with `metadata.kind = "result"` (and `isError`). Tool calls whose result
 * never got stored (a crash mid-turn) are dropped, and so are orphan results,
 * so a resumed session always sends a well-formed conversation.
 *
 * Trimming keeps the newest messages whose estimated tokens (≈ 4 characters
 * per token) fit `contextTokens` minus the reply budget; older ones are
 * dropped (not summarised: `sessions.compact` writes a summary into the
 * session metadata, which the turn loop adds to the system prompt).
 *
 * @module
 */
import type { ChatMessage } from "../state/mod.ts";
import type { ContentBlock, ProviderMessage } from "../providers/types.ts";

/** The estimated tokens of a text: about 4 characters per token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function messageTokens(message: ProviderMessage): number {
  return 4 + estimateTokens(JSON.stringify(message.content));
}

function toBlocks(message: ChatMessage): ProviderMessage | null {
  if (message.role === "user") {
    return { role: "user", content: [{ type: "text", text: message.content }] };
  }
  if (message.role === "assistant") {
    return {
      role: "assistant",
      content: message.content === ""
        ? []
        : [{ type: "text", text: message.content }],
    };
  }
  if (message.role !== "tool" || message.toolCallId === null) return null;
  if (message.metadata?.kind === "call") {
    return {
      role: "assistant",
      content: [{
        type: "tool_use",
        id: message.toolCallId,
        name: message.toolName ?? "unknown",
        input: parseInput(message.content),
      }],
    };
  }
  const block: ContentBlock = {
    type: "tool_result",
    toolUseId: message.toolCallId,
    content: message.content,
  };
  if (message.metadata?.isError === true) block.isError = true;
  return { role: "user", content: [block] };
}

function parseInput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

function merged(messages: readonly ProviderMessage[]): ProviderMessage[] {
  const out: ProviderMessage[] = [];
  for (const message of messages) {
    if (message.content.length === 0) continue;
    const last = out.at(-1);
    if (last?.role === message.role) {
      out[out.length - 1] = {
        role: last.role,
        content: [...last.content, ...message.content],
      };
    } else out.push(message);
  }
  return out;
}

/** Keeps only tool calls answered in the next message, and only answered results. */
function paired(messages: ProviderMessage[]): ProviderMessage[] {
  return merged(messages.map((message, i) => {
    const neighbour = message.role === "assistant"
      ? messages[i + 1]
      : messages[i - 1];
    const ids = new Set(
      (neighbour?.content ?? []).flatMap((block) =>
        block.type === "tool_result"
          ? [block.toolUseId]
          : block.type === "tool_use"
          ? [block.id]
          : []
      ),
    );
    const content = message.content.filter((block) =>
      block.type === "text" ||
      (block.type === "tool_use" && message.role === "assistant" &&
        ids.has(block.id)) ||
      (block.type === "tool_result" && message.role === "user" &&
        ids.has(block.toolUseId))
    );
    return { role: message.role, content };
  }));
}

/** Stored messages (oldest first) as a well-formed provider conversation. */
export function toProviderMessages(
  stored: readonly ChatMessage[],
): ProviderMessage[] {
  const converted = stored.flatMap((message) => toBlocks(message) ?? []);
  return startAtUser(paired(merged(converted)));
}

function startAtUser(messages: ProviderMessage[]): ProviderMessage[] {
  const first = messages.findIndex((message) =>
    message.role === "user" &&
    message.content.some((block) => block.type === "text")
  );
  return first < 0 ? [] : paired(messages.slice(first));
}

/**
 * The newest messages that fit `budgetTokens` (the last one is always kept).
 *
 * @returns the kept messages and how many were dropped
 */
export function trimToBudget(
  messages: readonly ProviderMessage[],
  budgetTokens: number,
): { messages: ProviderMessage[]; dropped: number } {
  let used = 0;
  let start = messages.length;
  while (start > 0) {
    const cost = messageTokens(messages[start - 1]!);
    if (start < messages.length && used + cost > budgetTokens) break;
    used += cost;
    start--;
  }
  const kept = startAtUser(messages.slice(start));
  return { messages: kept, dropped: messages.length - kept.length };
}
