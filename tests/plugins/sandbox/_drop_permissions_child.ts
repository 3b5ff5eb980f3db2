/**
 * Run as its own process by drop_permissions_test.ts: drops every
 * permission the way `cara plugins __host` does, then reports what each
 * kind of access does.
 */
import { dropPermissions } from "../../../plugins/sandbox/process_host.ts";

const probes: Record<string, () => unknown> = {
  read: () => Deno.readTextFileSync(Deno.args[0]!),
  write: () => Deno.writeTextFileSync(`${Deno.args[0]}.new`, "x"),
  net: () => fetch("http://127.0.0.1:18080/"),
  listen: () => Deno.listen({ hostname: "127.0.0.1", port: 0 }),
  env: () => Deno.env.get("HOME"),
  run: () => new Deno.Command("true").outputSync(),
  sys: () => Deno.hostname(),
  ffi: () => Deno.dlopen("libc.so.6", {}),
};

dropPermissions();
const results: Record<string, string> = {};
for (const [name, probe] of Object.entries(probes)) {
  try {
    await probe();
    results[name] = "allowed";
  } catch (error) {
    results[name] = (error as Error).name;
  }
}
// stdout was open before the drop and keeps working.
await Deno.stdout.write(new TextEncoder().encode(JSON.stringify(results)));
