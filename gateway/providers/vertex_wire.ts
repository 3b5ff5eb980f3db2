/**
 * The Vertex wire pieces the provider needs besides the shared Anthropic and
 * Gemini mappings: the REST Gemini body, JSON over SSE, and error answers
 * (size-capped) turned into {@linkcode ProviderError}s.
 *
 * @module
 */
import { geminiContents } from "./gemini.ts";
import { httpProviderError } from "./errors.ts";
import { ProviderError, type ProviderRequest } from "./types.ts";
import { sseEvents } from "./vertex_sse.ts";

/** The REST `generateContent` body of a request. */
export function geminiBody(request: ProviderRequest): Record<string, unknown> {
  const generationConfig: Record<string, unknown> = {
    maxOutputTokens: request.maxTokens,
  };
  if (request.temperature !== undefined) {
    generationConfig.temperature = request.temperature;
  }
  const body: Record<string, unknown> = {
    contents: geminiContents(request),
    generationConfig,
  };
  if (request.system !== undefined) {
    body.systemInstruction = { parts: [{ text: request.system }] };
  }
  if (request.tools?.length) {
    body.tools = [{
      functionDeclarations: request.tools.map((t) => ({
        name: t.name,
        description: t.description,
        parametersJsonSchema: t.inputSchema,
      })),
    }];
  }
  return body;
}

/** Google's `RetryInfo.retryDelay` ("2s") from an error body, in ms. */
function retryDelayMs(body: unknown): number | undefined {
  const delay = /"retryDelay":\s*"(\d+(?:\.\d+)?)s"/.exec(JSON.stringify(body))
    ?.[1];
  return delay === undefined ? undefined : Math.round(Number(delay) * 1000);
}

/** Parsed `data:` JSON of an SSE body; an `event: error` frame goes to `onError`. */
export async function* jsonEvents<T>(
  body: ReadableStream<Uint8Array>,
  onError: (data: T) => never,
): AsyncGenerator<T> {
  for await (const { event, data } of sseEvents(body)) {
    const parsed = JSON.parse(data) as T;
    if (event === "error") onError(parsed);
    yield parsed;
  }
}

const MAX_ERROR_BODY = 65_536;

async function errorBody(response: Response): Promise<unknown> {
  const reader = response.body?.getReader();
  let text = "";
  const decoder = new TextDecoder();
  while (reader && text.length < MAX_ERROR_BODY) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader?.cancel().catch(() => {});
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, MAX_ERROR_BODY);
  }
}

/** The error for a non-2xx answer; `RetryInfo.retryDelay` becomes the retry hint. */
export async function refusal(
  response: Response,
  request: ProviderRequest,
): Promise<ProviderError> {
  const body = await errorBody(response);
  const error = httpProviderError("vertex", {
    status: response.status,
    headers: response.headers,
    body,
  }, { model: request.model });
  const delay = retryDelayMs(body);
  if (error.retryAfterMs !== undefined || delay === undefined) return error;
  return new ProviderError("vertex", error.failure, error.message, {
    status: response.status,
    retryAfterMs: delay,
  });
}
