import { CaraError } from "../../../gateway/errors.ts";
import type { UsageRecordInput } from "../../../gateway/state/mod.ts";
import { assert, assertEquals } from "../../_helpers.ts";
import { testDatabase, thrown } from "./_helpers.ts";

const DAY_MS = 86_400_000;
// 2024-03-31T23:00:00Z, one hour before a day and month boundary.
const MARCH_31 = Date.UTC(2024, 2, 31, 23);

function call(overrides: Partial<UsageRecordInput> = {}): UsageRecordInput {
  return {
    timestamp: MARCH_31,
    provider: "anthropic",
    model: "claude-sonnet",
    inputTokens: 100,
    outputTokens: 10,
    costUsd: 0.5,
    ...overrides,
  };
}

Deno.test("UsageStore.daily() sums each UTC day with by-provider and by-model breakdowns", () => {
  using t = testDatabase();
  const { usage } = t.state;
  usage.record(call());
  usage.record(call({ model: "claude-haiku", inputTokens: 50, costUsd: 0.25 }));
  usage.record(call({ provider: "openai", model: "gpt-4o", outputTokens: 20 }));
  usage.record(call({ timestamp: MARCH_31 + 2 * 3_600_000, costUsd: 1 }));
  const days = usage.daily();
  assertEquals(days.map((d) => d.period), ["2024-03-31", "2024-04-01"]);
  const march = days[0];
  assertEquals(march?.inputTokens, 250);
  assertEquals(march?.outputTokens, 40);
  assertEquals(march?.requests, 3);
  assertEquals(march?.costUsd, 1.25);
  assertEquals(march?.byProvider, {
    anthropic: {
      provider: "anthropic",
      inputTokens: 150,
      outputTokens: 20,
      requests: 2,
      costUsd: 0.75,
    },
    openai: {
      provider: "openai",
      inputTokens: 100,
      outputTokens: 20,
      requests: 1,
      costUsd: 0.5,
    },
  });
  assertEquals(Object.keys(march?.byModel ?? {}), [
    "anthropic:claude-haiku",
    "anthropic:claude-sonnet",
    "openai:gpt-4o",
  ]);
  assertEquals(march?.byModel["anthropic:claude-haiku"], {
    provider: "anthropic",
    model: "claude-haiku",
    inputTokens: 50,
    outputTokens: 10,
    requests: 1,
    costUsd: 0.25,
  });
  assertEquals(days[1]?.requests, 1);
});

Deno.test("UsageStore.daily() limits to an inclusive date range and refuses a bad date", () => {
  using t = testDatabase();
  for (let i = 0; i < 5; i++) {
    t.state.usage.record(call({ timestamp: MARCH_31 + i * DAY_MS }));
  }
  assertEquals(
    t.state.usage.daily({ from: "2024-04-01", to: "2024-04-03" }).map((d) =>
      d.period
    ),
    ["2024-04-01", "2024-04-02", "2024-04-03"],
  );
  thrown(() => t.state.usage.daily({ from: "April 1" }), CaraError);
});

Deno.test("UsageStore.monthly() sums by UTC month", () => {
  using t = testDatabase();
  t.state.usage.record(call());
  t.state.usage.record(call({ timestamp: MARCH_31 + DAY_MS }));
  t.state.usage.record(call({ timestamp: MARCH_31 + 2 * DAY_MS }));
  const months = t.state.usage.monthly();
  assertEquals(months.map((m) => [m.period, m.requests]), [
    ["2024-03", 1],
    ["2024-04", 2],
  ]);
});

Deno.test("UsageStore.sessionTotals() sums one session and is zero for none", () => {
  using t = testDatabase();
  t.state.usage.record(call({ sessionId: "s1" }));
  t.state.usage.record(call({ sessionId: "s1", inputTokens: 1, costUsd: 0 }));
  t.state.usage.record(call({ sessionId: "s2" }));
  t.state.usage.record(call());
  assertEquals(t.state.usage.sessionTotals("s1"), {
    inputTokens: 101,
    outputTokens: 20,
    requests: 2,
    costUsd: 0.5,
  });
  assertEquals(t.state.usage.sessionTotals("none"), {
    inputTokens: 0,
    outputTokens: 0,
    requests: 0,
    costUsd: 0,
  });
});

Deno.test("UsageStore.record() defaults the timestamp to the clock", () => {
  using t = testDatabase();
  const input = call();
  delete input.timestamp;
  t.state.usage.record(input);
  assertEquals(t.state.usage.daily().map((d) => d.period), ["2023-11-14"]);
});

Deno.test("UsageStore.record() refuses negative tokens, bad costs and empty names", () => {
  using t = testDatabase();
  const bad: Partial<UsageRecordInput>[] = [
    { inputTokens: -1 },
    { outputTokens: 1.5 },
    { costUsd: -0.01 },
    { costUsd: Number.NaN },
    { provider: "" },
    { model: "m".repeat(257) },
    { timestamp: -5 },
  ];
  for (const overrides of bad) {
    thrown(() => t.state.usage.record(call(overrides)), CaraError);
  }
  assertEquals(t.state.usage.daily(), []);
});

Deno.test("UsageStore.prune() deletes records older than a time", () => {
  using t = testDatabase();
  t.state.usage.record(call({ timestamp: MARCH_31 - DAY_MS }));
  t.state.usage.record(call());
  assertEquals(t.state.usage.prune(MARCH_31), 1);
  const days = t.state.usage.daily();
  assertEquals(days.length, 1);
  assert(days[0]?.period === "2024-03-31");
});
