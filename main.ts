/**
 * The `cara` executable: runs the CLI and exits with its code. No logic here.
 *
 * @module
 */
import { processContext } from "./cli/context.ts";
import { runCli } from "./cli/run.ts";

if (import.meta.main) {
  const code = await runCli(Deno.args, processContext());
  Deno.exit(code);
}
