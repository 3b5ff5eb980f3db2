/**
 * The presence registry: who is connected (one entry per live connection)
 * plus reported entries that expire after 5 minutes; at most 200 entries.
 * Every change is broadcast as a `presence` event (state kind `presence`).
 *
 * @module
 */
import { hasScope } from "../protocol/scopes.ts";
import type { ConnectionInfo, EventSink } from "../protocol/types.ts";

/** One presence entry (protocol.md §8). */
export interface PresenceEntry {
  ts: number;
  host?: string;
  ip?: string;
  version?: string;
  platform?: string;
  deviceFamily?: string;
  modelIdentifier?: string;
  mode?: string;
  reason?: string;
  tags?: string[];
  deviceId?: string;
  roles?: string[];
  scopes?: string[];
  instanceId?: string;
  text?: string;
  lastInputSeconds?: number;
}

/** Options of {@linkcode PresenceRegistry}. */
export interface PresenceRegistryOptions {
  events: EventSink;
  /** Wall clock in epoch ms (default `Date.now`). */
  now?: () => number;
  /** Lifetime of entries not backed by a live connection (default 5 min). */
  ttlMs?: number;
  /** Most entries kept; the oldest goes first (default 200). */
  maxEntries?: number;
}

// Fields only connections with operator.admin may see.
const ADMIN_FIELDS = ["ip", "deviceId", "scopes"] as const;

interface Slot {
  entry: PresenceEntry;
  live: boolean;
}

/** Presence of connected clients and reporting instances. */
export class PresenceRegistry {
  readonly #events: EventSink;
  readonly #now: () => number;
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #slots = new Map<string, Slot>();

  constructor(options: PresenceRegistryOptions) {
    this.#events = options.events;
    this.#now = options.now ?? Date.now;
    this.#ttlMs = options.ttlMs ?? 5 * 60_000;
    this.#max = options.maxEntries ?? 200;
  }

  /** Adds the entry of a connection that completed the handshake. */
  connected(conn: ConnectionInfo): void {
    const entry: PresenceEntry = {
      ts: this.#now(),
      ip: conn.remoteIp,
      version: conn.client.version,
      platform: conn.client.platform,
      mode: conn.client.mode,
      reason: "connect",
      roles: [conn.role],
      scopes: [...conn.scopes],
    };
    const client = conn.client;
    if (client.displayName !== undefined) entry.host = client.displayName;
    if (client.deviceFamily !== undefined) {
      entry.deviceFamily = client.deviceFamily;
    }
    if (client.modelIdentifier !== undefined) {
      entry.modelIdentifier = client.modelIdentifier;
    }
    if (client.instanceId !== undefined) entry.instanceId = client.instanceId;
    if (conn.deviceId !== null) entry.deviceId = conn.deviceId;
    this.#put(`conn:${conn.connId}`, { entry, live: true });
  }

  /** Removes the entry of a connection that ended. */
  disconnected(conn: ConnectionInfo): void {
    if (this.#slots.delete(`conn:${conn.connId}`)) this.#changed();
  }

  /** Records a reported entry under `key`; it expires after the TTL. */
  report(key: string, entry: Omit<PresenceEntry, "ts">): void {
    this.#put(`report:${key}`, {
      entry: { ...entry, ts: this.#now() },
      live: false,
    });
  }

  /** Entries, newest first; admin-only fields only when `admin`. */
  list(options: { admin: boolean }): PresenceEntry[] {
    this.#prune();
    const entries = [...this.#slots.values()].map((slot) =>
      options.admin ? { ...slot.entry } : publicView(slot.entry)
    );
    return entries.sort((a, b) => b.ts - a.ts);
  }

  /** The list `conn` may see. */
  visibleTo(conn: { scopes: readonly string[] }): PresenceEntry[] {
    return this.list({ admin: hasScope(conn.scopes, "operator.admin") });
  }

  #put(key: string, slot: Slot): void {
    this.#prune();
    this.#slots.delete(key);
    while (this.#slots.size >= this.#max) {
      let oldest: string | undefined;
      let oldestTs = Infinity;
      for (const [k, s] of this.#slots) {
        if (s.entry.ts < oldestTs) [oldest, oldestTs] = [k, s.entry.ts];
      }
      this.#slots.delete(oldest!);
    }
    this.#slots.set(key, slot);
    this.#changed();
  }

  #prune(): void {
    const cutoff = this.#now() - this.#ttlMs;
    for (const [key, slot] of this.#slots) {
      if (!slot.live && slot.entry.ts < cutoff) this.#slots.delete(key);
    }
  }

  #changed(): void {
    this.#events.broadcast("presence", {
      presence: this.list({ admin: false }),
    }, {
      stateKind: "presence",
    });
  }
}

function publicView(entry: PresenceEntry): PresenceEntry {
  const copy = { ...entry };
  for (const field of ADMIN_FIELDS) delete copy[field];
  return copy;
}
