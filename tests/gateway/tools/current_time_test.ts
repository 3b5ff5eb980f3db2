import { builtinTools } from "../../../gateway/tools/builtin_tools.ts";
import { currentTimeTool } from "../../../gateway/tools/current_time.ts";
import { configSchema } from "../../../gateway/config/schema.ts";
import { openDatabase } from "../../../gateway/state/mod.ts";
import { assert, assertEquals, tempDir } from "../../_helpers.ts";
import { runTool } from "./_helpers.ts";

const NOW = Date.UTC(2025, 0, 2, 3, 4, 5);

Deno.test("currentTimeTool() answers the same under the names time and current_time", async () => {
  const tools = [
    currentTimeTool({ now: () => NOW }),
    currentTimeTool({ now: () => NOW, name: "time" }),
  ];
  const input = { timeZone: "Asia/Tokyo" };
  const a = await runTool(tools, "current_time", input);
  const b = await runTool(tools, "time", input);
  assertEquals(a, b);
  assertEquals(JSON.parse(a.content), {
    iso: "2025-01-02T03:04:05.000Z",
    unixMs: NOW,
    timeZone: "Asia/Tokyo",
    local: "02/01/2025, 12:04:05",
  });
});

Deno.test("currentTimeTool() answers an unknown time zone as an error result", async () => {
  const out = await runTool(
    [currentTimeTool({ name: "time" })],
    "time",
    { timeZone: "Mars/Olympus" },
  );
  assertEquals(out.isError, true);
  assert(out.content.startsWith('Unknown time zone "Mars/Olympus"'));
});

Deno.test("builtinTools() registers time, current_time and config_read once each", () => {
  using dir = tempDir();
  using state = openDatabase(`${dir.path}/state.db`);
  const names = builtinTools({
    config: configSchema.parse({}),
    sessions: state.sessions,
    memoryDir: `${dir.path}/memory`,
  }).map((t) => t.name);
  for (const name of ["time", "current_time", "config_read"]) {
    assertEquals(names.filter((n) => n === name).length, 1, name);
  }
  assertEquals(new Set(names).size, names.length);
});
