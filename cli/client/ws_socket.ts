/**
 * A small RFC 6455 WebSocket client over any byte stream (TCP or TLS).
 * The CLI needs it because Deno's `WebSocket` cannot be handed a TLS
 * connection verified against a pinned certificate (see tls_pinning.ts).
 *
 * @module
 */

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const MAX_HEADER_BYTES = 16 * 1024;
/** The largest message accepted from the gateway: 8 MiB. */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/** A WebSocket failure (handshake refused, protocol violation, closed). */
export class WsSocketError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "WsSocketError";
  }
}

/**
 * An open client WebSocket.
 *
 * @example
 * ```ts
 * const ws = await WsSocket.open(await Deno.connect({ hostname, port }), { host: "127.0.0.1:18789", path: "/ws" });
 * await ws.send('{"type":"req"}');
 * const text = await ws.receive();
 * ```
 */
export class WsSocket {
  readonly #conn: Deno.Conn;
  #buffer: Uint8Array = new Uint8Array(0);
  #closed = false;

  private constructor(conn: Deno.Conn, rest: Uint8Array) {
    this.#conn = conn;
    this.#buffer = rest;
  }

  /** Performs the opening handshake on `conn` (closed on failure). */
  static async open(
    conn: Deno.Conn,
    target: { host: string; path: string },
  ): Promise<WsSocket> {
    try {
      const key = crypto.getRandomValues(new Uint8Array(16)).toBase64();
      const request =
        `GET ${target.path} HTTP/1.1\r\nHost: ${target.host}\r\n` +
        `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\n` +
        `Sec-WebSocket-Version: 13\r\n\r\n`;
      await writeAll(conn, new TextEncoder().encode(request));
      const { head, rest } = await readHead(conn);
      const [status, ...lines] = head.split("\r\n");
      if (!/^HTTP\/1\.1 101 /.test(status ?? "")) {
        throw new WsSocketError(
          `the server answered "${
            (status ?? "").slice(0, 80)
          }" instead of switching to WebSocket`,
        );
      }
      const accept = lines.find((l) => /^sec-websocket-accept:/i.test(l))
        ?.split(":")[1]?.trim();
      const digest = await crypto.subtle.digest(
        "SHA-1",
        new TextEncoder().encode(key + GUID),
      );
      if (accept !== new Uint8Array(digest).toBase64()) {
        throw new WsSocketError("the server's Sec-WebSocket-Accept is wrong");
      }
      return new WsSocket(conn, rest);
    } catch (error) {
      try {
        conn.close();
      } catch { /* already closed */ }
      throw error;
    }
  }

  /** Sends one text message. */
  async send(text: string): Promise<void> {
    await this.#sendFrame(0x1, new TextEncoder().encode(text));
  }

