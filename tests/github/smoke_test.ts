import { assert, assertMatch } from "../_helpers.ts";
import { selfCommand } from "../../cli/self_command.ts";
import { smokeTest } from "../../.github/scripts/smoke.ts";

function denoEval(code: string) {
  return { command: Deno.execPath(), args: ["eval", code] };
}

Deno.test("smokeTest() passes when cara from this checkout prints its version and answers /health", async () => {
  const log = await smokeTest(selfCommand([]));
  assertMatch(log[0] ?? "", /^cara version: .*0\.\d+\.\d+/);
  assertMatch(
    log[1] ?? "",
    /^cara start: GET \/health answered 200 after \d+ ms$/,
  );
});

Deno.test("smokeTest() names the version step when cara version fails", async () => {
  const error = await smokeTest(denoEval("Deno.exit(4)")).catch((e: unknown) =>
    e
  );
  assert(error instanceof Error);
  assertMatch(error.message, /^Run "cara version" failed: exit code 4/);
});

Deno.test("smokeTest() fails after the timeout when cara start never answers", async () => {
  const fake = denoEval(
    'if (Deno.args[0] === "version") console.log("cara 9.9.9"); else setTimeout(() => {}, 60_000);',
  );
  const error = await smokeTest(fake, { timeoutMs: 500 }).catch((e: unknown) =>
    e
  );
  assert(error instanceof Error);
  assertMatch(error.message, /no 200 within 500 ms/);
});
