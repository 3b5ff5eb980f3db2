/**
 * What every WS session of one gateway shares: the hub, the registry, the
 * authenticator and the providers of `hello-ok` facts.
 *
 * @module
 */
import type { ScopedLogger } from "../logs/logger.ts";
import type { ConnectionHub } from "./hub.ts";
import type { MethodRegistry } from "./method_registry.ts";
import type { ConnectAuthenticator, ConnectionInfo } from "./types.ts";

/** `hello-ok` `server` facts. */
export interface ServerIdentity {
  version: string;
  commit?: string;
  host: string;
}

/** The `snapshot` state kinds of `hello-ok`, as seen by one connection. */
export interface SnapshotState {
  presence: unknown[];
  health: unknown;
}

/** Collaborators of every session (see {@linkcode wsRoute}). */
export interface SessionDeps {
  hub: ConnectionHub;
  registry: MethodRegistry;
  authenticate: ConnectAuthenticator;
  server: ServerIdentity;
  logger: ScopedLogger;
  /** Presence and health for `hello-ok` (default: empty presence, `{}`). */
  snapshot?: (conn: ConnectionInfo) => SnapshotState;
  /** Milliseconds since the gateway started. */
  uptimeMs: () => number;
  /** Called after `hello-ok` was sent. */
  onConnected?: (conn: ConnectionInfo) => void;
  /** Called when a connection that completed the handshake ends. */
  onDisconnected?: (conn: ConnectionInfo) => void;
  /** Monotonic clock in ms for rate buckets (default `performance.now`). */
  clock?: () => number;
}
