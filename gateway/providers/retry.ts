/**
 * Wrappers around a provider's `stream`: retries with capped, jittered
 * exponential back-off, and a per-request deadline.
 *
 * A retry happens only when nothing was yielded yet, so a half-streamed
 * answer is never replayed to the caller.
 *
 * @module
 */
import {
  type Provider,
  ProviderError,
  type ProviderEvent,
  type ProviderRequest,
} from "./types.ts";

/** Options of {@linkcode withRetries}. */
export interface RetryOptions {
  /** Attempts in total, including the first. Default 3. */
  maxAttempts?: number;
  /** Back-off before the second attempt. Default 500 ms. */
  baseDelayMs?: number;
  /** Longest wait; a `retry-after` beyond it ends the retries. Default 30 000 ms. */
  maxDelayMs?: number;
  /** Waits `ms` or rejects when `signal` aborts. Default: a timer. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for jitter. Default `Math.random`. */
  random?: () => number;
}

/** Waits `ms`, rejecting with the signal's reason when it aborts first. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Retries retryable failures that happen before the first event.
 *
 * @example
 * ```ts
 * const provider = withRetries(anthropic, { maxAttempts: 4 });
 * ```
 */
export function withRetries(
  provider: Provider,
  options: RetryOptions = {},
): Provider {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 30_000;
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  async function* stream(
    request: ProviderRequest,
  ): AsyncGenerator<ProviderEvent> {
    for (let attempt = 1;; attempt++) {
      let yielded = false;
      try {
        for await (const event of provider.stream(request)) {
          yielded = true;
          yield event;
        }
        return;
      } catch (error) {
        if (
          yielded || attempt >= maxAttempts || request.signal.aborted ||
          !(error instanceof ProviderError) || !error.retryable
        ) throw error;
        const backoff = Math.min(cap, base * 2 ** (attempt - 1));
        const delay = error.retryAfterMs ??
          backoff / 2 + random() * backoff / 2;
        if (delay > cap) throw error;
        try {
          await sleep(delay, request.signal);
        } catch {
          throw new ProviderError(
            provider.id,
            "aborted",
            `Cannot finish the ${provider.id} call: it was aborted`,
            {
              cause: error,
            },
          );
        }
      }
    }
  }
  return wrap(provider, stream);
}

/**
 * Fails a request with a `timeout` {@linkcode ProviderError} when it has not
 * finished within `timeoutMs`; the HTTP stream is aborted.
 */
export function withTimeout(
  provider: Provider,
  options: { timeoutMs: number },
): Provider {
  async function* stream(
    request: ProviderRequest,
  ): AsyncGenerator<ProviderEvent> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
    const signal = AbortSignal.any([request.signal, deadline.signal]);
    try {
      yield* provider.stream({ ...request, signal });
    } catch (error) {
      if (deadline.signal.aborted && !request.signal.aborted) {
        throw new ProviderError(
          provider.id,
          "timeout",
          `Cannot finish the ${provider.id} call: no answer within ${options.timeoutMs} ms; retry or raise the timeout`,
          { cause: error },
        );
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
  return wrap(provider, stream);
}

function wrap(
  provider: Provider,
  stream: (request: ProviderRequest) => AsyncIterable<ProviderEvent>,
): Provider {
  const wrapped: Provider = { id: provider.id, stream };
  const list = provider.listModels?.bind(provider);
  if (list) wrapped.listModels = list;
  return wrapped;
}
