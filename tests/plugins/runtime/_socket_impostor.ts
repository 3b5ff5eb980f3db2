/**
 * Run by process_sandbox_test.ts in place of `cara plugins __host`: connects
 * to the gateway's plugin socket with a wrong nonce and waits for a reply
 * that must never come.
 */
const path = Deno.args[Deno.args.indexOf("--socket") + 1]!;
const conn = await Deno.connect({ transport: "unix", path });
await conn.write(new TextEncoder().encode("not-the-nonce\n"));
await conn.read(new Uint8Array(1024));
