/**
 * Helpers private to the gateway/protocol tests (and the WS benches): a real
 * gateway app with the `/ws` route on 127.0.0.1 port 0, a token
 * authenticator that verifies device signatures with WebCrypto, and a small
 * WebSocket test client.
 *
 * @module
 */
import { createLogger, type Logger } from "../../../gateway/logs/logger.ts";
import { decodeBase64Loose } from "../../../gateway/protocol/base64url.ts";
import {
  deviceIdOf,
  signedPayload,
} from "../../../gateway/protocol/device_signature.ts";
import { ConnectRefused } from "../../../gateway/protocol/errors.ts";
import { ConnectionHub } from "../../../gateway/protocol/hub.ts";
import { type WsLimits, wsLimits } from "../../../gateway/protocol/limits.ts";
import { MethodRegistry } from "../../../gateway/protocol/method_registry.ts";
import type { SessionDeps } from "../../../gateway/protocol/session_deps.ts";
import type {
  ConnectAuthenticator,
  ConnectGrant,
  MethodDefinition,
} from "../../../gateway/protocol/types.ts";
import { wsRoute } from "../../../gateway/protocol/ws_route.ts";
import { createGatewayApp } from "../../../gateway/server/app.ts";
import { serveGateway } from "../../../gateway/server/serve.ts";

/** The token {@linkcode tokenAuthenticator} accepts. */
export const TEST_TOKEN = "test-token-0123456789";

/**
 * Accepts `auth.token === TEST_TOKEN`; a device block, when sent, must carry
 * a valid Ed25519 signature over the v1/v2 payload (WebCrypto).
 */
export function tokenAuthenticator(
  extra: Partial<ConnectGrant> = {},
): ConnectAuthenticator {
  return async ({ params, nonce }) => {
    if (params.auth?.token !== TEST_TOKEN) {
      throw new ConnectRefused(
        "invalid_request",
        "unauthorized: token mismatch",
      );
    }
    let deviceId: string | null = null;
    const device = params.device;
    if (device !== undefined) {
      const raw = decodeBase64Loose(device.publicKey);
      const signature = decodeBase64Loose(device.signature);
      if (raw === null || raw.length !== 32 || signature === null) {
        throw new ConnectRefused(
          "invalid_request",
          "device public key invalid",
        );
      }
      if (await deviceIdOf(raw) !== device.id) {
        throw new ConnectRefused("invalid_request", "device identity mismatch");
      }
      if (device.nonce !== undefined && device.nonce !== nonce) {
        throw new ConnectRefused("invalid_request", "device nonce mismatch");
      }
      const key = await crypto.subtle.importKey("raw", raw, "Ed25519", false, [
        "verify",
      ]);
      const message = new TextEncoder().encode(signedPayload({
        deviceId: device.id,
        clientId: params.client.id,
        clientMode: params.client.mode,
        role: params.role,
        scopes: params.scopes,
        signedAtMs: device.signedAt,
        token: params.auth?.token,
        nonce: device.nonce,
      }));
      if (!await crypto.subtle.verify("Ed25519", key, signature, message)) {
        throw new ConnectRefused("invalid_request", "device signature invalid");
      }
      deviceId = device.id;
    }
    return {
      role: params.role,
      scopes: params.scopes,
      deviceId,
      localDirect: false,
      method: "token",
      ...extra,
    };
  };
}

/** Options of {@linkcode startWsGateway}. */
export interface WsGatewayOptions {
  limits?: Partial<WsLimits>;
  methods?: (hub: ConnectionHub, logger: Logger) => MethodDefinition[];
  events?: string[];
  authenticate?: ConnectAuthenticator;
  clock?: () => number;
  deps?: Partial<SessionDeps>;
}

/** A gateway serving `/ws` on a free loopback port. */
export interface WsGateway extends AsyncDisposable {
  url: string;
  hub: ConnectionHub;
  registry: MethodRegistry;
  logger: Logger;
}

