import { join } from "node:path";
import { CaraError } from "../../../gateway/errors.ts";
import { prepareStateDir, STATE_SUBDIRS } from "../../../gateway/state/mod.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  tempDir,
} from "../../_helpers.ts";
import { modeOf } from "./_helpers.ts";

const posix = Deno.build.os !== "windows";

Deno.test("prepareStateDir() creates the dir and its subdirs with mode 0700", async () => {
  using root = tempDir();
  const dir = join(root.path, "nested", "carapace");
  const result = await prepareStateDir(dir);
  assertEquals(result.warnings, []);
  for (const path of [dir, ...STATE_SUBDIRS.map((s) => join(dir, s))]) {
    assert(Deno.statSync(path).isDirectory, path);
    if (posix) assertEquals(modeOf(path).toString(8), "700", path);
  }
  assertEquals(STATE_SUBDIRS, ["logs", "plugins", "memory"]);
});

Deno.test("prepareStateDir() on a prepared dir does nothing and warns nothing", async () => {
  using root = tempDir();
  await prepareStateDir(root.path);
  Deno.writeTextFileSync(join(root.path, "logs", "keep.log"), "x");
  assertEquals((await prepareStateDir(root.path)).warnings, []);
  assertEquals(Deno.readTextFileSync(join(root.path, "logs", "keep.log")), "x");
});

Deno.test({
  name:
    "prepareStateDir() tightens a wider mode to 0700 and warns with the old mode",
  ignore: !posix,
  async fn() {
    using root = tempDir();
    Deno.chmodSync(root.path, 0o755);
    Deno.mkdirSync(join(root.path, "plugins"), { mode: 0o777 });
    Deno.chmodSync(join(root.path, "plugins"), 0o777);
    const { warnings } = await prepareStateDir(root.path);
    assertEquals(warnings.length, 2);
    assertMatch(
      warnings[0] ?? "",
      new RegExp(`"${root.path}" had mode 0755.*tightened it to 0700`),
    );
    assertMatch(warnings[1] ?? "", /plugins" had mode 0777/);
    assertEquals(modeOf(root.path).toString(8), "700");
    assertEquals(modeOf(join(root.path, "plugins")).toString(8), "700");
  },
});

Deno.test({
  name:
    "prepareStateDir() refuses a dir owned by another uid and creates nothing in it",
  ignore: !posix,
  async fn() {
    using root = tempDir();
    Deno.chmodSync(root.path, 0o755);
    const other = (Deno.uid() ?? 0) + 1;
    const error = await assertRejectsWith(
      () => prepareStateDir(root.path, { uid: other }),
    );
    assertEquals(error.code, "state_dir_unusable");
    assertMatch(
      error.message,
      new RegExp(`owned by uid ${Deno.uid()}, expected ${other}`),
    );
    assertEquals([...Deno.readDirSync(root.path)], []);
    assertEquals(modeOf(root.path).toString(8), "755");
  },
});

Deno.test("prepareStateDir() refuses a path that is a file", async () => {
  using root = tempDir();
  const file = join(root.path, "state");
  Deno.writeTextFileSync(file, "");
  const error = await assertRejectsWith(() => prepareStateDir(file));
  assertMatch(error.message, /Cannot use state dir ".*state": /);
});

Deno.test({
  name:
    "prepareStateDir() accepts a state dir that is a symlink to a private dir",
  ignore: !posix,
  async fn() {
    using root = tempDir();
    const target = join(root.path, "real");
    const link = join(root.path, "link");
    Deno.mkdirSync(target, { mode: 0o700 });
    Deno.symlinkSync(target, link);
    assertEquals((await prepareStateDir(link)).warnings, []);
    assert(Deno.statSync(join(target, "memory")).isDirectory);
  },
});

async function assertRejectsWith(
  fn: () => Promise<unknown>,
): Promise<CaraError> {
  let caught: unknown;
  await assertRejects(async () => {
    try {
      await fn();
    } catch (error) {
      caught = error;
      throw error;
    }
  }, CaraError);
  return caught as CaraError;
}
