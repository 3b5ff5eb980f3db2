import { assert, assertEquals, assertMatch } from "../_helpers.ts";
import { benchIdleRss } from "../../bench/idle_rss.ts";
import { parseRuns } from "../../bench/main.ts";
import { bareHonoServer, type ServerSpec } from "../../bench/_servers.ts";
import { benchStartup } from "../../bench/startup.ts";

function exitingServer(): ServerSpec {
  return {
    name: "broken",
    commandLine: () => ({
      command: Deno.execPath(),
      args: ["eval", "console.error('no start here'); Deno.exit(2)"],
    }),
  };
}

Deno.test("benchStartup() reports both summaries and their ratio when both sides start", async () => {
  const report = await benchStartup({
    runs: 2,
    subject: { ...bareHonoServer(), name: "subject" },
  });
  assertEquals(report.bench, "startup");
  assertEquals(report.artifact, "subject");
  assertEquals(report.cara?.samples, 2);
  assertEquals([report.cara_first_start, report.cara_sources], [null, null]);
  assertEquals(report.bare_hono?.samples, 2);
  assert(report.ratio !== null && report.ratio > 0);
  assertEquals(report.target, 2);
  assertEquals(report.error, undefined);
});

Deno.test("benchStartup() reports a clear error and still measures the baseline when the subject fails", async () => {
  const report = await benchStartup({ runs: 1, subject: exitingServer() });
  assertEquals(report.cara, null);
  assertEquals(report.ratio, null);
  assertEquals(report.bare_hono?.samples, 1);
  assertMatch(
    report.error ?? "",
    /^broken: .*exited with code 2.*no start here/s,
  );
});

Deno.test("benchIdleRss() reads the RSS of both servers after idling", async () => {
  const report = await benchIdleRss({
    idleMs: 200,
    subject: { ...bareHonoServer(), name: "subject" },
  });
  assertEquals(report.error, undefined);
  assert((report.idle_rss_mib ?? 0) > 1, `rss ${report.idle_rss_mib}`);
  assert((report.bare_hono_idle_rss_mib ?? 0) > 1);
  assertEquals(report.target, 70);
});

Deno.test("parseRuns() reads --runs and refuses non-positive counts", () => {
  assertEquals(parseRuns([]), 10);
  assertEquals(parseRuns(["--runs", "3"]), 3);
  let message = "";
  try {
    parseRuns(["--runs", "0"]);
  } catch (error) {
    message = (error as Error).message;
  }
  assertMatch(message, /"--runs" must be a positive integer, got "0"/);
});
