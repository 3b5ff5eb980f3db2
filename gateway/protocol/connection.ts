/**
 * One WebSocket connection: its outbound queue with slow-consumer detection,
 * its message-rate bucket, its lifecycle and the `ConnectionInfo` it gets
 * once the handshake succeeds.
 *
 * @module
 */
import { utf8Length, type WsLimits } from "./limits.ts";
import { TokenBucket } from "./token_bucket.ts";
import type { ConnectionInfo } from "./types.ts";

/** The part of a WebSocket a connection uses (Deno's WebSocket fits). */
export interface WsSocket {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  readonly bufferedAmount: number;
}

/** Options of {@linkcode Connection}. */
export interface ConnectionOptions {
  connId: string;
  remoteIp: string;
  headers: Headers;
  limits: WsLimits;
  /** Monotonic clock in milliseconds for the rate bucket. */
  clock?: () => number;
  /** Called once when the connection ends, whoever closed it. */
  onClosed?: (conn: Connection) => void;
}

// Hand frames to the socket only while its own buffer is below this; the
// rest waits in `#pending` where it is counted against the limits.
const SOCKET_HIGH_WATER = 256 * 1024;
const FLUSH_RETRY_MS = 5;
const MAX_CLOSE_REASON_BYTES = 123;

/** A connection, from upgrade to close. */
export class Connection {
  readonly connId: string;
  readonly remoteIp: string;
  readonly headers: Headers;
  /** The `connect.challenge` nonce. */
  readonly nonce: string = crypto.randomUUID();
  /** Set when `hello-ok` is sent. */
  info: ConnectionInfo | null = null;
  /** `true` while the authenticator decides the `connect`. */
  authenticating = false;
  /** Consecutive rate-limited messages. */
  strikes = 0;
  readonly #socket: WsSocket;
  readonly #limits: WsLimits;
  readonly #bucket: TokenBucket;
  // Made on first use: most connections never need their signal.
  #abort: AbortController | undefined;
  #ended = false;
  readonly #onClosed: ((conn: Connection) => void) | undefined;
  readonly #pending: string[] = [];
  #pendingBytes = 0;
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  #closeCode: number | null = null;

  constructor(socket: WsSocket, options: ConnectionOptions) {
    this.#socket = socket;
    this.connId = options.connId;
    this.remoteIp = options.remoteIp;
    this.headers = options.headers;
    this.#limits = options.limits;
    this.#onClosed = options.onClosed;
    this.#bucket = new TokenBucket({
      rate: options.limits.messageRate,
      burst: options.limits.messageBurst,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
  }

  /** Aborted when the connection ends. */
  get signal(): AbortSignal {
    if (this.#abort === undefined) {
      this.#abort = new AbortController();
      if (this.#ended) this.#abort.abort(closedReason());
    }
    return this.#abort.signal;
  }

  /** Whether the connection has ended. */
  get closed(): boolean {
    return this.#ended;
  }

  /** The close code this side chose, if it closed the connection. */
  get closeCode(): number | null {
    return this.#closeCode;
  }

  /** Bytes waiting to reach the peer (socket buffer plus pending frames). */
  backlog(): number {
    return this.closed ? 0 : this.#socket.bufferedAmount + this.#pendingBytes;
  }

  /** Takes a rate token: `0` when allowed, else ms until the next token. */
  takeToken(): number {
    return this.#bucket.take();
  }

  /**
   * Queues a frame (object or serialized text). Returns `false` when the
   * connection is closed or was just closed as a slow consumer.
   */
  send(frame: unknown, serialized?: string): boolean {
    if (this.closed) return false;
    const text = serialized ?? JSON.stringify(frame);
    if (
      this.#pending.length === 0 &&
      this.#socket.bufferedAmount < SOCKET_HIGH_WATER
    ) {
      return this.#write(text);
    }
    this.#pending.push(text);
    this.#pendingBytes += utf8Length(text);
    if (
      this.#pending.length > this.#limits.maxPendingFrames ||
      this.backlog() > this.#limits.maxBufferedBytes
    ) {
      this.close(1008, "slow consumer");
      return false;
    }
    this.#flushTimer ??= setTimeout(() => this.#flush(), FLUSH_RETRY_MS);
    return true;
  }

  /** Closes the socket (once) and ends the connection. */
  close(code: number, reason = ""): void {
    if (this.closed) return;
    this.#closeCode = code;
    this.#end();
    try {
      this.#socket.close(code, truncateReason(reason));
    } catch {
      // the socket is already closing
    }
  }

  /** Marks the connection ended because the socket closed from the other side. */
  socketClosed(): void {
    if (!this.closed) this.#end();
  }

  #write(text: string): boolean {
    try {
      this.#socket.send(text);
      return true;
    } catch {
      this.socketClosed();
      return false;
    }
  }

  #flush(): void {
    this.#flushTimer = undefined;
    while (
      this.#pending.length > 0 && !this.closed &&
      this.#socket.bufferedAmount < SOCKET_HIGH_WATER
    ) {
      const text = this.#pending.shift()!;
      this.#pendingBytes -= utf8Length(text);
      if (!this.#write(text)) return;
    }
    if (this.#pending.length > 0 && !this.closed) {
      this.#flushTimer = setTimeout(() => this.#flush(), FLUSH_RETRY_MS);
    }
  }

  #end(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    this.#pending.length = 0;
    this.#pendingBytes = 0;
    // A shared reason: `abort()` without one builds a DOMException with a stack
    // trace per connection, a tenth of a handshake's CPU time.
    this.#ended = true;
    this.#abort?.abort(closedReason());
    this.#onClosed?.(this);
  }
}

// Made on first use: the first DOMException of a process builds its stack
// trace machinery, a few ms that start-up need not pay.
let connectionClosed: DOMException | undefined;
function closedReason(): DOMException {
  return connectionClosed ??= new DOMException(
    "the connection closed",
    "AbortError",
  );
}

function truncateReason(reason: string): string {
  const bytes = new TextEncoder().encode(reason);
  if (bytes.length <= MAX_CLOSE_REASON_BYTES) return reason;
  return new TextDecoder().decode(bytes.slice(0, MAX_CLOSE_REASON_BYTES))
    .replace(/\uFFFD$/, "");
}
