/**
 * OpenAI chat completions through the `openai` SDK, loaded on first use:
 * `openai:`, and the OpenAI-compatible `nearai:` and `venice:` (which keep
 * their own base URLs; Venice takes `venice_parameters` from the request's
 * `extra`).
 *
 * @module
 */
import { lazy } from "../lazy_value.ts";
import type { ChatCompletionCreateParamsStreaming } from "openai/resources/chat/completions";
import { streamEndedEarly, toProviderError } from "./errors.ts";
import { chatMessages, chatTools } from "./openai_messages.ts";
import type { ProviderSettings } from "./settings.ts";
import {
  type ModelInfo,
  type Provider,
  ProviderError,
  type ProviderEvent,
  type ProviderId,
  type ProviderRequest,
  type StopReason,
} from "./types.ts";

/** One streamed chat completion chunk (wire names verbatim). */
interface ChatChunk {
  choices?: {
    delta?: {
      content?: string | null;
      tool_calls?: {
        index: number;
        id?: string;
        function?: { name?: string; arguments?: string };
      }[];
    };
    finish_reason?: string | null;
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

const FINISH: Record<string, StopReason> = {
  stop: "end_turn",
  tool_calls: "tool_use",
  function_call: "tool_use",
  length: "max_tokens",
  content_filter: "refusal",
};

/** The SDK base URL: the configured one, with `/v1` appended unless it already ends in a version. */
export function openaiBaseUrl(baseUrl: string): string {
  return /\/v\d+$/.test(baseUrl) ? baseUrl : `${baseUrl}/v1`;
}

function body(
  id: ProviderId,
  request: ProviderRequest,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    model: request.model,
    messages: chatMessages(request),
    stream: true,
    stream_options: { include_usage: true },
  };
  out[
    id === "openai" || id === "codex" ? "max_completion_tokens" : "max_tokens"
  ] = request.maxTokens;
  if (request.temperature !== undefined) out.temperature = request.temperature;
  if (request.tools?.length) out.tools = chatTools(request.tools);
  const venice = request.extra?.venice_parameters ??
    request.extra?.veniceParameters;
  if (id === "venice" && venice !== undefined) out.venice_parameters = venice;
  return out;
}

async function* chatEvents(
  id: ProviderId,
  chunks: AsyncIterable<ChatChunk>,
  request: ProviderRequest,
): AsyncGenerator<ProviderEvent> {
  const calls = new Map<number, { id: string; name: string; args: string }>();
  let stop: StopReason | undefined;
  let usage = { inputTokens: 0, outputTokens: 0 };
  for await (const chunk of chunks) {
    if (chunk.usage) {
      usage = {
        inputTokens: chunk.usage.prompt_tokens ?? 0,
        outputTokens: chunk.usage.completion_tokens ?? 0,
      };
    }
    const choice = chunk.choices?.[0];
    if (choice?.delta?.content) {
      yield { type: "text", delta: choice.delta.content };
    }
    for (const part of choice?.delta?.tool_calls ?? []) {
      const call = calls.get(part.index) ?? { id: "", name: "", args: "" };
      call.id ||= part.id ?? "";
      call.name ||= part.function?.name ?? "";
      call.args += part.function?.arguments ?? "";
      calls.set(part.index, call);
    }
    if (choice?.finish_reason) {
      stop = FINISH[choice.finish_reason] ?? "end_turn";
    }
  }
  if (stop === undefined) throw streamEndedEarly(id, request.signal);
  for (const [index, call] of [...calls].sort(([a], [b]) => a - b)) {
    yield {
      type: "tool_call",
      id: call.id || `call_${index}`,
      name: call.name,
      input: parseArgs(id, call),
    };
  }
  yield { type: "usage", ...usage };
  yield {
    type: "stop",
    reason: calls.size > 0 && stop === "end_turn" ? "tool_use" : stop,
  };
}

function parseArgs(
  id: ProviderId,
  call: { name: string; args: string },
): unknown {
  if (call.args.trim() === "") return {};
  try {
    return JSON.parse(call.args);
  } catch (cause) {
    throw new ProviderError(
      id,
      "protocol",
      `Cannot read the arguments of tool call "${call.name}" from ${id}: they are not valid JSON`,
      {
        cause,
      },
    );
  }
}

/**
 * Builds an OpenAI-compatible chat completions provider.
 *
 * @example
 * ```ts
 * const openai = openaiChatProvider("openai", { apiKey: "sk-…", baseUrl: "https://api.openai.com" });
 * ```
 */
export function openaiChatProvider(
  id: ProviderId,
  settings: ProviderSettings,
): Provider {
  // One SDK client per provider: building it per call costs about half a
  // millisecond of every turn.
  const client = lazy(async () => {
    const { default: OpenAI } = await import("openai");
    return new OpenAI({
      apiKey: settings.apiKey ?? "",
      baseURL: openaiBaseUrl(settings.baseUrl),
      maxRetries: 0,
      logLevel: "off",
      defaultHeaders: settings.headers ?? {},
    });
  });
  async function* stream(
    request: ProviderRequest,
  ): AsyncGenerator<ProviderEvent> {
    try {
      const params = body(
        id,
        request,
      ) as unknown as ChatCompletionCreateParamsStreaming;
      const chunks = await (await client()).chat.completions.create(params, {
        signal: request.signal,
      });
      yield* chatEvents(id, chunks, request);
    } catch (error) {
      throw toProviderError(id, error, {
        signal: request.signal,
        model: request.model,
      });
    }
  }
  async function listModels(signal: AbortSignal): Promise<ModelInfo[]> {
    try {
      const models: ModelInfo[] = [];
      for await (const model of (await client()).models.list({ signal })) {
        models.push({ id: `${id}:${model.id}`, provider: id });
      }
      return models;
    } catch (error) {
      throw toProviderError(id, error, { signal });
    }
  }
  return { id, stream, listModels };
}
