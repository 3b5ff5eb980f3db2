/**
 * The contracts of the WebSocket protocol (v3): frames, connections, method
 * definitions and the event sink. Every feature folder that adds a WS method
 * exports `MethodDefinition`s built against these types; the protocol core
 * (gateway/protocol) owns dispatch, authorization and delivery.
 *
 * @module
 */
import type { ErrorShape } from "./errors.ts";

/** The protocol version this gateway speaks. */
export const PROTOCOL_VERSION = 3;

/** A client request: `{type:"req", id, method, params?}`. */
export interface RequestFrame {
  type: "req";
  id: string;
  method: string;
  params?: unknown;
}

/** A response to one request. */
export type ResponseFrame =
  | { type: "res"; id: string; ok: true; payload: unknown }
  | { type: "res"; id: string; ok: false; error: ErrorShape };

/** Versions of the state kinds a client mirrors (see `state.drop`). */
export interface StateVersion {
  presence: number;
  health: number;
}

/** A server event. `seq` is absent only on `connect.challenge`. */
export interface EventFrame {
  type: "event";
  event: string;
  payload: unknown;
  seq?: number;
  stateVersion?: StateVersion;
}

/** Connection roles on the wire. */
export type Role = "operator" | "node";

/**
 * What a method requires. Operator scopes per protocol.md §6; `"node"` marks
 * the methods only the node role may call (`node.invoke.result`, `node.event`).
 */
export type MethodScope =
  | "operator.read"
  | "operator.write"
  | "operator.admin"
  | "operator.pairing"
  | "operator.approvals"
  | "node";

/** The `client` object of `connect` params. */
export interface ClientInfo {
  id: string;
  version: string;
  platform: string;
  mode: string;
  displayName?: string;
  deviceFamily?: string;
  modelIdentifier?: string;
  instanceId?: string;
}

/** An authenticated connection, as method handlers see it. */
export interface ConnectionInfo {
  readonly connId: string;
  readonly role: Role;
  /** Effective scopes after server defaulting. */
  readonly scopes: readonly string[];
  readonly client: ClientInfo;
  /** The verified device id (hex sha256 of its public key), if a device signed in. */
  readonly deviceId: string | null;
  /** The TCP peer address. */
  readonly remoteIp: string;
  /** Loopback peer, local Host header and no forwarding headers (protocol.md §5). */
  readonly localDirect: boolean;
  readonly connectedAtMs: number;
}

/** Options of {@linkcode EventSink.broadcast}. */
export interface BroadcastOptions {
  /** Only connections holding this scope (or `operator.admin`) receive it. */
  scope?: string;
  /** A mirrored state kind: oversize frames become `state.drop` and bump its version. */
  stateKind?: keyof StateVersion;
}

/** Where handlers and services emit events to connected clients. */
export interface EventSink {
  broadcast(event: string, payload: unknown, options?: BroadcastOptions): void;
}

/** What a handler receives for one request. */
export interface MethodContext {
  readonly conn: ConnectionInfo;
  /** The request's `params` (unknown: validate before use). */
  readonly params: unknown;
  /** Aborted when the connection closes or the gateway shuts down. */
  readonly signal: AbortSignal;
  readonly events: EventSink;
  /**
   * Runs `fn` right after the response was sent (in order with it, before
   * anything else reaches the connection). Absent outside the WS dispatcher.
   */
  readonly afterReply?: (fn: () => void) => void;
}

/** Answers one request; throw `ProtocolError` for `ok:false`. */
export type MethodHandler = (ctx: MethodContext) => unknown | Promise<unknown>;

/** One WS method: a registry record (name, scope, handler). */
export interface MethodDefinition {
  name: string;
  scope: MethodScope;
  handler: MethodHandler;
}

/** The signed device block of `connect` params (protocol.md §4). */
export interface DeviceProof {
  id: string;
  publicKey: string;
  signature: string;
  signedAt: number;
  nonce?: string;
}

/** `connect` params after shape validation and scope defaulting (protocol.md §3). */
export interface ConnectParams {
  minProtocol: number;
  maxProtocol: number;
  client: ClientInfo;
  role: Role;
  /** Effective scopes: an operator sending none gets `["operator.admin"]`. */
  scopes: string[];
  caps?: string[];
  commands?: string[];
  permissions?: Record<string, boolean>;
  pathEnv?: string;
  auth?: { token?: string; password?: string };
  device?: DeviceProof;
}

/** Everything the authenticator needs to decide one `connect`. */
export interface ConnectRequest {
  params: ConnectParams;
  /** The nonce of this connection's `connect.challenge`. */
  nonce: string;
  /** TCP peer address. */
  remoteIp: string;
  /** Headers of the upgrade request (Host, forwarding headers). */
  headers: Headers;
  connId: string;
}

/** How a connection authenticated. */
export type AuthMethod =
  | "local"
  | "token"
  | "password"
  | "device-token"
  | "tailscale";

/** A successful `connect` decision. */
export interface ConnectGrant {
  role: Role;
  scopes: string[];
  deviceId: string | null;
  localDirect: boolean;
  method: AuthMethod;
  /** A freshly issued device token (plaintext, returned once in hello-ok `auth`). */
  deviceToken?: { token: string; issuedAtMs: number };
}

/**
 * Decides a `connect` (auth, device signature, pairing, token issuance).
 * Throws `ConnectRefused` to answer `ok:false` and close the socket.
 */
export type ConnectAuthenticator = (
  request: ConnectRequest,
) => Promise<ConnectGrant>;
