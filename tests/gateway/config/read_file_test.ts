import { join } from "node:path";
import { assert, assertEquals, assertMatch, tempDir } from "../../_helpers.ts";
import {
  MAX_CONFIG_BYTES,
  parseConfigText,
  readConfigText,
  sha256Hex,
} from "../../../gateway/config/read_file.ts";
import { configErrorOf } from "./_helpers.ts";

Deno.test("readConfigText() returns null when the file does not exist", async () => {
  using dir = tempDir();
  assertEquals(await readConfigText(join(dir.path, "nope.json5")), null);
});

Deno.test("readConfigText() refuses a file over 4 MiB", async () => {
  using dir = tempDir();
  const path = join(dir.path, "big.json5");
  Deno.writeTextFileSync(path, `{a: "${"x".repeat(MAX_CONFIG_BYTES)}"}`);
  const error = await configErrorOf(readConfigText(path), "read");
  assertMatch(
    error.message,
    /^Cannot read config ".*big\.json5": it is larger than 4194304 bytes/,
  );
});

Deno.test("readConfigText() refuses a directory and invalid UTF-8", async () => {
  using dir = tempDir();
  await configErrorOf(readConfigText(dir.path), "read");
  const path = join(dir.path, "bad.json5");
  Deno.writeFileSync(path, new Uint8Array([0x7b, 0xff, 0x7d]));
  const error = await configErrorOf(readConfigText(path), "read");
  assertMatch(error.message, /not valid UTF-8/);
});

Deno.test("parseConfigText() accepts JSON5 comments, trailing commas and bare keys", () => {
  const value = parseConfigText(
    "// c\n{ gateway: { port: 1, }, /* x */ }",
    "/c.json5",
  );
  assertEquals(value, { gateway: { port: 1 } });
});

Deno.test("parseConfigText() names the file, line and column of a syntax error", async () => {
  const error = await configErrorOf(
    () => parseConfigText("{\n  a: 1,\n  b: @\n}", "/etc/c.json5"),
    "parse",
  );
  assertMatch(
    error.message,
    /^Cannot parse config "\/etc\/c\.json5" at line 3, column 6: invalid character '@'/,
  );
  assertEquals(error.path, "/etc/c.json5");
});

Deno.test("parseConfigText() refuses nesting deeper than 64 levels", async () => {
  const text = "[".repeat(70) + "]".repeat(70);
  const error = await configErrorOf(
    () => parseConfigText(text, "/c.json5"),
    "parse",
  );
  assertMatch(error.message, /nests deeper than 64 levels/);
});

Deno.test("sha256Hex() is the lowercase hex SHA-256 of the text", async () => {
  assertEquals(
    await sha256Hex("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assert(/^[0-9a-f]{64}$/.test(await sha256Hex("")));
});
