/**
 * The CLI's gateway client (cli.md §0 "WebSocket client"): transport rule,
 * TLS with pinning, `connect.challenge` → signed `connect` → requests.
 *
 * @module
 */
import { isLoopbackHost } from "../../gateway/net/loopback.ts";
import { requestError } from "./request_error.ts";
import { BUILD_INFO } from "../../gateway/build_info.ts";
import type { Env } from "../../gateway/config/paths.ts";
import { CaraError } from "../../gateway/errors.ts";
import { signDeviceProof } from "../../gateway/protocol/device_signature.ts";
import type { ConnectParams, Role } from "../../gateway/protocol/types.ts";
import type { DeviceIdentity } from "../device_identity.ts";
import type { ClientAuth } from "./client_auth.ts";
import { connectGatewayTls, hostPortOf } from "./tls_pinning.ts";
import { WsSocket } from "./ws_socket.ts";

/** Options of {@linkcode connectGateway}. */
export interface ConnectGatewayOptions {
  host: string;
  port: number;
  tls: boolean;
  trust: boolean;
  allowPlaintext: boolean;
  role: Role;
  scopes: string[];
  auth: ClientAuth;
  identity: DeviceIdentity;
  env: Env;
  /** Warnings and notices (stderr). */
  warn: (line: string) => void;
  /** How long to wait for `connect.challenge` (default 30 s). */
  challengeTimeoutMs?: number;
}

/**
 * Connects and completes the handshake.
 *
 * @throws {CaraError} for the transport rule, TLS trust, refused connects
 * @example
 * ```ts
 * await using client = await connectGateway({ host: "127.0.0.1", port: 18789, ... });
 * const tail = await client.request("logs.tail", { limit: 50 });
 * ```
 */
