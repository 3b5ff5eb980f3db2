/**
 * LLM usage: one row per provider call, summed per day, per month and per
 * session with breakdowns by provider and by `provider:model`.
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { CaraError } from "../errors.ts";
import { checkCount, checkText } from "./_check.ts";
import { num, type Row, text } from "./_row.ts";
import { writeStatement } from "./transaction.ts";

/** Input of {@linkcode UsageStore.record}. */
export interface UsageRecordInput {
  /** Milliseconds since the epoch; defaults to the store's clock. */
  timestamp?: number;
  provider: string;
  model: string;
  sessionId?: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** Sums over a set of usage records. */
export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  requests: number;
  costUsd: number;
}

/** One provider's share of a summary. */
export interface ProviderUsage extends UsageTotals {
  provider: string;
}

/** One model's share of a summary, keyed `provider:model`. */
export interface ModelUsage extends ProviderUsage {
  model: string;
}

/** Usage of one UTC day (`YYYY-MM-DD`) or month (`YYYY-MM`). */
export interface UsageSummary extends UsageTotals {
  period: string;
  byProvider: Record<string, ProviderUsage>;
  byModel: Record<string, ModelUsage>;
}

// The largest time a JS Date can hold.
const MAX_DATE_MS = 8_640_000_000_000_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TOKENS = { what: "token count", max: 1e12 };
const SUMS =
  `SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,
  COUNT(*) AS requests, SUM(cost_usd) AS cost_usd`;

function checkDay(day: string): string {
  if (!DAY.test(day)) {
    throw new CaraError(
      "invalid_request",
      `Cannot summarise usage from "${
        day.slice(0, 40)
      }": expected a date as YYYY-MM-DD`,
    );
  }
  return day;
}

function checkCost(cost: number): number {
  if (!Number.isFinite(cost) || cost < 0 || cost > 1e9) {
    throw new CaraError(
      "invalid_request",
      `Cannot record usage cost ${cost}: expected a number of US dollars from 0 to 1e9`,
    );
  }
  return cost;
}

function totals(row: Row): UsageTotals {
  return {
    inputTokens: num(row, "input_tokens"),
    outputTokens: num(row, "output_tokens"),
    requests: num(row, "requests"),
    costUsd: num(row, "cost_usd"),
  };
}

function add(into: UsageTotals, part: UsageTotals): void {
  into.inputTokens += part.inputTokens;
  into.outputTokens += part.outputTokens;
  into.requests += part.requests;
  into.costUsd += part.costUsd;
}

function zero(): UsageTotals {
  return { inputTokens: 0, outputTokens: 0, requests: 0, costUsd: 0 };
}

function summarise(rows: Row[]): UsageSummary[] {
  const byPeriod = new Map<string, UsageSummary>();
  for (const row of rows) {
    const period = text(row, "period");
    const provider = text(row, "provider");
    const model = text(row, "model");
    const part = totals(row);
    let summary = byPeriod.get(period);
    if (summary === undefined) {
      summary = { period, ...zero(), byProvider: {}, byModel: {} };
      byPeriod.set(period, summary);
    }
    add(summary, part);
    const perProvider = summary.byProvider[provider] ??= {
      provider,
      ...zero(),
    };
    add(perProvider, part);
    summary.byModel[`${provider}:${model}`] = { provider, model, ...part };
  }
  return [...byPeriod.values()];
}

/** Writes and sums rows of `usage_records`. */
export class UsageStore {
  readonly #db: DatabaseSync;
  #clock: () => number;
  #insert: StatementSync;
  #daily: StatementSync;
  #monthly: StatementSync;
  #session: StatementSync;
  #prune: StatementSync;

  constructor(db: DatabaseSync, options: { clock: () => number }) {
    this.#db = db;
    this.#clock = options.clock;
    this.#insert = db.prepare(
      `INSERT INTO usage_records (timestamp, day, provider, model, session_id,
         input_tokens, output_tokens, cost_usd) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const grouped = (period: string) =>
      db.prepare(
        `SELECT ${period} AS period, provider, model, ${SUMS} FROM usage_records
         WHERE day BETWEEN :from AND :to
         GROUP BY 1, provider, model ORDER BY 1, provider, model`,
      );
    this.#daily = grouped("day");
    this.#monthly = grouped("substr(day, 1, 7)");
    this.#session = db.prepare(
      `SELECT COALESCE(SUM(input_tokens), 0) AS input_tokens,
         COALESCE(SUM(output_tokens), 0) AS output_tokens, COUNT(*) AS requests,
         COALESCE(SUM(cost_usd), 0.0) AS cost_usd
       FROM usage_records WHERE session_id = ?`,
    );
    this.#prune = db.prepare("DELETE FROM usage_records WHERE timestamp < ?");
  }

  /**
   * Records one provider call.
   *
   * @returns the new record's id
   * @throws {CaraError} `invalid_request` for negative or oversized values
   */
  record(input: UsageRecordInput): number {
    const timestamp = checkCount(input.timestamp ?? this.#clock(), {
      what: "usage timestamp",
      max: MAX_DATE_MS,
    });
    const values = [
      timestamp,
      new Date(timestamp).toISOString().slice(0, 10),
      checkText(input.provider, { what: "provider", max: 128 }),
      checkText(input.model, { what: "model", max: 256 }),
      input.sessionId ?? null,
      checkCount(input.inputTokens, TOKENS),
      checkCount(input.outputTokens, TOKENS),
      checkCost(input.costUsd),
    ] as const;
    const result = writeStatement(this.#db, () => this.#insert.run(...values));
    return Number(result.lastInsertRowid);
  }

  /** One summary per UTC day with usage between `from` and `to` (inclusive, `YYYY-MM-DD`), oldest first. */
  daily(options: { from?: string; to?: string } = {}): UsageSummary[] {
    return summarise(this.#daily.all(this.#range(options)));
  }

  /** One summary per UTC month (`YYYY-MM`) with usage in the day range, oldest first. */
  monthly(options: { from?: string; to?: string } = {}): UsageSummary[] {
    return summarise(this.#monthly.all(this.#range(options)));
  }

  /** Totals of one session (all zero when it has no usage). */
  sessionTotals(sessionId: string): UsageTotals {
    const row = this.#session.get(sessionId);
    return row === undefined ? zero() : totals(row);
  }

  /** Deletes records older than `before` (ms); returns how many. */
  prune(before: number): number {
    return Number(
      writeStatement(this.#db, () => this.#prune.run(before)).changes,
    );
  }

  #range(options: { from?: string; to?: string }): Record<string, string> {
    return {
      from: checkDay(options.from ?? "0000-01-01"),
      to: checkDay(options.to ?? "9999-12-31"),
    };
  }
}