/** Starts the real app + listener with the `/ws` route. */
export async function startWsGateway(
  options: WsGatewayOptions = {},
): Promise<WsGateway> {
  const logger = createLogger({ level: "info" });
  const hub = new ConnectionHub({ limits: wsLimits(options.limits) });
  const registry = new MethodRegistry();
  registry.register(options.methods?.(hub, logger) ?? []);
  registry.advertiseEvents(options.events ?? []);
  const startedAt = performance.now();
  const deps: SessionDeps = {
    hub,
    registry,
    authenticate: options.authenticate ?? tokenAuthenticator(),
    server: { version: "9.9.9", commit: "abc1234", host: "test-host" },
    logger: logger.child("gateway.ws"),
    uptimeMs: () => performance.now() - startedAt,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...options.deps,
  };
  const app = createGatewayApp({
    version: "9.9.9",
    commit: "abc1234",
    logger,
    rateLimit: false,
    routes: (a) => a.get("/ws", wsRoute(deps)),
  });
  const server = await serveGateway(app, {
    hostname: "127.0.0.1",
    port: 0,
    logger,
    drainTimeoutMs: 500,
  });
  return {
    url: `ws://127.0.0.1:${server.port}/ws`,
    hub,
    registry,
    logger,
    async [Symbol.asyncDispose]() {
      hub.shutdown({ reason: "test done" });
      await server.shutdown();
    },
  };
}

/** A parsed frame from the server. */
export type Frame = Record<string, unknown> & { type: string };

/** The close of a socket as the client saw it. */
export interface Closed {
  code: number;
  reason: string;
}

/** A WebSocket client that queues frames and awaits them. */
export class TestClient implements AsyncDisposable {
  readonly socket: WebSocket;
  readonly frames: Frame[] = [];
  readonly closed: Promise<Closed>;
  readonly opened: Promise<void>;
  #waiters: (() => void)[] = [];
  #nextId = 0;

  /** `headers` go on the upgrade request (Deno's WebSocket option). */
  constructor(url: string, options: { headers?: Record<string, string> } = {}) {
    this.socket = options.headers
      ? new WebSocket(url, { headers: options.headers })
      : new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.socket.onopen = () => resolve();
      this.socket.onerror = () => reject(new Error(`cannot open ${url}`));
    });
    this.opened.catch(() => {});
    this.closed = new Promise((resolve) => {
      this.socket.onclose = (e) => {
        resolve({ code: e.code, reason: e.reason });
        this.#wake();
      };
    });
    this.socket.onmessage = (e) => {
      this.frames.push(JSON.parse(e.data as string));
      this.#wake();
    };
  }

  /** Waits for the first queued frame matching `match` and removes it. */
  async next(
    match: (frame: Frame) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const index = this.frames.findIndex(match);
      if (index >= 0) return this.frames.splice(index, 1)[0]!;
      const left = deadline - Date.now();
      if (left <= 0 || this.socket.readyState === WebSocket.CLOSED) {
        throw new Error(
          `no matching frame; got ${JSON.stringify(this.frames).slice(0, 500)}`,
        );
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
    }
  }

  /** Waits for an event by name. */
  event(name: string, timeoutMs?: number): Promise<Frame> {
    return this.next((f) => f.type === "event" && f.event === name, timeoutMs);
  }

  /** Sends a raw text or binary message. */
  sendRaw(data: string | Uint8Array<ArrayBuffer>): void {
    this.socket.send(data);
  }

  /** Sends a request and waits for its response frame. */
  async request(method: string, params?: unknown): Promise<Frame> {
    const id = `r${++this.#nextId}`;
    this.send({ type: "req", id, method, params });
    return await this.next((f) => f.type === "res" && f.id === id);
  }

  /** Sends a request frame without waiting. */
  send(frame: unknown): void {
    this.socket.send(JSON.stringify(frame));
  }

  /** Performs challenge + connect with `overrides` merged into the params. */
  async connect(overrides: Record<string, unknown> = {}): Promise<Frame> {
    await this.event("connect.challenge");
    return await this.request("connect", connectParamsFor(overrides));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.socket.readyState !== WebSocket.CLOSED) this.socket.close();
    await this.closed;
  }

  #wake(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }
}

/** Valid `connect` params with the test token, merged with `overrides`. */
export function connectParamsFor(
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    minProtocol: 3,
    maxProtocol: 3,
    client: { id: "test", version: "1.0.0", platform: "linux", mode: "test" },
    auth: { token: TEST_TOKEN },
    ...overrides,
  };
}

/** Opens a client and completes the handshake. */
export async function connectedClient(
  url: string,
  overrides: Record<string, unknown> = {},
): Promise<TestClient> {
  const client = new TestClient(url);
  const hello = await client.connect(overrides);
  if (hello.ok !== true) {
    throw new Error(`connect failed: ${JSON.stringify(hello)}`);
  }
  return client;
}
