/**
 * The `usage.*` WS methods (protocol.md §7, tasks-and-state.md §7): status,
 * cost, session, providers, daily, monthly (read), enable, disable, reset
 * (write). Every answer says whether pricing is configured.
 *
 * @module
 */
import { asProtocolError, MethodParams } from "../agent/method_params.ts";
import type { CaraConfig } from "../config/schema.ts";
import type { MethodDefinition, MethodScope } from "../protocol/types.ts";
import type { StateDatabase, UsageTotals } from "../state/mod.ts";
import { pricingConfigured } from "./pricing.ts";
import type { UsageTracker } from "./usage_tracker.ts";

/** Collaborators of {@linkcode usageMethods}. */
export interface UsageMethodsDeps {
  state: StateDatabase;
  tracker: UsageTracker;
  config: () => CaraConfig;
}

function withTotal(totals: UsageTotals) {
  return {
    ...totals,
    totalTokens: totals.inputTokens + totals.outputTokens,
    totalCost: totals.costUsd,
  };
}

function dayBefore(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** The usage methods, each with its §6 scope. */
export function usageMethods(deps: UsageMethodsDeps): MethodDefinition[] {
  const { state, tracker } = deps;
  const usage = state.usage;
  const priced = () => pricingConfigured(deps.config().usage.pricing);
  const all = () => {
    const months = usage.monthly();
    const sum = { inputTokens: 0, outputTokens: 0, requests: 0, costUsd: 0 };
    const byProvider: Record<string, UsageTotals & { provider: string }> = {};
    for (const month of months) {
      for (const part of Object.values(month.byProvider)) {
        const into = byProvider[part.provider] ??= {
          provider: part.provider,
          inputTokens: 0,
          outputTokens: 0,
          requests: 0,
          costUsd: 0,
        };
        for (const totals of [sum, into]) {
          totals.inputTokens += part.inputTokens;
          totals.outputTokens += part.outputTokens;
          totals.requests += part.requests;
          totals.costUsd += part.costUsd;
        }
      }
    }
    return { sum, byProvider };
  };
  const method = (
    name: string,
    scope: MethodScope,
    run: (p: MethodParams) => unknown,
  ): MethodDefinition => ({
    name,
    scope,
    handler: ({ params }) =>
      asProtocolError(() => run(new MethodParams(name, params))),
  });
  const range = (p: MethodParams, fallbackDays: number) => {
    const days = p.int("days", { min: 1, max: 3650 });
    return {
      from: p.optionalText("from", 10) ?? dayBefore((days ?? fallbackDays) - 1),
      to: p.optionalText("to", 10) ?? "9999-12-31",
    };
  };
  return [
    method("usage.status", "operator.read", () => {
      const { sum, byProvider } = all();
      const sessions = state.db.prepare(
        "SELECT COUNT(DISTINCT session_id) AS n FROM usage_records WHERE session_id IS NOT NULL",
      ).get() as { n: number };
      return {
        enabled: tracker.enabled,
        tracking: tracker.enabled,
        pricingConfigured: priced(),
        providerCount: Object.keys(byProvider).length,
        sessionCount: sessions.n,
        summary: { ...withTotal(sum) },
      };
    }),
    method("usage.cost", "operator.read", (p) => {
      const daily = usage.daily(range(p, 30));
      const cost = daily.reduce((total, day) => total + day.costUsd, 0);
      return {
        pricingConfigured: priced(),
        totalCost: cost,
        days: daily.map((d) => ({ date: d.period, cost: d.costUsd })),
      };
    }),
    method("usage.session", "operator.read", (p) => {
      const key = p.optionalText(["key", "sessionKey"]);
      const sessionId = p.optionalText("sessionId", 128) ??
        (key === undefined ? undefined : state.sessions.getByKey(key)?.id);
      if (sessionId === undefined) {
        throw p.bad("give an existing key, sessionKey or sessionId");
      }
      return {
        pricingConfigured: priced(),
        sessionId,
        usage: withTotal(usage.sessionTotals(sessionId)),
      };
    }),
    method("usage.providers", "operator.read", () => ({
      pricingConfigured: priced(),
      providers: Object.values(all().byProvider).map(withTotal),
    })),
    method(
      "usage.daily",
      "operator.read",
      (p) => ({
        pricingConfigured: priced(),
        daily: usage.daily(range(p, 30)),
      }),
    ),
    method(
      "usage.monthly",
      "operator.read",
      (p) => ({
        pricingConfigured: priced(),
        monthly: usage.monthly(range(p, 730)),
      }),
    ),
    method("usage.enable", "operator.write", () => {
      tracker.setEnabled(true);
      return { ok: true, enabled: true };
    }),
    method("usage.disable", "operator.write", () => {
      tracker.setEnabled(false);
      return { ok: true, enabled: false };
    }),
    method(
      "usage.reset",
      "operator.write",
      () => ({ ok: true, deleted: usage.prune(Number.MAX_SAFE_INTEGER) }),
    ),
  ];
}
