/**
 * `POST /v1/chat/completions` (protocol.md §10): an OpenAI Chat Completions
 * answer, streamed as SSE `data: {chunk}` … `data: [DONE]` or as one JSON.
 *
 * @module
 */
import { toCompatError } from "./compat_error.ts";
import {
  collectCompletion,
  finishReason,
  primeEvents,
  sseResponse,
  streamCompletion,
} from "./completion.ts";
import { fromChatMessages } from "./messages.ts";
import type { ModelTarget } from "./model_target.ts";
import { samplingOf } from "./sampling.ts";

/**
 * Answers one parsed Chat Completions request with `target`.
 *
 * @throws {CompatError} for a malformed body (before any byte is sent)
 */
export async function answerChatCompletion(
  body: Record<string, unknown>,
  target: ModelTarget,
  signal: AbortSignal,
): Promise<Response> {
  const conversation = fromChatMessages(body.messages);
  const sampling = samplingOf(body, ["max_completion_tokens", "max_tokens"]);
  const id = `chatcmpl-${crypto.randomUUID().replaceAll("-", "")}`;
  const created = Math.floor(Date.now() / 1000);
  const model = String(body.model);
  const events = await primeEvents(
    streamCompletion(target, conversation, { ...sampling, signal }),
  );
  const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
    id,
    object: "chat.completion.chunk",
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  if (body.stream === true) {
    return sseResponse(async (sse) => {
      await sse.send(chunk({ role: "assistant", content: "" }, null));
      try {
        const result = await collectCompletion(
          events,
          (text) => sse.send(chunk({ content: text }, null)),
        );
        await sse.send(chunk({}, finishReason(result.stop)));
      } catch (error) {
        await sse.send(toCompatError(error).toBody());
      }
      await sse.done();
    });
  }
  const result = await collectCompletion(events);
  return Response.json({
    id,
    object: "chat.completion",
    created,
    model,
    choices: [{
      index: 0,
      message: { role: "assistant", content: result.text },
      finish_reason: finishReason(result.stop),
    }],
    usage: {
      prompt_tokens: result.inputTokens,
      completion_tokens: result.outputTokens,
      total_tokens: result.inputTokens + result.outputTokens,
    },
  });
}
