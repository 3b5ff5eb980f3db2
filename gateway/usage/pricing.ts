/**
 * Usage cost from `usage.pricing`: the first override whose `match` equals
 * (`exact`) or is contained in (`contains`, the default) the lowercase model
 * id, else `pricing.default`, else nothing (cost 0). There is no built-in
 * price table.
 *
 * @module
 */
import type { CaraConfig } from "../config/schema.ts";

/** Dollars per million tokens. */
export interface Price {
  inputCostPerMTok: number;
  outputCostPerMTok: number;
}

type Pricing = CaraConfig["usage"]["pricing"];

/** Whether any price is configured. */
export function pricingConfigured(pricing: Pricing): boolean {
  return pricing.default !== undefined || pricing.overrides.length > 0;
}

/** The price of `model`, or `undefined` when none applies. */
export function priceOf(pricing: Pricing, model: string): Price | undefined {
  const id = model.toLowerCase();
  const override = pricing.overrides.find((rule) => {
    const match = rule.match.toLowerCase();
    return rule.matchType === "exact" ? id === match : id.includes(match);
  });
  return override ?? pricing.default;
}

/**
 * The cost in US dollars of one call.
 *
 * @example
 * ```ts
 * costUsd(pricing, "gpt-4o", { inputTokens: 1_000_000, outputTokens: 0 }); // inputCostPerMTok
 * ```
 */
export function costUsd(
  pricing: Pricing,
  model: string,
  tokens: { inputTokens: number; outputTokens: number },
): number {
  const price = priceOf(pricing, model);
  if (price === undefined) return 0;
  return (tokens.inputTokens * price.inputCostPerMTok +
    tokens.outputTokens * price.outputCostPerMTok) / 1_000_000;
}
