/**
 * A scripted loopback LLM server: each request takes the next {@linkcode FakeTurn}
 * from a queue and a wire encoder (Anthropic SSE, OpenAI SSE, Gemini SSE,
 * Ollama NDJSON, …) turns it into the vendor's real bytes. It records the
 * requests it saw and notices when a client closes a stream early.
 *
 * @module
 */

/** A tool call the fake model makes. */
export interface FakeToolCall {
  id: string;
  name: string;
  input: Record<string, unknown>;
}

/** What the fake answers to one request. */
export type FakeTurn =
  | {
    kind: "stream";
    text?: string[];
    toolCalls?: FakeToolCall[];
    usage?: { input: number; output: number };
  }
  /** An HTTP error answer (`errorType` is the vendor's error type name when it has one). */
  | {
    kind: "http_error";
    status: number;
    message: string;
    headers?: Record<string, string>;
  }
  /** Streams `text`, then an in-stream error frame (e.g. Anthropic `event: error` overloaded). */
  | { kind: "stream_error"; text: string[]; errorType: string; message: string }
  /** Streams `text`, then drops the connection. */
  | { kind: "disconnect"; text: string[] }
  /** Streams `text`, then waits until the client goes away. */
  | { kind: "hang"; text: string[] }
  /** Streams `text`, then a chunk that is not valid for the wire format. */
  | { kind: "malformed"; text: string[] };

/** A request the fake received. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: Headers;
  body: unknown;
}

/** Turns a turn into a response in one wire format. */
export interface WireEncoder {
  /** Stream frames for text deltas, tool calls and the end of a successful answer. */
  frames(
    turn: Extract<FakeTurn, { kind: "stream" }>,
    request: SeenRequest,
  ): Uint8Array[];
  /** The opening frames (e.g. `message_start`) and frames for `text` only. */
  partial(text: string[], request: SeenRequest): Uint8Array[];
  /** A frame the client cannot parse. */
  malformed(): Uint8Array;
  /** An in-stream error frame (when the format has one). */
  streamError?(errorType: string, message: string): Uint8Array;
  /** The body of an HTTP error answer. */
  errorBody(status: number, message: string): unknown;
  /** The response content type of a stream. */
  contentType: string;
}

/** A running fake; `await using` stops it. */
export interface LlmPeer extends AsyncDisposable {
  readonly origin: string;
  /** Queues answers for the next requests, in order. */
  script(...turns: FakeTurn[]): void;
  readonly requests: SeenRequest[];
  /** Resolves when a client closed a stream before its end. */
  clientClosed(): Promise<void>;
}

/** Starts a fake on 127.0.0.1, port 0, speaking `encoder`'s wire format. */
export function startLlmPeer(encoder: WireEncoder): LlmPeer {
  const queue: FakeTurn[] = [];
  const requests: SeenRequest[] = [];
  const closed = Promise.withResolvers<void>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req) => {
      const text = await req.text();
      const seen: SeenRequest = {
        method: req.method,
        path: new URL(req.url).pathname + new URL(req.url).search,
        headers: new Headers(req.headers),
        body: text === "" ? undefined : JSON.parse(text),
      };
      requests.push(seen);
      const turn = queue.shift();
      if (turn === undefined) {
        return new Response("no scripted turn", {
          status: 500,
        });
      }
      if (turn.kind === "http_error") {
        return Response.json(encoder.errorBody(turn.status, turn.message), {
          status: turn.status,
          headers: turn.headers ?? {},
        });
      }
      const frames = turn.kind === "stream"
        ? encoder.frames(turn, seen)
        : encoder.partial(turn.text, seen);
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          for (const frame of frames) controller.enqueue(frame);
          if (turn.kind === "malformed") {
            controller.enqueue(encoder.malformed());
          }
          if (turn.kind === "stream_error") {
            controller.enqueue(
              encoder.streamError!(turn.errorType, turn.message),
            );
          }
          if (turn.kind === "disconnect") {
            await new Promise((r) => setTimeout(r, 5));
            controller.error(new Error("fake disconnect"));
            return;
          }
          if (turn.kind !== "hang") controller.close();
        },
        cancel() {
          closed.resolve();
        },
      });
      return new Response(body, {
        headers: { "content-type": encoder.contentType },
      });
    },
  );
  return {
    origin: `http://127.0.0.1:${server.addr.port}`,
    script: (...turns) => queue.push(...turns),
    requests,
    clientClosed: () => closed.promise,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

/** UTF-8 bytes of `text`. */
export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