export async function connectGateway(
  options: ConnectGatewayOptions,
): Promise<GatewayClient> {
  const hostPort = hostPortOf(options.host, options.port);
  if (!options.tls && !isLoopbackHost(options.host)) {
    if (!options.allowPlaintext) {
      throw new CaraError(
        "plaintext_refused",
        `Cannot connect to gateway "${hostPort}" without TLS: it is not a loopback host; use --tls, or --allow-plaintext if the network is trusted`,
      );
    }
    options.warn(
      `Warning: connecting to "${hostPort}" over plaintext WebSocket; credentials and data are not encrypted\n`,
    );
  }
  if (options.trust && !options.tls) {
    options.warn("Warning: --trust has no effect without --tls\n");
  }
  let conn: Deno.Conn;
  try {
    conn = options.tls
      ? await connectGatewayTls({
        host: options.host,
        port: options.port,
        trust: options.trust,
        env: options.env,
        notice: (line) => options.warn(`${line}\n`),
      })
      : await Deno.connect({ hostname: options.host, port: options.port });
  } catch (error) {
    if (error instanceof CaraError) throw error;
    throw new CaraError(
      "gateway_unreachable",
      `Cannot reach the gateway at "${hostPort}": ${
        error instanceof Error
          ? error.message.replace(/\s*\(os error \d+\)/, "")
          : String(error)
      }; start it with "cara start" or check --host/--port`,
      { cause: error },
    );
  }
  const socket = await WsSocket.open(conn, { host: hostPort, path: "/ws" })
    .catch((error: unknown) => {
      throw new CaraError(
        "gateway_handshake",
        `Cannot open a WebSocket to "${hostPort}": ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      );
    });
  const client = new GatewayClient(socket, hostPort);
  try {
    await client.handshake(options);
    return client;
  } catch (error) {
    await client.close();
    throw error;
  }
}

/** A server event frame (`{type:"event", event, payload, seq?}`). */
export interface GatewayEvent {
  event: string;
  payload: unknown;
  seq?: number;
}

/** Receives server events; see {@linkcode GatewayClient.onEvent}. */
export type GatewayEventListener = (event: GatewayEvent) => void;

interface Pending {
  method: string;
  resolve: (payload: unknown) => void;
  reject: (error: unknown) => void;
}

/** An authenticated connection to a gateway. */
export class GatewayClient implements AsyncDisposable {
  readonly #socket: WsSocket;
  readonly #hostPort: string;
  readonly #pending = new Map<string, Pending>();
  readonly #listeners = new Set<GatewayEventListener>();
  #pump: Promise<void> | undefined;
  #ended: CaraError | undefined;
  /** The `hello-ok` payload. */
  hello: Record<string, unknown> = {};

  constructor(socket: WsSocket, hostPort: string) {
    this.#socket = socket;
    this.#hostPort = hostPort;
  }

  /** @internal Waits for the challenge and sends the signed `connect`. */
  async handshake(options: ConnectGatewayOptions): Promise<void> {
    const timeoutMs = options.challengeTimeoutMs ?? 30_000;
    const challenge = await this.#withTimeout(this.#nextFrame(), timeoutMs);
    if (
      challenge?.type !== "event" || challenge.event !== "connect.challenge"
    ) {
      throw new CaraError(
        "gateway_handshake",
        `Cannot connect to gateway "${this.#hostPort}": expected connect.challenge, got ${
          JSON.stringify(challenge).slice(0, 100)
        }`,
      );
    }
    const nonce = (challenge.payload as { nonce?: unknown } | null)?.nonce;
    const client = {
      id: "cli",
      version: BUILD_INFO.version,
      platform: Deno.build.os,
      mode: "cli",
    };
    const params: Omit<ConnectParams, "device"> & { device?: unknown } = {
      minProtocol: 3,
      maxProtocol: 3,
      client,
      role: options.role,
      scopes: options.scopes,
    };
    const auth = options.auth.token !== undefined
      ? { token: options.auth.token }
      : options.auth.password !== undefined
      ? { password: options.auth.password }
      : undefined;
    if (auth === undefined) {
      options.warn(
        "No gateway token or password found; trying a local-direct connection\n",
      );
    } else params.auth = auth;
    params.device = await signDeviceProof(options.identity.keys, {
      clientId: client.id,
      clientMode: client.mode,
      role: options.role,
      scopes: options.scopes.length > 0 || options.role !== "operator"
        ? options.scopes
        : ["operator.admin"],
      signedAtMs: Date.now(),
      token: auth?.token,
      nonce: typeof nonce === "string" ? nonce : undefined,
    });
    // The connect reply is read inline; every later frame goes through the pump.
    await this.#socket.send(JSON.stringify({
      type: "req",
      id: "connect-1",
      method: "connect",
      params,
    }));
    for (;;) {
      const reply = await this.#nextFrame();
      if (reply === null) {
        throw new CaraError(
          "gateway_closed",
          `connect failed: the gateway closed the connection${this.#closeNote}`,
        );
      }
      if (reply.type !== "res" || reply.id !== "connect-1") continue;
      if (reply.ok !== true) {
        throw requestError("connect", reply.error, true, this.#hostPort);
      }
      this.hello = (reply.payload ?? {}) as Record<string, unknown>;
      break;
    }
    this.#pump = this.#run();
  }

  /**
   * Sends one request (`cli-<method with . → ->` unless `id` is given) and
   * returns its payload. Concurrent requests need distinct ids.
   */
  request(method: string, params?: unknown, id?: string): Promise<unknown> {
    const frameId = id ?? `cli-${method.replaceAll(".", "-")}`;
    if (this.#ended !== undefined) {
      return Promise.reject(this.#closedError(method));
    }
    if (this.#pending.has(frameId)) {
      return Promise.reject(
        new TypeError(
          `Cannot send "${method}" with id "${frameId}": a request with that id is still pending; pass a distinct id`,
        ),
      );
    }
    const frame: Record<string, unknown> = { type: "req", id: frameId, method };
    if (params !== undefined) frame.params = params;
    return new Promise((resolve, reject) => {
      this.#pending.set(frameId, { method, resolve, reject });
      this.#socket.send(JSON.stringify(frame)).catch((error: unknown) => {
        this.#pending.delete(frameId);
        reject(
          new CaraError(
            "gateway_closed",
            `${method} failed: cannot send to the gateway: ${
              error instanceof Error ? error.message : String(error)
            }`,
            { cause: error },
          ),
        );
      });
    });
  }

  /**
   * Calls `listener` for every server event (e.g. `agent`, `chat`, `tick`)
   * received after the handshake; returns a function that unsubscribes.
   *
   * @example
   * ```ts
   * const off = client.onEvent((e) => { if (e.event === "chat") console.log(e.payload); });
   * ```
   */
  onEvent(listener: GatewayEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves when the connection has ended (closed by either side). */
  get closed(): Promise<void> {
    return this.#pump ?? Promise.resolve();
  }

  /** Closes the connection (1000). */
  async close(): Promise<void> {
    await this.#socket.close();
    await this.#pump;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #run(): Promise<void> {
    for (;;) {
      let frame: Record<string, unknown> | null;
      try {
        frame = await this.#nextFrame();
      } catch {
        frame = null;
      }
      if (frame === null) break;
      if (frame.type === "event" && typeof frame.event === "string") {
        const event: GatewayEvent = {
          event: frame.event,
          payload: frame.payload,
          ...(typeof frame.seq === "number" ? { seq: frame.seq } : {}),
        };
        for (const listener of [...this.#listeners]) listener(event);
        continue;
      }
      if (frame.type !== "res" || typeof frame.id !== "string") continue;
      const pending = this.#pending.get(frame.id);
      if (pending === undefined) continue;
      this.#pending.delete(frame.id);
      if (frame.ok === true) pending.resolve(frame.payload);
      else {
        pending.reject(
          requestError(pending.method, frame.error, false, this.#hostPort),
        );
      }
    }
    this.#ended = this.#closedError("request");
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      pending.reject(this.#closedError(pending.method));
    }
  }

  #closedError(method: string): CaraError {
    return new CaraError(
      "gateway_closed",
      `${method} failed: the gateway closed the connection${this.#closeNote}`,
    );
  }

  #closeNote = "";

  async #nextFrame(): Promise<Record<string, unknown> | null> {
    for (;;) {
      const message = await this.#socket.receive();
      if ("closed" in message) {
        this.#closeNote = ` (code ${message.closed}${
          message.reason ? `: ${message.reason}` : ""
        })`;
        return null;
      }
      try {
        const value = JSON.parse(message.text);
        if (typeof value === "object" && value !== null) return value;
      } catch {
        // not JSON: ignore the frame
      }
    }
  }

  async #withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new CaraError(
              "gateway_handshake",
              `Cannot connect to gateway "${this.#hostPort}": connect.challenge timed out after ${ms} ms`,
            ),
          ),
        ms,
      );
    });
    try {
      return await Promise.race([promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
