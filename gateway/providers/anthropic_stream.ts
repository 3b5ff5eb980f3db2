/**
 * The Anthropic Messages API on the wire, shared by `anthropic:`,
 * `bedrock:` and Vertex's Anthropic publisher: the request body built from a
 * {@linkcode ProviderRequest}, and the stream events (`message_start`,
 * `content_block_*`, `message_delta`, `message_stop`) turned into
 * {@linkcode ProviderEvent}s.
 *
 * @module
 */
import { streamEndedEarly, toProviderError } from "./errors.ts";
import {
  type ContentBlock,
  ProviderError,
  type ProviderEvent,
  type ProviderFailure,
  type ProviderId,
  type ProviderRequest,
  type StopReason,
} from "./types.ts";

/** One raw Messages stream event (wire names verbatim). */
export interface AnthropicStreamEvent {
  type: string;
  index?: number;
  message?: {
    usage?: { input_tokens?: number | null; output_tokens?: number | null };
  };
  content_block?: { type: string; id?: string; name?: string; text?: string };
  delta?: {
    type?: string;
    text?: string;
    partial_json?: string;
    stop_reason?: string | null;
  };
  usage?: { input_tokens?: number | null; output_tokens?: number | null };
}

function wireBlock(block: ContentBlock): Record<string, unknown> {
  switch (block.type) {
    case "text":
      return { type: "text", text: block.text };
    case "tool_use":
      return {
        type: "tool_use",
        id: block.id,
        name: block.name,
        input: block.input ?? {},
      };
    case "tool_result":
      return {
        type: "tool_result",
        tool_use_id: block.toolUseId,
        content: block.content,
        ...(block.isError ? { is_error: true } : {}),
      };
  }
}

/** The Messages API body (without `stream`) of a request. */
export function anthropicBody(
  request: ProviderRequest,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: request.model,
    max_tokens: request.maxTokens,
    messages: request.messages.map((m) => ({
      role: m.role,
      content: m.content.map(wireBlock),
    })),
  };
  if (request.system !== undefined) body.system = request.system;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.tools?.length) {
    body.tools = request.tools.map((t) => ({
      name: t.name,
      description: t.description,
      input_schema: t.inputSchema,
    }));
  }
  return body;
}

const STOP_REASONS: Record<string, StopReason> = {
  end_turn: "end_turn",
  tool_use: "tool_use",
  max_tokens: "max_tokens",
  stop_sequence: "stop_sequence",
  refusal: "refusal",
};

const ERROR_TYPES: Record<string, ProviderFailure> = {
  overloaded_error: "overloaded",
  rate_limit_error: "rate_limited",
  api_error: "server",
  authentication_error: "auth",
  permission_error: "auth",
  not_found_error: "not_found",
  invalid_request_error: "bad_request",
};

/** Maps an SDK error, including `event: error` frames, to a {@linkcode ProviderError}. */
export function anthropicError(
  provider: ProviderId,
  error: unknown,
  request: ProviderRequest,
): ProviderError {
  const e = error as { status?: unknown; type?: unknown; apiMessage?: unknown };
  const failure = typeof e?.type === "string" ? ERROR_TYPES[e.type] : undefined;
  if (
    e?.status === undefined && failure !== undefined && !request.signal.aborted
  ) {
    const detail = typeof e.apiMessage === "string"
      ? e.apiMessage
      : String(e.type);
    return new ProviderError(
      provider,
      failure,
      `Cannot finish the ${provider} answer: the stream reported ${detail}`,
      {
        cause: error,
      },
    );
  }
  return toProviderError(provider, error, {
    signal: request.signal,
    model: request.model,
  });
}

/**
 * Turns raw Messages stream events into provider events; tool input JSON is
 * assembled from `input_json_delta` fragments per content block index.
 */
export async function* anthropicEvents(
  provider: ProviderId,
  events: AsyncIterable<AnthropicStreamEvent>,
  request: ProviderRequest,
): AsyncGenerator<ProviderEvent> {
  const tools = new Map<number, { id: string; name: string; json: string }>();
  let input = 0;
  let output = 0;
  let stop: StopReason = "end_turn";
  for await (const event of events) {
    const index = event.index ?? 0;
    if (event.type === "message_start") {
      input = event.message?.usage?.input_tokens ?? 0;
      output = event.message?.usage?.output_tokens ?? 0;
    } else if (event.type === "content_block_start") {
      const block = event.content_block;
      if (block?.type === "tool_use") {
        tools.set(index, {
          id: block.id ?? `tool_${index}`,
          name: block.name ?? "",
          json: "",
        });
      } else if (block?.type === "text" && block.text) {
        yield { type: "text", delta: block.text };
      }
    } else if (event.type === "content_block_delta") {
      if (event.delta?.type === "text_delta" && event.delta.text) {
        yield { type: "text", delta: event.delta.text };
      } else if (event.delta?.type === "input_json_delta") {
        const tool = tools.get(index);
        if (tool) tool.json += event.delta.partial_json ?? "";
      }
    } else if (event.type === "content_block_stop") {
      const tool = tools.get(index);
      if (tool) {
        tools.delete(index);
        yield {
          type: "tool_call",
          id: tool.id,
          name: tool.name,
          input: parseToolInput(provider, tool),
        };
      }
    } else if (event.type === "message_delta") {
      if (event.delta?.stop_reason) {
        stop = STOP_REASONS[event.delta.stop_reason] ?? "end_turn";
      }
      output = event.usage?.output_tokens ?? output;
      input = event.usage?.input_tokens ?? input;
    } else if (event.type === "message_stop") {
      yield { type: "usage", inputTokens: input, outputTokens: output };
      yield { type: "stop", reason: stop };
      return;
    }
  }
  throw streamEndedEarly(provider, request.signal);
}

function parseToolInput(
  provider: ProviderId,
  tool: { name: string; json: string },
): unknown {
  if (tool.json.trim() === "") return {};
  try {
    return JSON.parse(tool.json);
  } catch (cause) {
    throw new ProviderError(
      provider,
      "protocol",
      `Cannot read the input of tool call "${tool.name}" from ${provider}: it is not valid JSON`,
      { cause },
    );
  }
}
