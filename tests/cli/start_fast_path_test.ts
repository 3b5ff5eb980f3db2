import { Command } from "@commander-js/extra-typings";
import { captureContext } from "../../cli/context.ts";
import { startCommand } from "../../cli/start.ts";
import { parseStartFastPath } from "../../cli/start_fast_path.ts";
import type { StartFlags } from "../../cli/start_run.ts";
import { assertEquals } from "../_helpers.ts";

/** What commander makes of the same argv (null: it would not run start plainly). */
function commanderFlags(argv: string[]): StartFlags | null {
  const start = startCommand(captureContext({}));
  let parsed: StartFlags | null = null;
  start.exitOverride().configureOutput({
    writeErr: () => {},
    writeOut: () => {},
  });
  start.action((options) => void (parsed = { ...options }));
  const program = new Command("cara").exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  program.addCommand(start, { isDefault: true });
  try {
    program.parse(argv, { from: "user" });
  } catch {
    return null;
  }
  return parsed;
}

const ACCEPTED: string[][] = [
  [],
  ["start"],
  ["start", "--port", "18790"],
  ["--port", "0"],
  ["start", "-p", "65535"],
  ["start", "--port=1234"],
  ["start", "-q"],
  ["--quiet", "--port", "80"],
  ["start", "--port", "80", "--quiet"],
];

const DEFERRED: string[][] = [
  ["--help"],
  ["start", "--help"],
  ["start", "--port"],
  ["start", "--port", "http"],
  ["start", "--port", "65536"],
  ["start", "--port", "-1"],
  ["start", "--port", "1", "--port", "2"],
  ["start", "--bogus"],
  ["start", "extra"],
  ["status"],
  ["version"],
  ["-V"],
];

Deno.test("parseStartFastPath() agrees with commander on every plain start invocation", () => {
  for (const argv of ACCEPTED) {
    const fast = parseStartFastPath(argv);
    assertEquals(fast, commanderFlags(argv), `argv ${JSON.stringify(argv)}`);
  }
});

Deno.test("parseStartFastPath() leaves help, errors and other commands to commander", () => {
  for (const argv of DEFERRED) {
    assertEquals(
      parseStartFastPath(argv),
      null,
      `argv ${JSON.stringify(argv)}`,
    );
  }
});
