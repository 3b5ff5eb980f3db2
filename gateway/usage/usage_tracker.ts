/**
 * Records provider usage into the state database with its cost, unless
 * tracking is switched off (`usage.enabled` at start, then `usage.enable` /
 * `usage.disable` at run time; the switch lasts until the next restart).
 *
 * @module
 */
import type { CaraConfig } from "../config/schema.ts";
import type { UsageStore } from "../state/mod.ts";
import { costUsd } from "./pricing.ts";

/** One provider call's usage. */
export interface UsageEntry {
  provider: string;
  model: string;
  sessionId?: string;
  inputTokens: number;
  outputTokens: number;
}

/** Records usage and holds the on/off switch. */
export class UsageTracker {
  readonly #store: UsageStore;
  readonly #config: () => CaraConfig;
  #enabled: boolean;

  constructor(store: UsageStore, options: { config: () => CaraConfig }) {
    this.#store = store;
    this.#config = options.config;
    this.#enabled = options.config().usage.enabled;
  }

  /** Whether calls are being recorded. */
  get enabled(): boolean {
    return this.#enabled;
  }

  /** Switches recording on or off. */
  setEnabled(enabled: boolean): void {
    this.#enabled = enabled;
  }

  /** Records one call (nothing when disabled or when it used no tokens). */
  record(entry: UsageEntry): void {
    if (!this.#enabled) return;
    if (entry.inputTokens === 0 && entry.outputTokens === 0) return;
    this.#store.record({
      ...entry,
      costUsd: costUsd(this.#config().usage.pricing, entry.model, entry),
    });
  }
}
