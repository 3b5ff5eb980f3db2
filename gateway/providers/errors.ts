/**
 * Turns what a vendor SDK or a raw `fetch` threw into a
 * {@linkcode ProviderError}: HTTP status → failure kind, `retry-after` →
 * milliseconds, aborts, timeouts, dropped connections and malformed streams.
 *
 * @module
 */
import {
  ProviderError,
  type ProviderFailure,
  type ProviderId,
} from "./types.ts";

const STATUS_FAILURES: Record<number, ProviderFailure> = {
  400: "bad_request",
  401: "auth",
  403: "auth",
  404: "not_found",
  408: "timeout",
  413: "bad_request",
  422: "bad_request",
  429: "rate_limited",
  503: "overloaded",
  529: "overloaded",
};

/** The failure kind of an HTTP status. */
export function failureOfStatus(status: number): ProviderFailure {
  return STATUS_FAILURES[status] ?? (status >= 500 ? "server" : "bad_request");
}

type HeaderSource =
  | Headers
  | Record<string, string | null | undefined>
  | undefined;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers === undefined) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const hit = Object.entries(headers).find(([k]) => k.toLowerCase() === name);
  return hit?.[1] ?? undefined;
}

/** `retry-after-ms` or `retry-after` (seconds or an HTTP date) in milliseconds. */
export function retryAfterMs(
  headers: HeaderSource,
  now = Date.now(),
): number | undefined {
  const ms = Number(header(headers, "retry-after-ms"));
  if (
    Number.isFinite(ms) && ms >= 0 &&
    header(headers, "retry-after-ms") !== undefined
  ) return ms;
  const value = header(headers, "retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The vendor's own message from an error body, trimmed to one short line. */
export function vendorMessage(body: unknown, fallback: string): string {
  let text: unknown = body;
  for (const key of ["error", "message"]) {
    if (typeof text === "object" && text !== null && key in text) {
      const next = (text as Record<string, unknown>)[key];
      if (typeof next === "string") return oneLine(next);
      text = next;
    }
  }
  return typeof text === "string" && text !== "" ? oneLine(text) : fallback;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** An error for an HTTP error response (status + headers + parsed body). */
export function httpProviderError(
  provider: ProviderId,
  response: { status: number; headers?: HeaderSource; body?: unknown },
  options: { model?: string; cause?: unknown } = {},
): ProviderError {
  const failure = failureOfStatus(response.status);
  const detail = vendorMessage(response.body, `HTTP ${response.status}`);
  const hint = HINTS[failure] ?? "";
  const subject = options.model
    ? `model "${options.model}" at ${provider}`
    : provider;
  const extra: { status: number; retryAfterMs?: number; cause?: unknown } = {
    status: response.status,
  };
  const after = retryAfterMs(response.headers);
  if (after !== undefined) extra.retryAfterMs = after;
  if (options.cause !== undefined) extra.cause = options.cause;
  return new ProviderError(
    provider,
    failure,
    `Cannot call ${subject}: ${detail}${hint}`,
    extra,
  );
}

const HINTS: Partial<Record<ProviderFailure, string>> = {
  auth: "; check the API key",
  not_found: "; check the model name",
  rate_limited: "; retry later",
  overloaded: "; the provider is overloaded, retry later",
};

/**
 * Maps anything a provider call threw to a {@linkcode ProviderError}.
 * `signal` tells a caller's abort apart from a dropped connection.
 */
export function toProviderError(
  provider: ProviderId,
  error: unknown,
  options: { signal?: AbortSignal; model?: string } = {},
): ProviderError {
  if (error instanceof ProviderError) return error;
  if (options.signal?.aborted) {
    return new ProviderError(
      provider,
      "aborted",
      `Cannot finish the ${provider} call: it was aborted`,
      {
        cause: error,
      },
    );
  }
  const e = error as {
    status?: unknown;
    headers?: HeaderSource;
    error?: unknown;
    name?: unknown;
    message?: unknown;
  };
  const base = options.model === undefined ? {} : { model: options.model };
  if (typeof e?.status === "number" && e.status >= 400) {
    return httpProviderError(provider, {
      status: e.status,
      headers: e.headers,
      body: e.error ?? e.message,
    }, {
      ...base,
      cause: error,
    });
  }
  const name = typeof e?.name === "string" ? e.name : "";
  const message = typeof e?.message === "string"
    ? oneLine(e.message)
    : String(error);
  const failure: ProviderFailure = /Timeout/i.test(name)
    ? "timeout"
    : error instanceof SyntaxError ||
        /parse|JSON|malformed|unexpected (event|token)/i.test(message)
    ? "protocol"
    : "network";
  const what = failure === "protocol"
    ? "sent a malformed stream"
    : failure === "timeout"
    ? "timed out"
    : "is unreachable or dropped the connection";
  return new ProviderError(
    provider,
    failure,
    `Cannot call ${provider}: the provider ${what} (${message})`,
    {
      cause: error,
    },
  );
}

/** The error for a stream that ended before its final event. */
export function streamEndedEarly(
  provider: ProviderId,
  signal: AbortSignal,
): ProviderError {
  return signal.aborted
    ? new ProviderError(
      provider,
      "aborted",
      `Cannot finish the ${provider} call: it was aborted`,
    )
    : new ProviderError(
      provider,
      "network",
      `Cannot finish the ${provider} answer: the connection closed before the end of the stream; retry`,
    );
}
