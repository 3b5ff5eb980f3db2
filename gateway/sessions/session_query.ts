/**
 * The filtered session listing behind `sessions.list` and
 * `sessions.archives`: every filter is applied in SQL before paging, so a
 * page is full whenever enough sessions match and `count` is the filtered
 * total.
 *
 * @module
 */
import type { StatementSync } from "node:sqlite";
import type { Session, SessionStatus, StateDatabase } from "../state/mod.ts";

/** Filters of {@linkcode SessionQuery}; absent filters match everything. */
export interface SessionFilter {
  status?: SessionStatus | undefined;
  /** `metadata.agent_id`, or the first segment of the key. */
  agentId?: string | undefined;
  /** `metadata.channel`, or (without one) the second segment of the key. */
  channel?: string | undefined;
  /** `metadata.user_id`. */
  userId?: string | undefined;
  /** `metadata.label`, `metadata.name` or one of `metadata.tags`. */
  label?: string | undefined;
  /** Case-insensitive substring of the key or `metadata.name`. */
  search?: string | undefined;
  /** Only sessions active (or updated) at or after this time, ms. */
  activeSince?: number | undefined;
}

/** One page of matching sessions and how many match in all. */
export interface SessionPage {
  sessions: Session[];
  count: number;
}

// Each filter is `:param IS NULL OR …`, so one prepared statement serves every combination.
const WHERE = `
  (:status IS NULL OR status = :status)
  AND (:agentId IS NULL OR json_extract(metadata, '$.agent_id') = :agentId
    OR substr(session_key, 1, length(:agentId) + 1) = :agentId || ':')
  AND (:channel IS NULL OR json_extract(metadata, '$.channel') = :channel
    OR (json_extract(metadata, '$.channel') IS NULL
      AND substr(session_key, instr(session_key, ':') + 1, length(:channel) + 1) = :channel || ':'))
  AND (:userId IS NULL OR json_extract(metadata, '$.user_id') = :userId)
  AND (:label IS NULL OR json_extract(metadata, '$.label') = :label
    OR json_extract(metadata, '$.name') = :label
    OR EXISTS (SELECT 1 FROM json_each(metadata, '$.tags') WHERE value = :label))
  AND (:search IS NULL OR instr(lower(session_key), :search) > 0
    OR instr(lower(coalesce(json_extract(metadata, '$.name'), '')), :search) > 0)
  AND (:activeSince IS NULL OR coalesce(last_activity_at, updated_at) >= :activeSince)`;

/** Lists sessions by {@linkcode SessionFilter}, newest update first. */
export class SessionQuery {
  #state: StateDatabase;
  #page: StatementSync;
  #count: StatementSync;

  constructor(state: StateDatabase) {
    this.#state = state;
    this.#page = state.db.prepare(
      `SELECT id FROM sessions WHERE ${WHERE}
       ORDER BY updated_at DESC, id LIMIT :limit OFFSET :offset`,
    );
    this.#count = state.db.prepare(
      `SELECT COUNT(*) AS n FROM sessions WHERE ${WHERE}`,
    );
  }

  /**
   * One page of the sessions matching `filter`.
   *
   * @example
   * ```ts
   * new SessionQuery(state).page({ channel: "telegram" }, { limit: 50, offset: 0 });
   * ```
   */
  page(
    filter: SessionFilter,
    page: { limit: number; offset: number },
  ): SessionPage {
    const params = bindings(filter);
    const ids = this.#page.all({ ...params, ...page }) as { id: string }[];
    const count = this.#count.get(params) as { n: number };
    return {
      sessions: ids.flatMap(({ id }) => this.#state.sessions.get(id) ?? []),
      count: count.n,
    };
  }
}

function bindings(
  filter: SessionFilter,
): Record<string, string | number | null> {
  return {
    status: filter.status ?? null,
    agentId: filter.agentId ?? null,
    channel: filter.channel ?? null,
    userId: filter.userId ?? null,
    label: filter.label ?? null,
    search: filter.search?.toLowerCase() ?? null,
    activeSince: filter.activeSince ?? null,
  };
}
