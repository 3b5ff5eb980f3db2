import { join } from "node:path";
import { PLUGIN_WIT } from "../../../wit/plugin_wit.ts";
import { embeddedWitModule } from "../../../wit/generate.ts";
import {
  assert,
  assertEquals,
  isolatedEnv,
  runCaraInProcess,
  tempDir,
} from "../../_helpers.ts";

const WIT_PATH = join(import.meta.dirname ?? ".", "../../../wit/plugin.wit");

Deno.test("PLUGIN_WIT equals wit/plugin.wit when the module was regenerated", async () => {
  const file = await Deno.readTextFile(WIT_PATH);
  assertEquals(PLUGIN_WIT, file, "run: deno run -RW wit/generate.ts");
  const generated = await Deno.readTextFile(
    join(WIT_PATH, "../plugin_wit.ts"),
  );
  assertEquals(generated, embeddedWitModule(file));
});

Deno.test("PLUGIN_WIT declares the package and the four public worlds", () => {
  assert(PLUGIN_WIT.includes("package carapace:plugin@1.0.0;"));
  for (const world of ["tool", "webhook", "service", "channel"]) {
    assert(PLUGIN_WIT.includes(`world ${world}-plugin {`), world);
  }
});

Deno.test("cara plugins wit prints the contract when no --output is given", async () => {
  using dir = tempDir();
  const result = await runCaraInProcess(
    ["plugins", "wit"],
    isolatedEnv(dir.path),
  );
  assertEquals(result.code, 0, result.stderr);
  assertEquals(result.stdout, PLUGIN_WIT);
});

Deno.test("cara plugins wit --output writes plugin.wit into the directory", async () => {
  using dir = tempDir();
  const out = join(dir.path, "wit");
  const result = await runCaraInProcess(
    ["plugins", "wit", "--output", out],
    isolatedEnv(dir.path),
  );
  assertEquals(result.code, 0, result.stderr);
  assertEquals(await Deno.readTextFile(join(out, "plugin.wit")), PLUGIN_WIT);
});

Deno.test("cara plugins wit --output fails with one line when the path is a file", async () => {
  using dir = tempDir();
  const file = join(dir.path, "taken");
  await Deno.writeTextFile(file, "x");
  const result = await runCaraInProcess(
    ["plugins", "wit", "--output", file],
    isolatedEnv(dir.path),
  );
  assertEquals(result.code, 1);
  assertEquals(
    result.stderr,
    `Error: Cannot write the plugin WIT to "${file}": it is not a directory; pass a directory to --output\n`,
  );
});
