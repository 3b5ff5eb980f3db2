import { join } from "node:path";
import { swapIntoPlace } from "../../../gateway/backup/swap.ts";
import { assertEquals, assertRejects, tempDir } from "../../_helpers.ts";
import { treeDigest } from "./_helpers.ts";

Deno.test("swapIntoPlace() replaces every target and keeps the old copies aside", async () => {
  using dir = tempDir();
  const p = (name: string) => join(dir.path, name);
  await Deno.writeTextFile(p("a"), "old a");
  await Deno.mkdir(p("aside"));
  await Deno.writeTextFile(p("new-a"), "new a");
  await Deno.writeTextFile(p("new-b"), "new b");
  await swapIntoPlace([
    { target: p("a"), staged: p("new-a"), aside: p("aside/a") },
    { target: p("b"), staged: p("new-b"), aside: p("aside/b") },
  ]);
  assertEquals(await Deno.readTextFile(p("a")), "new a");
  assertEquals(await Deno.readTextFile(p("b")), "new b");
  assertEquals(await Deno.readTextFile(p("aside/a")), "old a");
});

Deno.test("swapIntoPlace() puts every earlier replacement back when a later rename fails", async () => {
  using dir = tempDir();
  const p = (name: string) => join(dir.path, name);
  await Deno.writeTextFile(p("a"), "old a");
  await Deno.writeTextFile(p("a-wal"), "old wal");
  await Deno.mkdir(p("m"));
  await Deno.writeTextFile(p("m/x"), "old x");
  await Deno.mkdir(p("aside"));
  await Deno.writeTextFile(p("new-a"), "new a");
  await Deno.mkdir(p("new-m"));
  const before = await treeDigest(dir.path);
  await assertRejects(
    swapIntoPlace([
      { target: p("a-wal"), staged: null, aside: p("aside/a-wal") },
      { target: p("a"), staged: p("new-a"), aside: p("aside/a") },
      { target: p("m"), staged: p("missing-staged-dir"), aside: p("aside/m") },
    ]),
    Deno.errors.NotFound,
  );
  assertEquals(await treeDigest(dir.path), before);
});
