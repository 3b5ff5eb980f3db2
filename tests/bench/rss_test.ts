import { assert, assertEquals } from "../_helpers.ts";
import { parseTasklistKib, readRssMib } from "../../bench/_rss.ts";

Deno.test("readRssMib() gives a plausible size for this process", async () => {
  const mib = await readRssMib(Deno.pid);
  assert(mib > 5 && mib < 4096, `rss ${mib} MiB`);
});

Deno.test("parseTasklistKib() reads the memory column whatever the thousands separator", () => {
  assertEquals(
    parseTasklistKib('"deno.exe","1234","Console","1","39,812 K"\r\n'),
    39812,
  );
  assertEquals(
    parseTasklistKib('"deno.exe","1234","Console","1","39.812 K"'),
    39812,
  );
  assert(Number.isNaN(parseTasklistKib("INFO: No tasks are running")));
});
