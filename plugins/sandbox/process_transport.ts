/**
 * Starts a plugin sandbox in a child process of cara itself (sandbox layer
 * "process"): SIGKILL ends a runaway call for certain at the call limit, the
 * V8 heap is capped (`DENO_V8_FLAGS`, which the compiled binary honours
 * where it takes no flags), and the child gets an empty environment, so no
 * secret of the gateway's environment exists in its address space. The
 * child drops every Deno permission before it loads the plugin
 * (process_host.ts).
 *
 * Messages travel as JSON lines over a Unix socket where the platform has
 * them (a third of a pipe's round trip in Deno), else over the child's
 * stdio. The socket lives in a fresh owner-only directory, is removed once
 * the child connected, and the child must first send the nonce only it was
 * given.
 *
 * @module
 */
import { selfCommand } from "../../cli/self_command.ts";
import type { HostFunctions } from "../host/types.ts";
import {
  type ByteWriter,
  LineWriter,
  readLines,
  readStreamLines,
} from "./line_channel.ts";
import { decodeLine, encodeLine, type FromSandbox } from "./messages.ts";
import { SandboxSession, type SandboxSessionOptions } from "./session.ts";

/** The hidden command that runs {@linkcode runPluginHost}. */
export const PLUGIN_HOST_ARGS: readonly string[] = ["plugins", "__host"];

/** The environment variable carrying the socket nonce to the child. */
export const PLUGIN_NONCE_ENV = "CARA_PLUGIN_NONCE";

/** Options of {@linkcode processSession}. */
export interface ProcessSessionOptions extends SandboxSessionOptions {
  /** V8 old-space cap of the child in MiB; default 256. */
  heapMiB?: number;
  /** Passed to selfCommand (tests). */
  execPath?: string;
  /** `"stdio"` forces the pipe channel (default: a socket where possible). */
  channel?: "socket" | "stdio";
}

interface Socket {
  dir: string;
  path: string;
  listener: Deno.Listener<Deno.UnixConn, Deno.UnixAddr>;
}

function openSocket(): Socket | null {
  if (Deno.build.os === "windows") return null;
  const dir = Deno.makeTempDirSync({ prefix: "cara-plugin-" });
  try {
    Deno.chmodSync(dir, 0o700);
    const path = `${dir}/s`;
    return { dir, path, listener: Deno.listen({ transport: "unix", path }) };
  } catch {
    Deno.removeSync(dir, { recursive: true });
    return null;
  }
}

function closeSocket(socket: Socket): void {
  try {
    socket.listener.close();
  } catch {
    // already closed
  }
  try {
    Deno.removeSync(socket.dir, { recursive: true });
  } catch {
    // already gone
  }
}

/**
 * A {@linkcode SandboxSession} over a fresh `cara plugins __host` child.
 *
 * @example
 * ```ts
 * const session = processSession(host, { callTimeoutMs: 30_000 });
 * await session.load(transpiled, 1024);
 * ```
 */
export function processSession(
  host: HostFunctions,
  options: ProcessSessionOptions = {},
): SandboxSession {
  const socket = options.channel === "stdio" ? null : openSocket();
  const nonce = crypto.randomUUID();
  const { command, args } = selfCommand(
    socket === null
      ? PLUGIN_HOST_ARGS
      : [...PLUGIN_HOST_ARGS, "--socket", socket.path],
    options.execPath === undefined ? {} : { execPath: options.execPath },
  );
  const child = new Deno.Command(command, {
    args,
    clearEnv: true,
    env: {
      DENO_V8_FLAGS: `--max-old-space-size=${options.heapMiB ?? 256}`,
      // A dropped permission is refused outright, never asked for.
      DENO_NO_PROMPT: "1",
      ...(socket === null ? {} : { [PLUGIN_NONCE_ENV]: nonce }),
    },
    stdin: socket === null ? "piped" : "null",
    stdout: socket === null ? "piped" : "null",
    stderr: "null",
  }).spawn();
  const kill = () => {
    try {
      child.kill("SIGKILL");
    } catch {
      // already exited
    }
  };
  // `writer` is made below; nothing is sent before this function returns.
  const session = new SandboxSession(
    {
      send: (message) => void writer.write(encodeLine(message)).catch(() => {}),
      kill,
    },
    host,
    options,
  );
  const receive = (line: string) => {
    if (line.trim() !== "") session.receive(decodeLine<FromSandbox>(line));
  };
  let output: ByteWriter | Promise<ByteWriter>;
  let closeOutput: () => void;
  if (socket === null) {
    const stdin = child.stdin.getWriter();
    output = { write: (bytes) => stdin.write(bytes).then(() => bytes.length) };
    closeOutput = () => void stdin.close().catch(() => {});
    readStreamLines(child.stdout, receive).catch(() => {});
  } else {
    const connected = acceptChild(socket, nonce, receive);
    connected.catch(kill);
    output = connected;
    closeOutput = () => {
      closeSocket(socket);
      connected.then((conn) => conn.close()).catch(() => {});
    };
  }
  const writer = new LineWriter(output);
  child.status.then((status) => {
    closeOutput();
    const how = status.signal
      ? `signal ${status.signal}`
      : `code ${status.code}`;
    session.exited(`the plugin process exited (${how})`);
  });
  return session;
}

/**
 * Accepts the child's connection, removes the socket, checks the nonce
 * line, then feeds the following lines to `receive`.
 *
 * @throws Error when the first line is not the nonce
 */
async function acceptChild(
  socket: Socket,
  nonce: string,
  receive: (line: string) => void,
): Promise<Deno.UnixConn> {
  let conn: Deno.UnixConn;
  try {
    conn = await socket.listener.accept();
  } finally {
    closeSocket(socket);
  }
  let verified: (ok: boolean) => void = () => {};
  const checked = new Promise<boolean>((resolve) => (verified = resolve));
  let first = true;
  readLines(conn, (line) => {
    if (!first) return receive(line);
    first = false;
    verified(line === nonce);
  }).catch(() => {}).finally(() => verified(false));
  if (!(await checked)) {
    conn.close();
    throw new Error("the plugin process did not identify itself");
  }
  return conn;
}
