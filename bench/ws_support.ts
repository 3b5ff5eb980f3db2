/**
 * Shared parts of the WebSocket benchmarks: percentiles in microseconds, a
 * bare Deno WebSocket echo server (the baseline), and a promise-based socket.
 *
 * @module
 */

/** Percentiles of samples in microseconds. */
export interface Percentiles {
  samples: number;
  p50_us: number;
  p99_us: number;
  min_us: number;
  max_us: number;
}

/** Nearest-rank percentiles of samples given in milliseconds. */
export function percentiles(samplesMs: readonly number[]): Percentiles {
  if (samplesMs.length === 0) {
    throw new RangeError("Summarize samples failed: there are no samples");
  }
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round(
      (sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN) * 1000,
    );
  return {
    samples: sorted.length,
    p50_us: at(0.5),
    p99_us: at(0.99),
    min_us: at(0),
    max_us: at(1),
  };
}

/** A bare `Deno.serve` + `Deno.upgradeWebSocket` echo server on loopback. */
export function startEchoServer(): { url: string } & AsyncDisposable {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) => {
      const { socket, response } = Deno.upgradeWebSocket(request);
      socket.onmessage = (event) => socket.send(event.data);
      return response;
    },
  );
  return {
    url: `ws://127.0.0.1:${server.addr.port}/`,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

/** A client socket whose next message and close can be awaited. */
export class BenchSocket {
  readonly socket: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<void>;
  #resolve: ((data: string) => void) | undefined;
  #queue: string[] = [];

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.socket.onopen = () => resolve();
      this.socket.onerror = () => reject(new Error(`cannot open ${url}`));
    });
    this.closed = new Promise((
      resolve,
    ) => (this.socket.onclose = () => resolve()));
    this.socket.onmessage = (event) => {
      const resolve = this.#resolve;
      if (resolve === undefined) this.#queue.push(event.data as string);
      else {
        this.#resolve = undefined;
        resolve(event.data as string);
      }
    };
  }

  /** The next message's text. */
  next(): Promise<string> {
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => (this.#resolve = resolve));
  }

  /** Closes and waits for the close to complete. */
  async close(): Promise<void> {
    this.socket.close();
    await this.closed;
  }
}

/** The gateway token of the bench gateways. */
export const BENCH_TOKEN = "bench-token-0123456789abcdef";

/**
 * The gateway exactly as `cara start` wires it (real authenticator, pairing
 * registry, SQLite) in a throw-away state dir, with an optional config text.
 */
export async function startBenchGateway(
  configText?: string,
): Promise<{ wsUrl: string } & AsyncDisposable> {
  const { startGateway } = await import("../gateway/start_gateway.ts");
  const stateDir = await Deno.makeTempDir({ prefix: "cara-bench-ws-" });
  if (configText !== undefined) {
    await Deno.writeTextFile(`${stateDir}/carapace.json5`, configText);
  }
  const gateway = await startGateway({
    env: {
      CARAPACE_STATE_DIR: stateDir,
      HOME: stateDir,
      CARAPACE_GATEWAY_TOKEN: BENCH_TOKEN,
    },
    port: 0,
  });
  return {
    wsUrl: `${gateway.url.replace("http", "ws")}/ws`,
    async [Symbol.asyncDispose]() {
      await gateway.shutdown();
      await Deno.remove(stateDir, { recursive: true });
    },
  };
}

/** The next frame that is not an event (presence, tick) sent meanwhile. */
export async function nextNonEvent(socket: BenchSocket): Promise<string> {
  while (true) {
    const text = await socket.next();
    if (!text.startsWith('{"type":"event"')) return text;
  }
}

/** The bench client's `connect` request: protocol 3, the bench token, and a signed device when given. */
export function connectFrame(
  options: { scopes: string[]; token?: string; device?: unknown },
): string {
  return JSON.stringify({
    type: "req",
    id: "c",
    method: "connect",
    params: {
      minProtocol: 3,
      maxProtocol: 3,
      client: { id: "test", version: "1", platform: "bench", mode: "test" },
      scopes: options.scopes,
      auth: { token: options.token ?? BENCH_TOKEN },
      ...(options.device === undefined ? {} : { device: options.device }),
    },
  });
}

/**
 * Opens `url` and completes a token-authenticated `connect` (no device:
 * loopback with a token is local-direct), returning the open socket.
 */
export async function connectWithToken(
  url: string,
  options: { scopes: string[]; token?: string },
): Promise<BenchSocket> {
  const socket = new BenchSocket(url);
  await socket.next(); // connect.challenge
  socket.socket.send(connectFrame(options));
  const hello = await nextNonEvent(socket);
  if (!hello.includes('"ok":true')) {
    throw new Error(`Bench connect failed: ${hello.slice(0, 300)}`);
  }
  return socket;
}
