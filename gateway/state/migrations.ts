/**
 * The state schema as an ordered list of migrations, embedded in the code so
 * the compiled binary carries it.
 *
 * Append new entries at the end with the next version; never edit an entry
 * that has shipped. Table names are fixed: other modules (snapshot, reset)
 * depend on them.
 *
 * @module
 */

/** One schema step, applied once in its own transaction. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Every migration this build knows, in version order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "sessions_and_messages",
    sql: `
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        session_key TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL DEFAULT 'active'
          CHECK (status IN ('active', 'paused', 'archived', 'compacting')),
        metadata TEXT NOT NULL DEFAULT '{}',
        message_count INTEGER NOT NULL DEFAULT 0,
        last_seq INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        last_activity_at INTEGER
      ) STRICT;
      CREATE INDEX sessions_updated_at ON sessions (updated_at);
      CREATE INDEX sessions_status_updated_at ON sessions (status, updated_at);
      CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'system', 'tool')),
        content TEXT NOT NULL,
        tool_call_id TEXT,
        tool_name TEXT,
        tokens INTEGER,
        incomplete INTEGER NOT NULL DEFAULT 0 CHECK (incomplete IN (0, 1)),
        metadata TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (session_id, seq)
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: "audit_events",
    sql: `
      CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ts INTEGER NOT NULL,
        event TEXT NOT NULL,
        data TEXT NOT NULL DEFAULT '{}'
      ) STRICT;
      CREATE INDEX audit_events_ts ON audit_events (ts);
      CREATE INDEX audit_events_event_ts ON audit_events (event, ts);
    `,
  },
  {
    version: 3,
    name: "devices",
    sql: `
      CREATE TABLE devices (
        device_id TEXT PRIMARY KEY,
        public_key TEXT NOT NULL,
        display_name TEXT,
        platform TEXT,
        client_id TEXT,
        role TEXT NOT NULL,
        scopes TEXT NOT NULL DEFAULT '[]',
        token_hash TEXT,
        paired_at INTEGER NOT NULL,
        last_seen_at INTEGER,
        revoked_at INTEGER
      ) STRICT;
    `,
  },
  {
    version: 4,
    name: "usage_records",
    sql: `
      CREATE TABLE usage_records (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        timestamp INTEGER NOT NULL,
        day TEXT NOT NULL,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        session_id TEXT,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        cost_usd REAL NOT NULL
      ) STRICT;
      CREATE INDEX usage_records_day ON usage_records (day);
      CREATE INDEX usage_records_session_id ON usage_records (session_id)
        WHERE session_id IS NOT NULL;
    `,
  },
  {
    version: 5,
    name: "pairing",
    sql: `
      ALTER TABLE devices ADD COLUMN roles TEXT NOT NULL DEFAULT '[]';
      CREATE TABLE device_pairing_requests (
        request_id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL UNIQUE,
        public_key TEXT NOT NULL,
        display_name TEXT,
        platform TEXT,
        client_id TEXT,
        client_mode TEXT,
        role TEXT NOT NULL,
        roles TEXT NOT NULL DEFAULT '[]',
        scopes TEXT NOT NULL DEFAULT '[]',
        remote_ip TEXT,
        silent INTEGER NOT NULL DEFAULT 0 CHECK (silent IN (0, 1)),
        is_repair INTEGER NOT NULL DEFAULT 0 CHECK (is_repair IN (0, 1)),
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE device_tokens (
        token_hash TEXT PRIMARY KEY,
        device_id TEXT NOT NULL REFERENCES devices (device_id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        scopes TEXT NOT NULL DEFAULT '[]',
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX device_tokens_device_role ON device_tokens (device_id, role, issued_at);
      CREATE TABLE nodes (
        node_id TEXT PRIMARY KEY,
        display_name TEXT,
        platform TEXT,
        version TEXT,
        token_hash TEXT NOT NULL,
        token_expires_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        approved_at INTEGER NOT NULL,
        last_seen_at INTEGER
      ) STRICT;
      CREATE TABLE node_pairing_requests (
        request_id TEXT PRIMARY KEY,
        node_id TEXT NOT NULL UNIQUE,
        display_name TEXT,
        platform TEXT,
        version TEXT,
        remote_ip TEXT,
        silent INTEGER NOT NULL DEFAULT 0 CHECK (silent IN (0, 1)),
        is_repair INTEGER NOT NULL DEFAULT 0 CHECK (is_repair IN (0, 1)),
        created_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 6,
    name: "history_rev",
    // Every write to a session's messages, by any code or process, sets its
    // history_rev to a fresh random value (a safe JavaScript integer) (the value of a write that was rolled
    // back never comes back), so an in-memory copy of the history knows when it is stale.
    sql: `
      ALTER TABLE sessions ADD COLUMN history_rev INTEGER NOT NULL DEFAULT 0;
      CREATE TRIGGER messages_rev_insert AFTER INSERT ON messages BEGIN
        UPDATE sessions SET history_rev = abs(random() % 9007199254740991) WHERE id = NEW.session_id;
      END;
      CREATE TRIGGER messages_rev_update AFTER UPDATE ON messages BEGIN
        UPDATE sessions SET history_rev = abs(random() % 9007199254740991)
        WHERE id IN (OLD.session_id, NEW.session_id);
      END;
      CREATE TRIGGER messages_rev_delete AFTER DELETE ON messages BEGIN
        UPDATE sessions SET history_rev = abs(random() % 9007199254740991) WHERE id = OLD.session_id;
      END;
    `,
  },
  {
    version: 7,
    name: "drop_sessions_status_updated_at",
    // Session lists sort by updated_at (sessions_updated_at); no query used
    // this index, and every message written to a session rewrote an entry of it.
    sql: `DROP INDEX sessions_status_updated_at;`,
  },
];
