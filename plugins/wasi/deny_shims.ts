/**
 * Our own WASI 0.2 shims for plugins (sandbox layer "capability"): deny by
 * default. A plugin sees no environment, no arguments, no preopened
 * directories and no sockets; stdout/stderr writes are discarded; only
 * clocks and random numbers work. Any other `wasi:*` function throws
 * {@linkcode WasiDeniedError}, which traps the plugin's call, so a component
 * that imports the real filesystem or network gets nothing instead of a
 * shim that touches the machine (as `@bytecodealliance/preview2-shim` would).
 *
 * @module
 */

/** Thrown when a plugin calls a WASI function cara does not grant. */
export class WasiDeniedError extends Error {
  constructor(name: string) {
    super(
      `WASI call "${name}" denied: plugins have no filesystem, sockets, environment or process access`,
    );
    this.name = "WasiDeniedError";
  }
}

/** A namespace whose every member throws {@linkcode WasiDeniedError}. */
export function deniedNamespace(namespace: string): Record<string, unknown> {
  return new Proxy({}, {
    get(_target, member) {
      if (typeof member !== "string") return undefined;
      const name = `${namespace}#${member}`;
      return function denied() {
        throw new WasiDeniedError(name);
      };
    },
  });
}

/** A pollable that is always ready (clocks are the only thing to wait on). */
class Pollable {
  ready(): boolean {
    return true;
  }
  block(): void {}
}

/** An output stream that accepts and discards bytes (stdout/stderr). */
class OutputStream {
  checkWrite(): bigint {
    return 1_048_576n;
  }
  write(_bytes: Uint8Array): void {}
  blockingWriteAndFlush(_bytes: Uint8Array): void {}
  flush(): void {}
  blockingFlush(): void {}
  subscribe(): Pollable {
    return new Pollable();
  }
}

function randomBytes(length: bigint): Uint8Array {
  const bytes = new Uint8Array(Math.min(Number(length), 65_536));
  return crypto.getRandomValues(bytes);
}

function randomU64(): bigint {
  return new BigUint64Array(
    crypto.getRandomValues(new Uint8Array(8)).buffer,
  )[0] ??
    0n;
}

/** The WASI interfaces cara grants, keyed by name without version. */
export function grantedWasi(): Record<string, Record<string, unknown>> {
  const start = performance.now();
  const random = { getRandomBytes: randomBytes, getRandomU64: randomU64 };
  return {
    "wasi:cli/environment": {
      getEnvironment: () => [],
      getArguments: () => [],
      initialCwd: () => undefined,
    },
    "wasi:cli/stdout": { getStdout: () => new OutputStream() },
    "wasi:cli/stderr": { getStderr: () => new OutputStream() },
    "wasi:cli/terminal-stdout": { getTerminalStdout: () => undefined },
    "wasi:cli/terminal-stderr": { getTerminalStderr: () => undefined },
    "wasi:cli/terminal-stdin": { getTerminalStdin: () => undefined },
    "wasi:filesystem/preopens": { getDirectories: () => [] },
    "wasi:io/streams": { OutputStream, InputStream: class InputStream {} },
    "wasi:io/poll": {
      Pollable,
      poll: (list: unknown[]) => list.map((_, i) => i),
    },
    "wasi:io/error": { Error: class WasiIoError {} },
    "wasi:clocks/monotonic-clock": {
      now: () => BigInt(Math.round((performance.now() - start) * 1e6)),
      resolution: () => 1_000n,
      subscribeInstant: () => new Pollable(),
      subscribeDuration: () => new Pollable(),
    },
    "wasi:clocks/wall-clock": {
      now: () => {
        const ms = Date.now();
        return {
          seconds: BigInt(Math.floor(ms / 1000)),
          nanoseconds: (ms % 1000) * 1e6,
        };
      },
      resolution: () => ({ seconds: 0n, nanoseconds: 1e6 }),
    },
    "wasi:random/random": random,
    "wasi:random/insecure": random,
    "wasi:random/insecure-seed": {
      insecureSeed: () => [randomU64(), randomU64()],
    },
  };
}
