/**
 * A server-sent events reader for the Vertex streams (`alt=sse` Gemini
 * chunks and Anthropic `streamRawPredict` events): `event:` and `data:`
 * lines up to each blank line, with a size cap per event.
 *
 * @module
 */

/** One SSE event. */
export interface SseEvent {
  event: string | undefined;
  data: string;
}

/** Longest event accepted. */
export const MAX_SSE_EVENT_CHARS = 4 * 1024 * 1024;

/**
 * Yields the events of an SSE body.
 *
 * @throws {SyntaxError} when one event exceeds {@linkcode MAX_SSE_EVENT_CHARS}.
 */
export async function* sseEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<SseEvent> {
  let buffer = "";
  let event: string | undefined;
  let data: string[] = [];
  let size = 0;
  for await (const text of body.pipeThrough(new TextDecoderStream())) {
    buffer += text;
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop() ?? "";
    for (const line of lines) {
      if (line === "") {
        if (data.length > 0) yield { event, data: data.join("\n") };
        event = undefined;
        data = [];
        size = 0;
      } else if (line.startsWith("data:")) {
        data.push(line.slice(5).replace(/^ /, ""));
      } else if (line.startsWith("event:")) {
        event = line.slice(6).trim();
      }
      size += line.length;
    }
    if (size + buffer.length > MAX_SSE_EVENT_CHARS) {
      throw new SyntaxError("an SSE event exceeds 4 MiB");
    }
  }
  if (data.length > 0) yield { event, data: data.join("\n") };
}
