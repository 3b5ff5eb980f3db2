import { formatLogText } from "../../../gateway/logs/text_line.ts";
import { assertEquals } from "../../_helpers.ts";

Deno.test("formatLogText() prints time, padded level, target, message and key=value fields", () => {
  assertEquals(
    formatLogText({
      seq: 1,
      timestamp: "2026-11-29T12:00:00.000Z",
      level: "info",
      target: "gateway",
      message: "Gateway listening",
      fields: { url: "http://127.0.0.1:18789", port: 18789, tls: false },
    }),
    "2026-11-29T12:00:00.000Z INFO  gateway: Gateway listening url=http://127.0.0.1:18789 port=18789 tls=false",
  );
  assertEquals(
    formatLogText({
      seq: 2,
      timestamp: "t",
      level: "error",
      target: "x",
      message: "m",
    }),
    "t ERROR x: m",
  );
});
