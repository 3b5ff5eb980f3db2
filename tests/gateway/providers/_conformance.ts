/**
 * The scenarios every HTTP provider must pass against a loopback fake that
 * speaks its vendor's wire format: streaming text, parallel tool calls, tool
 * results (incl. errors) sent back, auth / not-found / 429 / overload
 * failures, retries, mid-stream disconnect, abort and malformed chunks.
 * Known gaps are named skips.
 *
 * @module
 */
import { withRetries } from "../../../gateway/providers/retry.ts";
import {
  type Provider,
  ProviderError,
  type ProviderEvent,
  type ProviderRequest,
} from "../../../gateway/providers/types.ts";
import {
  type LlmPeer,
  startLlmPeer,
  type WireEncoder,
} from "../../fakes/llm_peer.ts";
import { assert, assertEquals } from "../../_helpers.ts";

/** A provider under test. */
export interface ConformanceTarget {
  name: string;
  wire: WireEncoder;
  build(origin: string): Provider;
  /** The HTTP status the vendor uses for "overloaded". */
  overloadStatus: number;
  /** Tool results found in a request body, in the vendor's format. */
  toolResults(
    body: unknown,
  ): { id: string; content: string; isError: boolean }[];
  /** Scenario name → why this provider cannot run it. */
  skips?: Record<string, string>;
  /** Starts the fake instead of `startLlmPeer(wire)` (e.g. one that also checks signatures). */
  startPeer?(wire: WireEncoder): LlmPeer;
}

/** Collects a stream, returning the events and the error it ended with. */
export async function collect(
  stream: AsyncIterable<ProviderEvent>,
): Promise<{ events: ProviderEvent[]; error?: ProviderError }> {
  const events: ProviderEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events };
  } catch (error) {
    if (error instanceof ProviderError) return { events, error };
    throw error;
  }
}

function request(extra: Partial<ProviderRequest> = {}): ProviderRequest {
  return {
    model: "fake-model",
    system: "Be brief.",
    messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
    maxTokens: 64,
    signal: new AbortController().signal,
    ...extra,
  };
}

function textOf(events: ProviderEvent[]): string {
  return events.map((e) => e.type === "text" ? e.delta : "").join("");
}

type Scenario = (
  peer: LlmPeer,
  provider: Provider,
  target: ConformanceTarget,
) => Promise<void>;

