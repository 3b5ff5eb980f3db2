/**
 * cara's state: one SQLite database (WAL, `synchronous=FULL`, embedded
 * migrations) with a store per table family, and the state dir it lives in.
 *
 * @example
 * ```ts
 * import { openDatabase, prepareStateDir } from "./gateway/state/mod.ts";
 *
 * await prepareStateDir(stateDir);
 * using state = openDatabase(`${stateDir}/state.db`);
 * const session = state.sessions.create({ sessionKey: "main:default:default" });
 * state.sessions.messages.append({ sessionId: session.id, role: "user", content: "hi" });
 * ```
 *
 * @module
 */
export {
  BUSY_TIMEOUT_MS,
  type Clock,
  DEFER_MS,
  openDatabase,
  type OpenDatabaseOptions,
  StateDatabase,
} from "./database.ts";
export { type Migration, MIGRATIONS } from "./migrations.ts";
export { appliedVersion, migrate, type MigrateOptions } from "./migrate.ts";
export { transaction } from "./transaction.ts";
export type { JsonObject, JsonValue } from "./json.ts";
export {
  AUDIT_LIST_MAX,
  type AuditAppendInput,
  type AuditEvent,
  type AuditListOptions,
  AuditStore,
} from "./audit_store.ts";
export {
  AUDIT_DATA_MAX_BYTES,
  AUDIT_TEXT_MAX_BYTES,
  TRUNCATION_MARKER,
} from "./_audit_truncate.ts";
export {
  type DeviceRecord,
  DeviceStore,
  type DeviceUpsertInput,
} from "./device_store.ts";
export {
  type Session,
  SESSION_LIST_MAX,
  SESSION_METADATA_MAX_BYTES,
  SESSION_STATUSES,
  type SessionPatch,
  type SessionStatus,
  SessionStore,
} from "./session_store.ts";
export {
  type ChatMessage,
  MESSAGE_CONTENT_MAX_BYTES,
  MESSAGE_LIST_MAX,
  MESSAGE_ROLES,
  type MessageAppendInput,
  type MessageRole,
  MessageStore,
} from "./message_store.ts";
export {
  type ModelUsage,
  type ProviderUsage,
  type UsageRecordInput,
  UsageStore,
  type UsageSummary,
  type UsageTotals,
} from "./usage_store.ts";
export {
  prepareStateDir,
  type PrepareStateDirOptions,
  type PrepareStateDirResult,
  STATE_SUBDIRS,
} from "./state_dir.ts";
