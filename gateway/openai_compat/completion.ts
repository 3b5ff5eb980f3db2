/**
 * One stateless completion through a provider: the request carries the whole
 * conversation, so no session or agent run is involved (the HTTP surfaces
 * call the provider registry directly; WS `chat.send` and hooks go through
 * AgentRuns instead). Also the SSE framing shared by both endpoints.
 *
 * @module
 */
import type { ProviderEvent, StopReason } from "../providers/types.ts";
import type { Conversation } from "./messages.ts";
import type { ModelTarget } from "./model_target.ts";

/** Sampling options taken from the request. */
export interface CompletionOptions {
  maxTokens?: number;
  temperature?: number;
  signal: AbortSignal;
}

/** Streams the provider's events for `conversation`. */
export function streamCompletion(
  target: ModelTarget,
  conversation: Conversation,
  options: CompletionOptions,
): AsyncIterable<ProviderEvent> {
  const system = [target.system, conversation.system].filter((s) =>
    s !== undefined && s !== ""
  ).join("\n\n");
  const temperature = options.temperature ?? target.temperature;
  return target.provider.stream({
    model: target.model,
    messages: conversation.messages,
    maxTokens: options.maxTokens ?? target.maxTokens,
    signal: options.signal,
    ...(system === "" ? {} : { system }),
    ...(temperature === undefined ? {} : { temperature }),
  });
}

/** What a finished completion produced. */
export interface CompletionResult {
  text: string;
  stop: StopReason;
  inputTokens: number;
  outputTokens: number;
}

/** Runs a completion to the end, forwarding text deltas to `onText`. */
export async function collectCompletion(
  events: AsyncIterable<ProviderEvent>,
  onText?: (delta: string) => Promise<void> | void,
): Promise<CompletionResult> {
  const result: CompletionResult = {
    text: "",
    stop: "end_turn",
    inputTokens: 0,
    outputTokens: 0,
  };
  for await (const event of events) {
    if (event.type === "text") {
      result.text += event.delta;
      await onText?.(event.delta);
    } else if (event.type === "usage") {
      result.inputTokens += event.inputTokens;
      result.outputTokens += event.outputTokens;
    } else if (event.type === "stop") result.stop = event.reason;
  }
  return result;
}

/** OpenAI's `finish_reason` for a provider stop reason. */
export function finishReason(stop: StopReason): string {
  if (stop === "max_tokens") return "length";
  if (stop === "tool_use") return "tool_calls";
  if (stop === "refusal") return "content_filter";
  return "stop";
}

/** Writes SSE frames (`event:` optional, `data: <json>`). */
export interface SseWriter {
  send(data: unknown, event?: string): Promise<void>;
  done(): Promise<void>;
}

/**
 * A `text/event-stream` response fed by `produce`; the stream closes when it
 * returns or throws (after it has written its own error frame).
 */
export function sseResponse(
  produce: (writer: SseWriter) => Promise<void>,
): Response {
  const encoder = new TextEncoder();
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const out = writable.getWriter();
  const writer: SseWriter = {
    send: (data, event) =>
      out.write(encoder.encode(
        `${event === undefined ? "" : `event: ${event}\n`}data: ${
          JSON.stringify(data)
        }\n\n`,
      )),
    done: () => out.write(encoder.encode("data: [DONE]\n\n")),
  };
  produce(writer).catch(() => {}).finally(() => out.close().catch(() => {}));
  return new Response(readable, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
    },
  });
}

/**
 * Starts `events` and waits for its first event, so a refused call (bad key,
 * unknown model) becomes an HTTP error before a 200 stream is committed.
 */
export async function primeEvents(
  events: AsyncIterable<ProviderEvent>,
): Promise<AsyncIterable<ProviderEvent>> {
  const iterator = events[Symbol.asyncIterator]();
  const first = await iterator.next();
  return {
    async *[Symbol.asyncIterator]() {
      if (first.done) return;
      yield first.value;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    },
  };
}