const SCENARIOS: Record<string, Scenario> = {
  "streams text deltas, usage and end_turn": async (peer, provider) => {
    peer.script({
      kind: "stream",
      text: ["Hel", "lo"],
      usage: { input: 12, output: 3 },
    });
    const { events, error } = await collect(provider.stream(request()));
    assertEquals(error, undefined);
    assertEquals(textOf(events), "Hello");
    assertEquals(events.slice(-2), [{
      type: "usage",
      inputTokens: 12,
      outputTokens: 3,
    }, {
      type: "stop",
      reason: "end_turn",
    }]);
    const seen = peer.requests[0];
    assert(
      `${seen?.path} ${JSON.stringify(seen?.body)}`.includes("fake-model"),
      "the model id reached the peer",
    );
  },
  "yields parallel tool calls with their parsed input": async (
    peer,
    provider,
  ) => {
    peer.script({
      kind: "stream",
      toolCalls: [
        { id: "call_1", name: "current_time", input: { tz: "UTC" } },
        { id: "call_2", name: "math_eval", input: { expr: "1+2" } },
      ],
    });
    const tools = [{
      name: "current_time",
      description: "t",
      inputSchema: { type: "object" },
    }];
    const { events } = await collect(provider.stream(request({ tools })));
    const calls = events.filter((e) => e.type === "tool_call");
    assertEquals(
      calls.map((c) => c.type === "tool_call" && [c.name, c.input]),
      [
        ["current_time", { tz: "UTC" }],
        ["math_eval", { expr: "1+2" }],
      ],
    );
    assertEquals(events.at(-1), { type: "stop", reason: "tool_use" });
  },
  "sends tool results, errors included, back to the model": async (
    peer,
    provider,
    target,
  ) => {
    peer.script({ kind: "stream", text: ["ok"] });
    await collect(provider.stream(request({
      messages: [
        { role: "user", content: [{ type: "text", text: "time?" }] },
        {
          role: "assistant",
          content: [{
            type: "tool_use",
            id: "call_1",
            name: "current_time",
            input: {},
          }],
        },
        {
          role: "user",
          content: [{
            type: "tool_result",
            toolUseId: "call_1",
            content: "clock broken",
            isError: true,
          }],
        },
      ],
    })));
    const results = target.toolResults(peer.requests[0]?.body);
    assertEquals(results.length, 1);
    assertEquals(results[0]?.id, "call_1");
    assert(results[0]?.content.includes("clock broken"));
    assertEquals(results[0]?.isError, true);
  },
  "fails with auth on a bad key": async (peer, provider) => {
    peer.script({
      kind: "http_error",
      status: 401,
      message: "invalid x-api-key",
    });
    const { error } = await collect(provider.stream(request()));
    assertEquals([error?.failure, error?.status, error?.retryable], [
      "auth",
      401,
      false,
    ]);
    assert(
      error?.message.includes("check the API key"),
      String(error?.message),
    );
  },
  "fails with not_found on an unknown model": async (peer, provider) => {
    peer.script({ kind: "http_error", status: 404, message: "model: nope" });
    const { error } = await collect(provider.stream(request()));
    assertEquals(error?.failure, "not_found");
  },
  "retries a 429 after retry-after, then succeeds": async (peer, provider) => {
    peer.script(
      {
        kind: "http_error",
        status: 429,
        message: "slow down",
        headers: { "retry-after": "2" },
      },
      { kind: "stream", text: ["after wait"] },
    );
    const waits: number[] = [];
    const retrying = withRetries(provider, {
      sleep: (ms) => Promise.resolve(void waits.push(ms)),
    });
    const { events, error } = await collect(retrying.stream(request()));
    assertEquals([error, textOf(events), waits, peer.requests.length], [
      undefined,
      "after wait",
      [2000],
      2,
    ]);
  },
  "fails with overloaded on an overload answer": async (
    peer,
    provider,
    target,
  ) => {
    peer.script({
      kind: "http_error",
      status: target.overloadStatus,
      message: "Overloaded",
    });
    const { error } = await collect(provider.stream(request()));
    assertEquals([error?.failure, error?.retryable], ["overloaded", true]);
  },
  "fails with network on a mid-stream disconnect and is not replayed": async (
    peer,
    provider,
  ) => {
    peer.script({ kind: "disconnect", text: ["partial"] }, {
      kind: "stream",
      text: ["replayed"],
    });
    const retrying = withRetries(provider, { sleep: () => Promise.resolve() });
    const { events, error } = await collect(retrying.stream(request()));
    assertEquals(textOf(events), "partial");
    assertEquals([error?.failure, peer.requests.length], ["network", 1]);
  },
  "cancels the HTTP stream on abort": async (peer, provider) => {
    peer.script({ kind: "hang", text: ["waiting"] });
    const controller = new AbortController();
    const events: ProviderEvent[] = [];
    let failure: string | undefined;
    try {
      for await (
        const event of provider.stream(request({ signal: controller.signal }))
      ) {
        events.push(event);
        controller.abort();
      }
    } catch (error) {
      failure = error instanceof ProviderError ? error.failure : String(error);
    }
    assertEquals([textOf(events), failure], ["waiting", "aborted"]);
    await peer.clientClosed();
  },
  "fails with protocol on a malformed chunk": async (peer, provider) => {
    peer.script({ kind: "malformed", text: ["fine so far"] });
    const { events, error } = await collect(provider.stream(request()));
    assertEquals([textOf(events), error?.failure], ["fine so far", "protocol"]);
  },
};

/** Registers every scenario as a test of `target`. */
export function runConformance(target: ConformanceTarget): void {
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    const skip = target.skips?.[name];
    Deno.test({
      name: `${target.name} stream() ${name}${
        skip ? ` (known gap: ${skip})` : ""
      }`,
      ignore: skip !== undefined,
      async fn() {
        await using peer = (target.startPeer ?? startLlmPeer)(target.wire);
        await scenario(peer, target.build(peer.origin), target);
      },
    });
  }
}
