/**
 * `gemini:` — the Gemini API's `streamGenerateContent` (SSE) through
 * `@google/genai`, loaded on first use, with an API key.
 *
 * @module
 */
import { lazy } from "../lazy_value.ts";
import { streamEndedEarly, toProviderError } from "./errors.ts";
import type { ProviderSettings } from "./settings.ts";
import {
  type ModelInfo,
  type Provider,
  ProviderError,
  type ProviderEvent,
  type ProviderRequest,
  type StopReason,
} from "./types.ts";

/** One streamed `GenerateContentResponse` (wire names verbatim). */
interface GeminiChunk {
  candidates?: {
    content?: {
      parts?: {
        text?: string;
        thought?: boolean;
        functionCall?: { id?: string; name?: string; args?: unknown };
      }[];
    };
    finishReason?: string;
  }[];
  usageMetadata?: { promptTokenCount?: number; candidatesTokenCount?: number };
}

/** The `contents` of a request; tool results carry the name of the call they answer. */
export function geminiContents(
  request: ProviderRequest,
): Record<string, unknown>[] {
  const names = new Map<string, string>();
  return request.messages.map((m) => ({
    role: m.role === "assistant" ? "model" : "user",
    parts: m.content.map((b) => {
      if (b.type === "text") return { text: b.text };
      if (b.type === "tool_use") {
        names.set(b.id, b.name);
        return {
          functionCall: { id: b.id, name: b.name, args: b.input ?? {} },
        };
      }
      const response = b.isError ? { error: b.content } : { output: b.content };
      return {
        functionResponse: {
          id: b.toolUseId,
          name: names.get(b.toolUseId) ?? b.toolUseId,
          response,
        },
      };
    }),
  }));
}

/** The `config` of a request. */
export function geminiConfig(
  request: ProviderRequest,
): Record<string, unknown> {
  const config: Record<string, unknown> = {
    maxOutputTokens: request.maxTokens,
    abortSignal: request.signal,
  };
  if (request.system !== undefined) config.systemInstruction = request.system;
  if (request.temperature !== undefined) {
    config.temperature = request.temperature;
  }
  if (request.tools?.length) {
    config.tools = [{
      functionDeclarations: request.tools.map((t) => ({
        name: t.name,
        description: t.description,
        parametersJsonSchema: t.inputSchema,
      })),
    }];
  }
  return config;
}

const FINISH: Record<string, StopReason> = {
  STOP: "end_turn",
  MAX_TOKENS: "max_tokens",
};

/** Turns streamed responses into provider events. */
export async function* geminiEvents(
  id: "gemini" | "vertex",
  chunks: AsyncIterable<GeminiChunk>,
  request: ProviderRequest,
): AsyncGenerator<ProviderEvent> {
  let finish: string | undefined;
  let calls = 0;
  let usage = { inputTokens: 0, outputTokens: 0 };
  for await (const chunk of chunks) {
    const meta = chunk.usageMetadata;
    if (meta) {
      usage = {
        inputTokens: meta.promptTokenCount ?? 0,
        outputTokens: meta.candidatesTokenCount ?? 0,
      };
    }
    const candidate = chunk.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) {
      if (part.text && !part.thought) yield { type: "text", delta: part.text };
      if (part.functionCall) {
        const call = part.functionCall;
        yield {
          type: "tool_call",
          id: call.id ?? `call_${calls}`,
          name: call.name ?? "",
          input: call.args ?? {},
        };
        calls++;
      }
    }
    finish = candidate?.finishReason ?? finish;
  }
  if (finish === undefined) throw streamEndedEarly(id, request.signal);
  yield { type: "usage", ...usage };
  yield {
    type: "stop",
    reason: calls > 0 ? "tool_use" : FINISH[finish] ?? "refusal",
  };
}

/** Maps a genai error; a 429's `RetryInfo.retryDelay` ("2s") becomes the retry hint. */
export function geminiError(
  id: "gemini" | "vertex",
  error: unknown,
  request: ProviderRequest,
): ProviderError {
  const mapped = toProviderError(id, error, {
    signal: request.signal,
    model: request.model,
  });
  const delay = /"retryDelay":\s*"(\d+(?:\.\d+)?)s"/.exec(
    String((error as Error)?.message),
  )?.[1];
  if (delay === undefined || mapped.retryAfterMs !== undefined) return mapped;
  const options: { status?: number; retryAfterMs: number; cause: unknown } = {
    retryAfterMs: Math.round(Number(delay) * 1000),
    cause: error,
  };
  if (mapped.status !== undefined) options.status = mapped.status;
  return new ProviderError(id, mapped.failure, mapped.message, options);
}

/**
 * Builds the Gemini provider.
 *
 * @example
 * ```ts
 * const gemini = geminiProvider({ apiKey: "AIza…", baseUrl: "https://generativelanguage.googleapis.com" });
 * ```
 */
export function geminiProvider(settings: ProviderSettings): Provider {
  // One SDK client per provider, built on first use.
  const client = lazy(async () => {
    const { GoogleGenAI } = await import("@google/genai");
    return new GoogleGenAI({
      apiKey: settings.apiKey ?? "",
      httpOptions: {
        baseUrl: settings.baseUrl,
        headers: settings.headers ?? {},
      },
    });
  });
  async function* stream(
    request: ProviderRequest,
  ): AsyncGenerator<ProviderEvent> {
    try {
      const chunks = await (await client()).models.generateContentStream({
        model: request.model,
        contents: geminiContents(request),
        config: geminiConfig(request),
      });
      yield* geminiEvents(
        "gemini",
        chunks as AsyncIterable<GeminiChunk>,
        request,
      );
    } catch (error) {
      throw geminiError("gemini", error, request);
    }
  }
  async function listModels(signal: AbortSignal): Promise<ModelInfo[]> {
    try {
      const models: ModelInfo[] = [];
      for await (
        const model of await (await client()).models.list({
          config: { abortSignal: signal },
        })
      ) {
        const name = model.name?.replace(/^models\//, "");
        if (name) {
          models.push({
            id: `gemini:${name}`,
            provider: "gemini",
            ...(model.displayName ? { name: model.displayName } : {}),
          });
        }
      }
      return models;
    } catch (error) {
      throw toProviderError("gemini", error, { signal });
    }
  }
  return { id: "gemini", stream, listModels };
}