  /**
   * The next text (or UTF-8 binary) message; `null` once the server closed.
   * Pings are answered with pongs.
   */
  async receive(): Promise<
    { text: string } | { closed: number; reason: string }
  > {
    const parts: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const head = await this.#read(2);
      const fin = (head[0]! & 0x80) !== 0;
      const opcode = head[0]! & 0x0f;
      if ((head[1]! & 0x80) !== 0) {
        throw new WsSocketError("the server sent a masked frame");
      }
      let length = head[1]! & 0x7f;
      if (length === 126) {
        const ext = await this.#read(2);
        length = (ext[0]! << 8) | ext[1]!;
      } else if (length === 127) {
        const ext = await this.#read(8);
        const big = new DataView(ext.buffer, ext.byteOffset, 8).getBigUint64(0);
        if (big > BigInt(MAX_MESSAGE_BYTES)) throw tooLarge();
        length = Number(big);
      }
      if (size + length > MAX_MESSAGE_BYTES) throw tooLarge();
      const payload = await this.#read(length);
      if (opcode === 0x8) {
        this.#closed = true;
        const code = payload.length >= 2
          ? (payload[0]! << 8) | payload[1]!
          : 1005;
        const reason = new TextDecoder().decode(payload.subarray(2));
        await this.#sendFrame(0x8, payload.subarray(0, 2)).catch(() => {});
        this.#conn.close();
        return { closed: code, reason };
      }
      if (opcode === 0x9) {
        await this.#sendFrame(0xa, payload);
        continue;
      }
      if (opcode === 0xa) continue;
      if (opcode !== 0x0 && opcode !== 0x1 && opcode !== 0x2) {
        throw new WsSocketError(`the server sent unknown opcode ${opcode}`);
      }
      parts.push(payload);
      size += length;
      if (fin) {
        const all = new Uint8Array(size);
        let offset = 0;
        for (const part of parts) {
          all.set(part, offset);
          offset += part.length;
        }
        return { text: new TextDecoder("utf-8", { fatal: true }).decode(all) };
      }
    }
  }

  /** Sends a close frame (1000) and closes the connection. */
  async close(code = 1000): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#sendFrame(0x8, new Uint8Array([code >> 8, code & 0xff]))
      .catch(() => {});
    try {
      this.#conn.close();
    } catch { /* already closed */ }
  }

  async #sendFrame(opcode: number, payload: Uint8Array): Promise<void> {
    const length = payload.length;
    const extra = length < 126 ? 0 : length < 65536 ? 2 : 8;
    const frame = new Uint8Array(2 + extra + 4 + length);
    frame[0] = 0x80 | opcode;
    if (extra === 0) frame[1] = 0x80 | length;
    else if (extra === 2) {
      frame[1] = 0x80 | 126;
      frame[2] = length >> 8;
      frame[3] = length & 0xff;
    } else {
      frame[1] = 0x80 | 127;
      new DataView(frame.buffer).setBigUint64(2, BigInt(length));
    }
    const mask = crypto.getRandomValues(new Uint8Array(4));
    frame.set(mask, 2 + extra);
    const start = 2 + extra + 4;
    for (let i = 0; i < length; i++) {
      frame[start + i] = payload[i]! ^ mask[i & 3]!;
    }
    await writeAll(this.#conn, frame);
  }

  async #read(n: number): Promise<Uint8Array> {
    while (this.#buffer.length < n) {
      const chunk = new Uint8Array(
        Math.max(16 * 1024, n - this.#buffer.length),
      );
      const got = await this.#conn.read(chunk);
      if (got === null) {
        this.#closed = true;
        throw new WsSocketError("the connection closed unexpectedly");
      }
      const next = new Uint8Array(this.#buffer.length + got);
      next.set(this.#buffer);
      next.set(chunk.subarray(0, got), this.#buffer.length);
      this.#buffer = next;
    }
    const out = this.#buffer.slice(0, n);
    this.#buffer = this.#buffer.subarray(n);
    return out;
  }
}

function tooLarge(): WsSocketError {
  return new WsSocketError(
    `the server sent a message over ${MAX_MESSAGE_BYTES} bytes`,
  );
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    written += await conn.write(bytes.subarray(written));
  }
}

async function readHead(
  conn: Deno.Conn,
): Promise<{ head: string; rest: Uint8Array }> {
  let data = new Uint8Array(0);
  for (;;) {
    const end = indexOfBlankLine(data);
    if (end >= 0) {
      return {
        head: new TextDecoder().decode(data.subarray(0, end)),
        rest: data.slice(end + 4),
      };
    }
    if (data.length > MAX_HEADER_BYTES) {
      throw new WsSocketError("the server's handshake response is too large");
    }
    const chunk = new Uint8Array(4096);
    const got = await conn.read(chunk);
    if (got === null) {
      throw new WsSocketError("the connection closed during the handshake");
    }
    const next = new Uint8Array(data.length + got);
    next.set(data);
    next.set(chunk.subarray(0, got), data.length);
    data = next;
  }
}

function indexOfBlankLine(data: Uint8Array): number {
  for (let i = 0; i + 3 < data.length; i++) {
    if (
      data[i] === 13 && data[i + 1] === 10 && data[i + 2] === 13 &&
      data[i + 3] === 10
    ) return i;
  }
  return -1;
}
