/**
 * Runs `cara start` as a child process the way a user does, for CLI tests.
 *
 * @module
 */
import { selfCommand } from "../../cli/self_command.ts";

/** A `cara start` child that has printed its listening line. */
export interface GatewayProcess extends AsyncDisposable {
  child: Deno.ChildProcess;
  url: string;
  port: number;
  /** Everything the child wrote on stderr so far (log lines). */
  stderr(): string;
  /** Sends a signal and waits for the exit status. */
  stop(signal?: Deno.Signal): Promise<Deno.CommandStatus>;
}

const LISTENING = /listening on (https?:\/\/[^\s]+) /;

/**
 * Spawns `cara <args>` (e.g. `["start", "--port", "0"]`) and waits (≤ 20 s)
 * for its listening line; `mainModule` runs another build (the bundle).
 */
export async function spawnGateway(
  args: string[],
  env: Record<string, string>,
  options: { mainModule?: string } = {},
): Promise<GatewayProcess> {
  const { command, args: fullArgs } = selfCommand(args, options);
  const child = new Deno.Command(command, {
    args: fullArgs,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let err = "";
  const stderrDone = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (chunk) => void (err += chunk) }),
  );
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  const deadline = Date.now() + 20_000;
  while (!LISTENING.test(out)) {
    const timer = setTimeout(
      () => child.kill("SIGKILL"),
      Math.max(0, deadline - Date.now()),
    );
    const { value, done } = await reader.read();
    clearTimeout(timer);
    if (done) {
      await stderrDone.catch(() => {});
      const status = await child.status;
      throw new Error(
        `cara start exited (code ${status.code}) before listening:\n${out}\n${err}`,
      );
    }
    out += value;
  }
  const stdoutDone = (async () => {
    while (!(await reader.read()).done) { /* drain */ }
  })();
  const url = LISTENING.exec(out)![1]!;
  let exited: Promise<Deno.CommandStatus> | undefined;
  const stop = async (signal: Deno.Signal = "SIGTERM") => {
    if (exited === undefined) {
      try {
        child.kill(signal);
      } catch { /* already gone */ }
      exited = child.status;
    }
    const status = await exited;
    await Promise.all([stdoutDone, stderrDone]).catch(() => {});
    return status;
  };
  return {
    child,
    url,
    port: Number(new URL(url).port),
    stderr: () => err,
    stop,
    [Symbol.asyncDispose]: async () => {
      await stop("SIGKILL");
    },
  };
}
