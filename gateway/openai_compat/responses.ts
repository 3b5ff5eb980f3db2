/**
 * `POST /v1/responses` (protocol.md §10): an OpenAI Responses answer for a
 * string or item-array `input`, as one JSON or as the SSE event sequence
 * `response.created` → `response.output_text.delta`… → `response.completed`.
 *
 * @module
 */
import { toCompatError } from "./compat_error.ts";
import {
  collectCompletion,
  type CompletionResult,
  primeEvents,
  sseResponse,
  streamCompletion,
} from "./completion.ts";
import { fromResponsesInput } from "./messages.ts";
import type { ModelTarget } from "./model_target.ts";
import { samplingOf } from "./sampling.ts";

function hexId(prefix: string): string {
  return `${prefix}_${crypto.randomUUID().replaceAll("-", "")}`;
}

/**
 * Answers one parsed Responses request with `target`.
 *
 * @throws {CompatError} for a malformed body (before any byte is sent)
 */
export async function answerResponse(
  body: Record<string, unknown>,
  target: ModelTarget,
  signal: AbortSignal,
): Promise<Response> {
  const conversation = fromResponsesInput(body.input, body.instructions);
  const sampling = samplingOf(body, ["max_output_tokens"]);
  const id = hexId("resp");
  const itemId = hexId("msg");
  const createdAt = Math.floor(Date.now() / 1000);
  const model = String(body.model);
  const events = await primeEvents(
    streamCompletion(target, conversation, { ...sampling, signal }),
  );
  const response = (
    status: "in_progress" | "completed" | "incomplete" | "failed",
    result?: CompletionResult,
  ) => ({
    id,
    object: "response",
    created_at: createdAt,
    status,
    model,
    output: result === undefined ? [] : [{
      type: "message",
      id: itemId,
      status: status === "completed" ? "completed" : "incomplete",
      role: "assistant",
      content: [{ type: "output_text", text: result.text, annotations: [] }],
    }],
    ...(result === undefined ? {} : {
      usage: {
        input_tokens: result.inputTokens,
        output_tokens: result.outputTokens,
        total_tokens: result.inputTokens + result.outputTokens,
      },
    }),
    ...(status === "incomplete"
      ? { incomplete_details: { reason: "max_output_tokens" } }
      : {}),
  });
  const statusOf = (r: CompletionResult) =>
    r.stop === "max_tokens" ? "incomplete" as const : "completed" as const;
  if (body.stream === true) {
    return sseResponse(async (sse) => {
      let sequence = 0;
      const send = (type: string, data: Record<string, unknown>) =>
        sse.send({ type, sequence_number: sequence++, ...data }, type);
      await send("response.created", { response: response("in_progress") });
      try {
        const result = await collectCompletion(
          events,
          (delta) =>
            send("response.output_text.delta", {
              item_id: itemId,
              output_index: 0,
              content_index: 0,
              delta,
            }),
        );
        await send("response.output_text.done", {
          item_id: itemId,
          output_index: 0,
          content_index: 0,
          text: result.text,
        });
        const final = statusOf(result);
        await send(`response.${final}`, { response: response(final, result) });
      } catch (error) {
        const { error: shape } = toCompatError(error).toBody();
        await send("error", { ...shape });
      }
    });
  }
  const result = await collectCompletion(events);
  return Response.json(response(statusOf(result), result));
}
