/**
 * Converts OpenAI request messages (Chat Completions `messages`, Responses
 * `input`) into provider messages: system/developer text is lifted out,
 * consecutive turns of one role are merged, text parts only.
 *
 * @module
 */
import type { ContentBlock, ProviderMessage } from "../providers/types.ts";
import { CompatError } from "./compat_error.ts";

/** A conversation ready for a provider. */
export interface Conversation {
  system?: string;
  messages: ProviderMessage[];
}

const MAX_MESSAGES = 1000;

function bad(message: string): CompatError {
  return new CompatError(400, "invalid_request_error", message);
}

function textOf(content: unknown, where: string): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  if (!Array.isArray(content)) {
    throw bad(
      `Cannot read ${where}: expected a string or an array of text parts`,
    );
  }
  return content.map((part, i) => {
    const p = part as { type?: unknown; text?: unknown };
    if (
      typeof p?.text === "string" &&
      ["text", "input_text", "output_text"].includes(String(p.type))
    ) return p.text;
    throw bad(
      `Cannot read ${where}[${i}]: only text parts are supported, got type "${
        String(p?.type).slice(0, 40)
      }"`,
    );
  }).join("");
}

function push(
  out: ProviderMessage[],
  role: ProviderMessage["role"],
  block: ContentBlock,
) {
  const last = out.at(-1);
  if (last?.role === role) last.content.push(block);
  else out.push({ role, content: [block] });
}

function finish(system: string[], messages: ProviderMessage[]): Conversation {
  if (messages.length === 0 || messages.at(-1)?.role !== "user") {
    throw bad(
      "Cannot answer the request: the conversation must end with a user message",
    );
  }
  return system.length > 0
    ? { system: system.join("\n\n"), messages }
    : { messages };
}

/**
 * Chat Completions `messages` → conversation (`tool` turns become tool results).
 *
 * @throws {CompatError} 400 for a malformed or empty conversation
 */
export function fromChatMessages(raw: unknown): Conversation {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_MESSAGES) {
    throw bad(
      `Cannot read "messages": expected an array of 1 to ${MAX_MESSAGES} messages`,
    );
  }
  const system: string[] = [];
  const out: ProviderMessage[] = [];
  raw.forEach((entry, i) => {
    const m = (entry ?? {}) as Record<string, unknown>;
    const where = `messages[${i}].content`;
    if (m.role === "system" || m.role === "developer") {
      system.push(textOf(m.content, where));
    } else if (m.role === "user") {
      push(out, "user", { type: "text", text: textOf(m.content, where) });
    } else if (m.role === "assistant") {
      const text = textOf(m.content, where);
      if (text !== "") push(out, "assistant", { type: "text", text });
      for (const call of Array.isArray(m.tool_calls) ? m.tool_calls : []) {
        const c = call as {
          id?: unknown;
          function?: { name?: unknown; arguments?: unknown };
        };
        let input: unknown = {};
        try {
          input = JSON.parse(String(c.function?.arguments ?? "{}"));
        } catch { /* keep {} for unparsable arguments */ }
        push(out, "assistant", {
          type: "tool_use",
          id: String(c.id ?? ""),
          name: String(c.function?.name ?? ""),
          input,
        });
      }
    } else if (m.role === "tool") {
      push(out, "user", {
        type: "tool_result",
        toolUseId: String(m.tool_call_id ?? ""),
        content: textOf(m.content, where),
      });
    } else {
      throw bad(
        `Cannot read messages[${i}]: unknown role "${
          String(m.role).slice(0, 40)
        }"; expected system, developer, user, assistant or tool`,
      );
    }
  });
  return finish(system, out);
}

/**
 * Responses `input` (a string or an item array) plus `instructions` →
 * conversation; function-call items are ignored.
 *
 * @throws {CompatError} 400 for a malformed or empty input
 */
export function fromResponsesInput(
  input: unknown,
  instructions: unknown,
): Conversation {
  const system = typeof instructions === "string" && instructions !== ""
    ? [instructions]
    : [];
  if (typeof input === "string") {
    return finish(system, [{
      role: "user",
      content: [{ type: "text", text: input }],
    }]);
  }
  if (!Array.isArray(input) || input.length > MAX_MESSAGES) {
    throw bad(
      `Cannot read "input": expected a string or an array of at most ${MAX_MESSAGES} items`,
    );
  }
  const out: ProviderMessage[] = [];
  input.forEach((entry, i) => {
    const item = (entry ?? {}) as Record<string, unknown>;
    if (item.type !== undefined && item.type !== "message") return;
    const text = textOf(item.content, `input[${i}].content`);
    if (item.role === "system" || item.role === "developer") system.push(text);
    else if (item.role === "user" || item.role === "assistant") {
      push(out, item.role, { type: "text", text });
    } else {
      throw bad(
        `Cannot read input[${i}]: unknown role "${
          String(item.role).slice(0, 40)
        }"`,
      );
    }
  });
  return finish(system, out);
}
