/**
 * Helpers for the auth tests: a real state database with a manual clock,
 * recorded events, the auth services, and signed `connect` requests.
 *
 * @module
 */
import { join } from "node:path";
import { createAuthServices } from "../../../gateway/auth/auth_services.ts";
import type { AuthServices } from "../../../gateway/auth/auth_services.ts";
import {
  type ConnectAuthenticatorDeps,
  createConnectAuthenticator,
} from "../../../gateway/auth/connect_authenticator.ts";
import { type CaraConfig, configSchema } from "../../../gateway/config/mod.ts";
import type { Env } from "../../../gateway/config/paths.ts";
import { signDeviceProof } from "../../../gateway/protocol/device_signature.ts";
import type {
  BroadcastOptions,
  ConnectAuthenticator,
  ConnectParams,
  ConnectRequest,
  EventSink,
} from "../../../gateway/protocol/types.ts";
import {
  openDatabase,
  type StateDatabase,
} from "../../../gateway/state/mod.ts";
import { tempDir } from "../../_helpers.ts";

/** 2023-11-14T22:13:20Z. */
export const T0 = 1_700_000_000_000;
/** The challenge nonce every test connection gets. */
export const NONCE = "6f1c2a52-1f7e-4c8e-9d0a-1a2b3c4d5e6f";
/** A loopback peer with a local Host header. */
export const LOCAL = { remoteIp: "127.0.0.1", host: "localhost:18789" };
/** A remote peer. */
export const REMOTE = { remoteIp: "192.0.2.10", host: "gateway.example:18789" };

/** One recorded broadcast. */
export interface Broadcast {
  event: string;
  payload: Record<string, unknown>;
  options: BroadcastOptions | undefined;
}

/** A database, clock, event log and auth services, disposed together. */
export interface AuthFixture extends Disposable {
  state: StateDatabase;
  now(): number;
  advance(ms: number): void;
  events: Broadcast[];
  sink: EventSink;
  services: AuthServices;
  config: CaraConfig;
  authenticate: ConnectAuthenticator;
}

/** Options of {@linkcode authFixture}. */
export interface FixtureOptions {
  config?: Record<string, unknown>;
  env?: Env;
  deps?: Partial<ConnectAuthenticatorDeps>;
  deviceLimits?: { maxPaired?: number; maxPending?: number };
  nodeLimits?: { maxPaired?: number; maxPending?: number };
}

/** Opens a fresh database and builds the auth services around it. */
export function authFixture(options: FixtureOptions = {}): AuthFixture {
  const dir = tempDir("cara-auth-");
  let now = T0;
  const clock = () => now;
  const state = openDatabase(join(dir.path, "state.db"), { clock });
  const events: Broadcast[] = [];
  const sink: EventSink = {
    broadcast(event, payload, opts) {
      events.push({
        event,
        payload: payload as Record<string, unknown>,
        options: opts,
      });
    },
  };
  const services = createAuthServices(state, {
    events: sink,
    clock,
    ...(options.deviceLimits ? { deviceLimits: options.deviceLimits } : {}),
    ...(options.nodeLimits ? { nodeLimits: options.nodeLimits } : {}),
  });
  const config = configSchema.parse(options.config ?? {});
  const authenticate = createConnectAuthenticator({
    state,
    config: () => config,
    env: options.env ?? {},
    ...services,
    clock,
    whois: () => Promise.resolve(null),
    ...options.deps,
  });
  return {
    state,
    now: clock,
    advance: (ms) => {
      now += ms;
    },
    events,
    sink,
    services,
    config,
    authenticate,
    [Symbol.dispose]() {
      state.close();
      dir[Symbol.dispose]();
    },
  };
}

/** A fresh Ed25519 key pair. */
export async function deviceKeys(): Promise<CryptoKeyPair> {
  return await crypto.subtle.generateKey("Ed25519", true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
}

/** What a test connect varies. */
export interface ConnectOptions {
  peer?: { remoteIp: string; host: string };
  headers?: Record<string, string>;
  keys?: CryptoKeyPair | null;
  role?: "operator" | "node";
  scopes?: string[];
  auth?: { token?: string; password?: string };
  clientId?: string;
  /** Nonce signed into the proof; `null` signs none (v1). Default: the challenge. */
  signNonce?: string | null;
  signedAtMs?: number;
}

/** Builds connect params (signed when `keys` are given) and the request around them. */
export async function connectRequest(
  fixture: AuthFixture,
  options: ConnectOptions = {},
): Promise<ConnectRequest> {
  const peer = options.peer ?? REMOTE;
  const role = options.role ?? "operator";
  const scopes = options.scopes ?? ["operator.admin"];
  const clientId = options.clientId ?? "cli";
  const params: ConnectParams = {
    minProtocol: 3,
    maxProtocol: 3,
    client: { id: clientId, version: "1.0.0", platform: "linux", mode: "cli" },
    role,
    scopes,
  };
  if (options.auth !== undefined) params.auth = options.auth;
  if (options.keys) {
    const nonce = options.signNonce === null
      ? undefined
      : options.signNonce ?? NONCE;
    params.device = await signDeviceProof(options.keys, {
      clientId,
      clientMode: "cli",
      role,
      scopes,
      signedAtMs: options.signedAtMs ?? fixture.now(),
      token: options.auth?.token,
      nonce,
    });
  }
  return {
    params,
    nonce: NONCE,
    remoteIp: peer.remoteIp,
    headers: new Headers({ host: peer.host, ...options.headers }),
    connId: crypto.randomUUID(),
  };
}
