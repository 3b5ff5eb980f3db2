/**
 * The small HTTP client the CLI uses to talk to a gateway.
 *
 * @module
 */

/** Response bodies larger than this are refused (a gateway never sends more to the CLI). */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** A request that failed: `status` is set when the server answered. */
export class HttpClientError extends Error {
  readonly status: number | undefined;
  constructor(
    message: string,
    options: { status?: number; cause?: unknown } = {},
  ) {
    super(
      message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "HttpClientError";
    this.status = options.status;
  }
}

/** Options of {@linkcode fetchJson}. */
export interface FetchJsonOptions {
  timeoutMs: number;
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * Sends a request and parses the JSON answer; non-2xx, oversize and non-JSON
 * answers throw {@linkcode HttpClientError}. Error messages never contain the URL's query.
 *
 * @example
 * ```ts
 * const health = await fetchJson("http://127.0.0.1:18789/health", { timeoutMs: 5000 });
 * ```
 */
export async function fetchJson(
  url: string,
  options: FetchJsonOptions,
): Promise<unknown> {
  const init: RequestInit = {
    method: options.method ?? "GET",
    headers: { accept: "application/json", ...options.headers },
    signal: AbortSignal.timeout(options.timeoutMs),
  };
  if (options.body !== undefined) {
    init.body = JSON.stringify(options.body);
    (init.headers as Record<string, string>)["content-type"] =
      "application/json";
  }
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    const reason =
      error instanceof DOMException && error.name === "TimeoutError"
        ? `no answer within ${options.timeoutMs} ms`
        : error instanceof Error
        ? error.message.replace(/\s*\(os error \d+\)/, "")
        : String(error);
    throw new HttpClientError(reason, { cause: error });
  }
  const text = await readCapped(response);
  if (!response.ok) {
    throw new HttpClientError(errorMessageOf(text) || response.statusText, {
      status: response.status,
    });
  }
  if (text.trim() === "") return { ok: true };
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpClientError("the gateway answered with invalid JSON", {
      status: response.status,
      cause: error,
    });
  }
}

async function readCapped(response: Response): Promise<string> {
  if (!response.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await response.body.cancel().catch(() => {});
      throw new HttpClientError(
        `the answer is larger than ${MAX_RESPONSE_BYTES} bytes`,
        { status: response.status },
      );
    }
    chunks.push(chunk);
  }
  return new TextDecoder().decode(concat(chunks, size));
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function errorMessageOf(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    if (typeof body.error === "string") return body.error;
    if (typeof body.message === "string") return body.message;
  } catch {
    // not JSON: use the raw text
  }
  return text.slice(0, 500);
}
