import {
  assert,
  assertEquals,
  assertRejects,
  tempDir,
} from "../../_helpers.ts";
import { filesystemTools } from "../../../gateway/tools/fs_tools.ts";
import { configOf } from "../agent/_helpers.ts";
import { runTool } from "./_helpers.ts";

function fsConfig(raw: Record<string, unknown>) {
  return configOf({ filesystem: { enabled: true, ...raw } }).filesystem;
}

Deno.test("filesystemTools() is empty unless filesystem.enabled", () => {
  assertEquals(filesystemTools(configOf({}).filesystem), []);
});

Deno.test("filesystemTools() reads inside the roots and refuses symlink escapes and excluded paths", async () => {
  using root = tempDir();
  using outside = tempDir();
  Deno.writeTextFileSync(`${root.path}/a.txt`, "hello world");
  Deno.writeTextFileSync(`${root.path}/.env`, "SECRET=1");
  Deno.writeTextFileSync(`${outside.path}/secret.txt`, "no");
  Deno.symlinkSync(`${outside.path}/secret.txt`, `${root.path}/link.txt`);
  const tools = filesystemTools(fsConfig({
    roots: [root.path],
    excludePatterns: [".env"],
    maxReadBytes: 5,
  }));
  assertEquals(tools.map((t) => t.name), [
    "file_read",
    "directory_list",
    "file_stat",
    "file_search",
  ]);
  const read = await runTool(tools, "file_read", {
    path: `${root.path}/a.txt`,
  });
  assert(read.content.startsWith("hello\n[cut at 5 bytes"));
  await assertRejects(
    () => runTool(tools, "file_read", { path: `${root.path}/link.txt` }),
    /outside the allowed roots/,
  );
  await assertRejects(
    () => runTool(tools, "file_read", { path: `${outside.path}/secret.txt` }),
    /outside the allowed roots/,
  );
  await assertRejects(
    () =>
      runTool(tools, "file_read", {
        path: `${root.path}/../${outside.path.split("/").at(-1)}/secret.txt`,
      }),
    /outside the allowed roots/,
  );
  await assertRejects(
    () => runTool(tools, "file_read", { path: `${root.path}/.env` }),
    /excludePatterns/,
  );
  const listing = JSON.parse(
    (await runTool(tools, "directory_list", { path: root.path })).content,
  );
  assertEquals(listing.entries.map((e: { name: string }) => e.name), [
    "a.txt",
    "link.txt",
  ]);
  const search = JSON.parse(
    (await runTool(tools, "file_search", { path: root.path, pattern: "*.txt" }))
      .content,
  );
  assertEquals(search.matches, [`${Deno.realPathSync(root.path)}/a.txt`]);
});

Deno.test("filesystemTools() writes and moves only with writeAccess", async () => {
  using root = tempDir();
  const readOnly = filesystemTools(fsConfig({ roots: [root.path] }));
  assert(!readOnly.some((t) => t.name === "file_write"));
  const tools = filesystemTools(
    fsConfig({ roots: [root.path], writeAccess: true }),
  );
  await runTool(tools, "file_write", {
    path: `${root.path}/new.txt`,
    content: "x",
  });
  await runTool(tools, "file_move", {
    from: `${root.path}/new.txt`,
    to: `${root.path}/moved.txt`,
  });
  assertEquals(Deno.readTextFileSync(`${root.path}/moved.txt`), "x");
  await assertRejects(
    () =>
      runTool(tools, "file_write", {
        path: "/tmp/../etc/cara-test",
        content: "x",
      }),
    /outside the allowed roots/,
  );
});

Deno.test("filesystemTools() denies everything with empty roots", async () => {
  const tools = filesystemTools(fsConfig({ roots: [] }));
  await assertRejects(
    () => runTool(tools, "file_stat", { path: "/tmp" }),
    /no filesystem roots/,
  );
});
