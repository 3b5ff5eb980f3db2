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

// Per message and per block: role, separators and block framing.
const MESSAGE_OVERHEAD_TOKENS = 4;
const BLOCK_OVERHEAD_TOKENS = 6;

function messageTokens(message: ProviderMessage): number {
  let tokens = MESSAGE_OVERHEAD_TOKENS;
  for (const block of message.content) {
    tokens += BLOCK_OVERHEAD_TOKENS + estimateTokens(
      block.type === "text"
        ? block.text
        : block.type === "tool_result"
        ? block.content
        : block.name + JSON.stringify(block.input ?? null),
    );
  }
  return tokens;
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

// Plain loops: these run over the whole history on every turn.
function hasToolBlocks(messages: readonly ProviderMessage[]): boolean {
  for (const message of messages) {
    for (const block of message.content) {
      if (block.type !== "text") return true;
    }
  }
  return false;
}

function hasText(message: ProviderMessage): boolean {
  for (const block of message.content) {
    if (block.type === "text") return true;
  }
  return false;
}

/** Stored messages (oldest first) as a well-formed provider conversation. */
export function toProviderMessages(
  stored: readonly ChatMessage[],
): ProviderMessage[] {
  const blocks: ProviderMessage[] = [];
  for (const message of stored) {
    const converted = toBlocks(message);
    if (converted !== null) blocks.push(converted);
  }
  const converted = merged(blocks);
  return startAtUser(hasToolBlocks(converted) ? paired(converted) : converted);
}

function startAtUser(messages: ProviderMessage[]): ProviderMessage[] {
  let first = 0;
  while (
    first < messages.length &&
    !(messages[first]!.role === "user" && hasText(messages[first]!))
  ) first++;
  if (first === messages.length) return [];
  const rest = first === 0 ? messages : messages.slice(first);
  // Pairing only changes conversations that carry tool calls or results.
  return hasToolBlocks(rest) ? paired(rest) : rest;
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
