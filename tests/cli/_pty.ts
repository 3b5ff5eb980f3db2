/**
 * Runs `cara <args>` inside a pseudo-terminal (Python's pty module) and
 * scripts it: wait for a text, then type something.
 *
 * @module
 */
import { selfCommand } from "../../cli/self_command.ts";

const DRIVER = `
import json, os, pty, select, sys, time
argv, steps, timeout = json.loads(sys.argv[1]), json.loads(sys.argv[2]), float(sys.argv[3])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out = b""
deadline = time.time() + timeout
mark = 0
def pump(until=None):
    global out
    while time.time() < deadline:
        if until is not None and until.encode() in out[mark:]:
            return True
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                return False
            if not chunk:
                return False
            out += chunk
    return False
for step in steps:
    if not pump(step["wait"]):
        break
    out += b"<<" + step["send"].encode("unicode_escape") + b">>"
    mark = len(out)
    os.write(fd, step["send"].encode())
pump()
try:
    os.kill(pid, 9)
except ProcessLookupError:
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status) & 0xff)
`;

/** Runs `cara <args>` in a pty, typing each `send` once `wait` has appeared after the previous send. */
export async function runCaraInPty(
  args: string[],
  options: {
    env: Record<string, string>;
    steps: { wait: string; send: string }[];
    timeoutMs?: number;
  },
): Promise<{ code: number; output: string }> {
  const { command, args: full } = selfCommand(args);
  const out = await new Deno.Command("python3", {
    args: [
      "-c",
      DRIVER,
      JSON.stringify([command, ...full]),
      JSON.stringify(options.steps),
      String((options.timeoutMs ?? 20_000) / 1000),
    ],
    env: options.env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).output();
  return { code: out.code, output: new TextDecoder().decode(out.stdout) };
}
