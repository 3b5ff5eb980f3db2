import { withRetries, withTimeout } from "../../../gateway/providers/retry.ts";
import {
  type Provider,
  ProviderError,
  type ProviderEvent,
  type ProviderFailure,
  type ProviderRequest,
} from "../../../gateway/providers/types.ts";
import { assertEquals } from "../../_helpers.ts";
import { collect } from "./_conformance.ts";

/** A provider that fails with `failures` in turn, then streams "ok". */
function flaky(
  failures:
    (ProviderFailure | { failure: ProviderFailure; retryAfterMs: number })[],
): Provider & {
  calls: number;
} {
  const provider = {
    id: "openai" as const,
    calls: 0,
    async *stream(_request: ProviderRequest): AsyncGenerator<ProviderEvent> {
      const next = failures[provider.calls++];
      if (next !== undefined) {
        if (typeof next === "string") {
          throw new ProviderError(
            "openai",
            next,
            `Cannot call openai: ${next}`,
          );
        }
        throw new ProviderError("openai", next.failure, "Cannot call openai", {
          retryAfterMs: next.retryAfterMs,
        });
      }
      yield { type: "text", delta: "ok" };
      yield { type: "stop", reason: "end_turn" };
    },
  };
  return provider;
}

function req(signal = new AbortController().signal): ProviderRequest {
  return { model: "m", messages: [], maxTokens: 1, signal };
}

Deno.test("withRetries() backs off exponentially with jitter, capped, for retryable failures", async () => {
  const inner = flaky(["overloaded", "server", "network"]);
  const waits: number[] = [];
  const provider = withRetries(inner, {
    maxAttempts: 4,
    baseDelayMs: 100,
    maxDelayMs: 300,
    random: () => 0.5,
    sleep: (ms) => Promise.resolve(void waits.push(ms)),
  });
  const { events, error } = await collect(provider.stream(req()));
  assertEquals([error, events.length, inner.calls], [undefined, 2, 4]);
  assertEquals(waits, [75, 150, 225]);
});

Deno.test("withRetries() does not retry auth, not_found or bad_request", async () => {
  for (
    const failure of ["auth", "not_found", "bad_request", "protocol"] as const
  ) {
    const inner = flaky([failure]);
    const { error } = await collect(
      withRetries(inner, { sleep: () => Promise.resolve() }).stream(req()),
    );
    assertEquals([error?.failure, inner.calls], [failure, 1]);
  }
});

Deno.test("withRetries() gives up when retry-after exceeds the cap or attempts run out", async () => {
  const late = flaky([{ failure: "rate_limited", retryAfterMs: 60_000 }]);
  const first = await collect(
    withRetries(late, { maxDelayMs: 1000, sleep: () => Promise.resolve() })
      .stream(req()),
  );
  assertEquals([first.error?.failure, late.calls], ["rate_limited", 1]);
  const busy = flaky(["overloaded", "overloaded", "overloaded"]);
  const second = await collect(
    withRetries(busy, { maxAttempts: 2, sleep: () => Promise.resolve() })
      .stream(req()),
  );
  assertEquals([second.error?.failure, busy.calls], ["overloaded", 2]);
});

Deno.test("withRetries() stops waiting when the request is aborted", async () => {
  const controller = new AbortController();
  const inner = flaky(["overloaded"]);
  const provider = withRetries(inner, {
    baseDelayMs: 60_000,
    maxDelayMs: 120_000,
  });
  setTimeout(() => controller.abort(), 10);
  const { error } = await collect(provider.stream(req(controller.signal)));
  assertEquals([error?.failure, inner.calls], ["aborted", 1]);
});

Deno.test("withTimeout() fails with timeout and aborts the inner stream when the deadline passes", async () => {
  let innerSignal: AbortSignal | undefined;
  const slow: Provider = {
    id: "ollama",
    async *stream(request) {
      innerSignal = request.signal;
      yield { type: "text", delta: "a" };
      await new Promise((resolve) =>
        request.signal.addEventListener("abort", resolve, { once: true })
      );
      throw new ProviderError("ollama", "aborted", "aborted");
    },
  };
  const { events, error } = await collect(
    withTimeout(slow, { timeoutMs: 20 }).stream(req()),
  );
  assertEquals([events.length, error?.failure, innerSignal?.aborted], [
    1,
    "timeout",
    true,
  ]);
});
