// A child process that holds the daemon lock of the state dir in Deno.args[0]
// until its stdin closes.
import { acquireDaemonLock } from "../../../gateway/daemon/lock.ts";

const lock = await acquireDaemonLock(Deno.args[0] ?? "");
await Deno.stdout.write(new TextEncoder().encode("locked\n"));
for await (const _ of Deno.stdin.readable) {
  // wait for EOF
}
await lock.release();
