/**
 * `ollama:` — Ollama's native `/api/chat` with NDJSON streaming, over plain
 * `fetch` (no SDK needed). A key, when set, is sent as a bearer token.
 *
 * @module
 */
import {
  httpProviderError,
  streamEndedEarly,
  toProviderError,
} from "./errors.ts";
import { TOOL_ERROR_PREFIX } from "./openai_messages.ts";
import type { ProviderSettings } from "./settings.ts";
import {
  type ModelInfo,
  type Provider,
  ProviderError,
  type ProviderEvent,
  type ProviderRequest,
  type StopReason,
} from "./types.ts";

/** One NDJSON line of `/api/chat` (wire names verbatim). */
interface ChatLine {
  message?: {
    content?: string;
    tool_calls?: {
      id?: string;
      function?: { name?: string; arguments?: unknown };
    }[];
  };
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  error?: string;
}

function messages(request: ProviderRequest): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = request.system === undefined ? [] : [{
    role: "system",
    content: request.system,
  }];
  for (const m of request.messages) {
    const text = m.content.flatMap((b) => b.type === "text" ? [b.text] : [])
      .join("");
    const calls = m.content.flatMap((b) =>
      b.type === "tool_use"
        ? [{ function: { name: b.name, arguments: b.input ?? {} } }]
        : []
    );
    for (const b of m.content) {
      if (b.type === "tool_result") {
        out.push({
          role: "tool",
          content: b.isError ? `${TOOL_ERROR_PREFIX}${b.content}` : b.content,
          tool_call_id: b.toolUseId,
        });
      }
    }
    if (text !== "" || calls.length > 0) {
      out.push({
        role: m.role,
        content: text,
        ...(calls.length ? { tool_calls: calls } : {}),
      });
    }
  }
  return out;
}

async function* lines(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<string> {
  let buffer = "";
  for await (const text of body.pipeThrough(new TextDecoderStream())) {
    buffer += text;
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    for (const line of parts) if (line.trim() !== "") yield line;
  }
  if (buffer.trim() !== "") yield buffer;
}

function parseLine(line: string): ChatLine {
  try {
    return JSON.parse(line) as ChatLine;
  } catch (cause) {
    throw new ProviderError(
      "ollama",
      "protocol",
      `Cannot read the ollama stream: a line is not valid JSON`,
      { cause },
    );
  }
}

/**
 * Builds the Ollama provider.
 *
 * @example
 * ```ts
 * const ollama = ollamaProvider({ baseUrl: "http://localhost:11434" });
 * ```
 */
export function ollamaProvider(settings: ProviderSettings): Provider {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    ...settings.headers,
  };
  if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
  async function* stream(
    request: ProviderRequest,
  ): AsyncGenerator<ProviderEvent> {
    try {
      const options: Record<string, unknown> = {
        num_predict: request.maxTokens,
      };
      if (request.temperature !== undefined) {
        options.temperature = request.temperature;
      }
      const body: Record<string, unknown> = {
        model: request.model,
        messages: messages(request),
        stream: true,
        options,
      };
      if (request.tools?.length) {
        body.tools = request.tools.map((t) => ({
          type: "function",
          function: {
            name: t.name,
            description: t.description,
            parameters: t.inputSchema,
          },
        }));
      }
      const response = await fetch(`${settings.baseUrl}/api/chat`, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
        signal: request.signal,
      });
      if (!response.ok || response.body === null) {
        const text = await response.text();
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch { /* plain-text error body */ }
        throw httpProviderError("ollama", {
          status: response.status,
          headers: response.headers,
          body: parsed,
        }, {
          model: request.model,
        });
      }
      let calls = 0;
      for await (const raw of lines(response.body)) {
        const line = parseLine(raw);
        if (line.error) {
          throw new ProviderError(
            "ollama",
            "server",
            `Cannot finish the ollama answer: ${line.error}`,
          );
        }
        if (line.message?.content) {
          yield { type: "text", delta: line.message.content };
        }
        for (const call of line.message?.tool_calls ?? []) {
          yield {
            type: "tool_call",
            id: call.id ?? `call_${calls}`,
            name: call.function?.name ?? "",
            input: call.function?.arguments ?? {},
          };
          calls++;
        }
        if (line.done) {
          yield {
            type: "usage",
            inputTokens: line.prompt_eval_count ?? 0,
            outputTokens: line.eval_count ?? 0,
          };
          const reason: StopReason = calls > 0
            ? "tool_use"
            : line.done_reason === "length"
            ? "max_tokens"
            : "end_turn";
          yield { type: "stop", reason };
          return;
        }
      }
      throw streamEndedEarly("ollama", request.signal);
    } catch (error) {
      throw toProviderError("ollama", error, {
        signal: request.signal,
        model: request.model,
      });
    }
  }
  async function listModels(signal: AbortSignal): Promise<ModelInfo[]> {
    try {
      const response = await fetch(`${settings.baseUrl}/api/tags`, {
        headers,
        signal,
      });
      if (!response.ok) {
        throw httpProviderError("ollama", {
          status: response.status,
          body: await response.text(),
        });
      }
      const { models = [] } = await response.json() as {
        models?: { name: string }[];
      };
      return models.map((m) => ({
        id: `ollama:${m.name}`,
        provider: "ollama",
        name: m.name,
      }));
    } catch (error) {
      throw toProviderError("ollama", error, { signal });
    }
  }
  return { id: "ollama", stream, listModels };
}
