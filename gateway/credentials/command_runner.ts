/**
 * The edge where the OS keystore backends run their helper programs
 * (`security`, `secret-tool`, `powershell`). Secrets go through stdin, never argv.
 *
 * @module
 */

/** What a helper program produced. */
export interface CommandOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of one helper run. */
export interface RunOptions {
  stdin?: string;
  /** Kill the helper after this long (default 10 s). */
  timeoutMs?: number;
}

/** Runs a helper program; rejects with `Deno.errors.NotFound` when it is not installed. */
export type CommandRunner = (
  command: string,
  args: readonly string[],
  options?: RunOptions,
) => Promise<CommandOutput>;

/**
 * Runs `command` as a child process with piped stdio and a timeout.
 *
 * @example
 * ```ts
 * const out = await runCommand("secret-tool", ["lookup", "service", "carapace", "account", key]);
 * ```
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CommandOutput> {
  const child = new Deno.Command(command, {
    args: [...args],
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin)).catch(() => {});
    await writer.close().catch(() => {});
  }
  const out = await child.output();
  const decoder = new TextDecoder();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
  };
}
