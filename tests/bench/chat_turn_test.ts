import { assert, assertEquals } from "../_helpers.ts";
import { benchChatTurn } from "../../bench/chat_turn.ts";

Deno.test("benchChatTurn() measures turns over a real WS connection against the loopback fake", async () => {
  const report = await benchChatTurn({ turns: 5 });
  assertEquals(report.error, undefined);
  assertEquals(report.turn?.samples, 5);
  assert((report.overhead?.p50_us ?? -1) >= 0);
  assert((report.overhead?.p50_us ?? 0) <= (report.turn?.p50_us ?? 0));
  assert((report.rss_mib ?? 0) > 0);
  // The same turns through the bare SDK server, in the same run.
  assertEquals(report.bare_sdk_server?.samples, 5);
  assert((report.bare_sdk_server?.p50_us ?? 0) > 0);
  assert((report.ratio_p50 ?? 0) > 0);
});
