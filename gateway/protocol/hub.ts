/**
 * The connection hub: admission limits, the set of live connections, ticks,
 * scope-gated broadcasts with `seq` and `stateVersion`, and the graceful
 * `shutdown` event.
 *
 * @module
 */
import type { Connection } from "./connection.ts";
import { eventScope } from "./event_scope.ts";
import { utf8Length, type WsLimits } from "./limits.ts";
import { agentTruncation, stateDrop } from "./oversize.ts";
import { hasScope } from "./scopes.ts";
import type {
  BroadcastOptions,
  EventFrame,
  EventSink,
  StateVersion,
} from "./types.ts";

/** Counters a hub reports to metrics (optional). */
export interface HubMetrics {
  connectionsActive?: { set(value: number): void };
  broadcastDrops?: { inc(): void };
}

/** Options of {@linkcode ConnectionHub}. */
export interface ConnectionHubOptions {
  limits: WsLimits;
  /** Wall clock in epoch ms for event timestamps (default `Date.now`). */
  now?: () => number;
  metrics?: HubMetrics;
}

/** Why an upgrade was refused. */
export interface Refusal {
  status: 429 | 503;
  message: string;
}

/** Live WS statistics (the `ws` block of `health`). */
export interface HubStats {
  connectionCount: number;
  broadcastDropTotal: number;
  /** The largest outbound backlog of any connection right now, in bytes. */
  maxBufferedBytes: number;
}

const MAX_SHUTDOWN_REASON = 1024;

/** Every live connection of one gateway. */
export class ConnectionHub implements EventSink {
  readonly #limits: WsLimits;
  readonly #now: () => number;
  readonly #metrics: HubMetrics;
  readonly #connections = new Map<string, Connection>();
  readonly #perIp = new Map<string, number>();
  readonly #version: StateVersion = { presence: 0, health: 0 };
  #seq = 0;
  #drops = 0;
  #tick: ReturnType<typeof setInterval> | undefined;
  #stopping = false;

  constructor(options: ConnectionHubOptions) {
    this.#limits = options.limits;
    this.#now = options.now ?? Date.now;
    this.#metrics = options.metrics ?? {};
  }

  /** The limits this hub enforces. */
  get limits(): WsLimits {
    return this.#limits;
  }

  /** Why a new connection from `remoteIp` must be refused, or `null`. */
  refusal(remoteIp: string): Refusal | null {
    if (this.#stopping) {
      return { status: 503, message: "the gateway is shutting down" };
    }
    if (this.#connections.size >= this.#limits.maxConnections) {
      return {
        status: 503,
        message:
          `the gateway already holds ${this.#limits.maxConnections} WebSocket connections (gateway.ws.maxConnections); retry later`,
      };
    }
    if ((this.#perIp.get(remoteIp) ?? 0) >= this.#limits.maxPerIp) {
      return {
        status: 429,
        message:
          `address "${remoteIp}" already holds ${this.#limits.maxPerIp} WebSocket connections (gateway.ws.maxPerIp); close one and retry`,
      };
    }
    return null;
  }

  /** Registers a connection (call right after the upgrade). */
  add(conn: Connection): void {
    this.#connections.set(conn.connId, conn);
    this.#perIp.set(conn.remoteIp, (this.#perIp.get(conn.remoteIp) ?? 0) + 1);
    this.#metrics.connectionsActive?.set(this.#connections.size);
    this.#tick ??= setInterval(
      () => this.broadcast("tick", { ts: this.#now() }),
      this.#limits.tickIntervalMs,
    );
  }

  /** Unregisters a connection (its `onClosed`). */
  remove(conn: Connection): void {
    if (!this.#connections.delete(conn.connId)) return;
    const left = (this.#perIp.get(conn.remoteIp) ?? 1) - 1;
    if (left > 0) this.#perIp.set(conn.remoteIp, left);
    else this.#perIp.delete(conn.remoteIp);
    this.#metrics.connectionsActive?.set(this.#connections.size);
    if (this.#connections.size === 0) {
      clearInterval(this.#tick);
      this.#tick = undefined;
    }
  }

  /** Current state versions (a copy). */
  stateVersion(): StateVersion {
    return { ...this.#version };
  }

  /** Live statistics. */
  stats(): HubStats {
    let maxBufferedBytes = 0;
    for (const conn of this.#connections.values()) {
      maxBufferedBytes = Math.max(maxBufferedBytes, conn.backlog());
    }
    return {
      connectionCount: this.#connections.size,
      broadcastDropTotal: this.#drops,
      maxBufferedBytes,
    };
  }

  /** Sends an event to every connection past the handshake that may see it. */
  broadcast(
    event: string,
    payload: unknown,
    options: BroadcastOptions = {},
  ): void {
    const frame: EventFrame = {
      type: "event",
      event,
      payload,
      seq: ++this.#seq,
    };
    if (options.stateKind !== undefined) {
      this.#version[options.stateKind]++;
      frame.stateVersion = this.stateVersion();
    }
    const text = this.#capped(frame, options);
    if (text === null) return;
    const scope = options.scope ?? eventScope(event);
    for (const conn of this.#connections.values()) {
      const info = conn.info;
      if (info === null || (scope !== null && !hasScope(info.scopes, scope))) {
        continue;
      }
      if (!conn.send(null, text)) this.#dropped();
    }
  }

  /** Sends an event to one connection; `false` when it is gone. */
  sendTo(connId: string, event: string, payload: unknown): boolean {
    const conn = this.#connections.get(connId);
    if (conn === undefined || conn.info === null) return false;
    return conn.send({ type: "event", event, payload, seq: ++this.#seq });
  }

  /**
   * Sends `shutdown` to everyone, closes every connection and refuses new
   * ones. Close code 1012 when a restart is expected, else 1001.
   */
  shutdown(
    options: { reason?: string; restartExpectedMs?: number } = {},
  ): void {
    this.#stopping = true;
    clearInterval(this.#tick);
    this.#tick = undefined;
    const reason = options.reason ?? "gateway stopping";
    const payload: Record<string, unknown> = {
      reason: reason.slice(0, MAX_SHUTDOWN_REASON),
      reasonTruncated: reason.length > MAX_SHUTDOWN_REASON,
    };
    if (options.restartExpectedMs !== undefined) {
      payload.restartExpectedMs = options.restartExpectedMs;
    }
    this.broadcast("shutdown", payload);
    const code = options.restartExpectedMs === undefined ? 1001 : 1012;
    for (const conn of [...this.#connections.values()]) {
      conn.close(code, "gateway shutting down");
    }
  }

  #capped(frame: EventFrame, options: BroadcastOptions): string | null {
    const max = this.#limits.maxBroadcastFrameBytes;
    const text = JSON.stringify(frame);
    if (text.length * 3 <= max) return text;
    const bytes = utf8Length(text);
    if (bytes <= max) return text;
    if (frame.event === "agent") {
      return JSON.stringify({
        ...frame,
        payload: agentTruncation(frame.payload, bytes, max),
      });
    }
    this.#dropped();
    if (options.stateKind === undefined) return null;
    this.#version[options.stateKind]++;
    return JSON.stringify({
      type: "event",
      event: "state.drop",
      payload: stateDrop(frame.event, bytes, {
        maxFrameBytes: max,
        ts: this.#now(),
      }),
      seq: frame.seq,
      stateVersion: this.stateVersion(),
    });
  }

  #dropped(): void {
    this.#drops++;
    this.#metrics.broadcastDrops?.inc();
  }
}
