import {
  assert,
  assertEquals,
  assertRejects,
  tempDir,
} from "../../_helpers.ts";
import { memoryTools } from "../../../gateway/tools/memory_tools.ts";
import { runTool } from "./_helpers.ts";

Deno.test("memoryTools() writes 0600 files, reads and lists them", async () => {
  using dir = tempDir();
  const tools = memoryTools({ dir: `${dir.path}/memory` });
  await runTool(tools, "memory_write", { name: "prefs.md", content: "tea" });
  assertEquals(
    (await runTool(tools, "memory_read", { name: "prefs.md" })).content,
    "tea",
  );
  const mode = Deno.statSync(`${dir.path}/memory/prefs.md`).mode! & 0o777;
  assertEquals(mode, 0o600);
  assertEquals(JSON.parse((await runTool(tools, "memory_list", {})).content), {
    notes: ["prefs.md"],
  });
  assert((await runTool(tools, "memory_read", { name: "nope" })).isError);
});

Deno.test("memoryTools() refuses names that could leave the memory dir", async () => {
  using dir = tempDir();
  Deno.writeTextFileSync(`${dir.path}/secret`, "x");
  const tools = memoryTools({ dir: `${dir.path}/memory` });
  for (
    const name of ["../secret", "/etc/passwd", "a/b", ".hidden", "..", "a\\b"]
  ) {
    await assertRejects(
      () => runTool(tools, "memory_read", { name }),
      /must be a plain file name/,
    );
    await assertRejects(
      () => runTool(tools, "memory_write", { name, content: "x" }),
      /must be a plain file name/,
    );
  }
});
