/**
 * Spawning, health polling and stopping of server processes, shared by the
 * benchmarks and the release smoke test.
 *
 * @module
 */

/** A command line: `[command, ...args]`. */
export interface CommandLine {
  command: string;
  args: string[];
}

/** A running server child process. Disposing it stops the process. */
export interface ServerProcess extends AsyncDisposable {
  readonly pid: number;
  readonly port: number;
  /** `performance.now()` just before the spawn. */
  readonly startedAt: number;
  /** Resolves when the process has exited. */
  readonly status: Promise<Deno.CommandStatus>;
  /** The last few KiB the process wrote to stdout and stderr. */
  output(): string;
  /** Stops the process (SIGTERM, then SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

const OUTPUT_TAIL_BYTES = 4096;

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** Starts `line` as a server that will listen on `port`. */
export function spawnServer(
  line: CommandLine,
  options: { port: number; env?: Record<string, string> },
): ServerProcess {
  const startedAt = performance.now();
  const child = new Deno.Command(line.command, {
    args: line.args,
    ...(options.env === undefined ? {} : { env: options.env }),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let tail = "";
  const append = (text: string) => {
    tail = (tail + text).slice(-OUTPUT_TAIL_BYTES);
  };
  const drains = [child.stdout, child.stderr].map((stream) =>
    stream.pipeThrough(new TextDecoderStream()).pipeTo(
      new WritableStream({ write: append }),
    ).catch(() => {})
  );
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  async function stop(graceMs = 3000): Promise<void> {
    if (!exited) {
      trySignal(child, "SIGTERM");
      const timer = setTimeout(() => trySignal(child, "SIGKILL"), graceMs);
      try {
        await status;
      } finally {
        clearTimeout(timer);
      }
    }
    await Promise.all(drains);
  }
  return {
    pid: child.pid,
    port: options.port,
    startedAt,
    status,
    output: () => tail,
    stop,
    [Symbol.asyncDispose]: () => stop(),
  };
}

function trySignal(child: Deno.ChildProcess, signal: Deno.Signal): void {
  try {
    child.kill(signal);
  } catch {
    // already exited
  }
}

/**
 * Polls `GET http://127.0.0.1:<port>/health` until it answers 200 and
 * returns the milliseconds elapsed since `startedAt` (default: the spawn).
 *
 * @throws Error when the process exits first or `timeoutMs` passes
 */
export async function waitForHealth(
  server: ServerProcess,
  options: { startedAt?: number; timeoutMs?: number; intervalMs?: number } = {},
): Promise<number> {
  const startedAt = options.startedAt ?? server.startedAt;
  const deadline = startedAt + (options.timeoutMs ?? 30_000);
  const url = `http://127.0.0.1:${server.port}/health`;
  let exitCode: number | undefined;
  server.status.then((s) => exitCode = s.code);
  let last = "no answer yet";
  while (performance.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(
        `Wait for "${url}" failed: the process exited with code ${exitCode} before answering; its output was:\n${server.output()}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (response.status === 200) return performance.now() - startedAt;
      last = `status ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) =>
      setTimeout(resolve, options.intervalMs ?? 5)
    );
  }
  throw new Error(
    `Wait for "${url}" failed: no 200 within ${
      options.timeoutMs ?? 30_000
    } ms (last: ${last}); its output was:\n${server.output()}`,
  );
}
