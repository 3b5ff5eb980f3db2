import { join } from "node:path";
import { assertEquals, assertMatch, tempDir } from "../../_helpers.ts";
import { resolveIncludes } from "../../../gateway/config/includes.ts";
import { parseConfigText } from "../../../gateway/config/read_file.ts";
import { configErrorOf, writeFiles } from "./_helpers.ts";

async function resolveMain(dir: string) {
  const path = join(dir, "main.json5");
  return await resolveIncludes(
    parseConfigText(Deno.readTextFileSync(path), path),
    path,
  );
}

Deno.test("resolveIncludes() merges includes in order: objects recursively, arrays concatenated, scalars overridden", async () => {
  using dir = tempDir();
  writeFiles(dir.path, {
    "main.json5": `{ $include: ["a.json5", "b.json5"] }`,
    "a.json5": `{ gateway: { port: 1, bind: "lan" }, list: [1], name: "a" }`,
    "b.json5": `{ gateway: { port: 2 }, list: [2], name: "b" }`,
  });
  const resolved = await resolveMain(dir.path);
  assertEquals(resolved.value, {
    gateway: { port: 2, bind: "lan" },
    list: [1, 2],
    name: "b",
  });
  assertEquals(resolved.files, [
    join(dir.path, "a.json5"),
    join(dir.path, "b.json5"),
  ]);
});

Deno.test("resolveIncludes() lets sibling keys win over included ones at any depth", async () => {
  using dir = tempDir();
  writeFiles(dir.path, {
    "main.json5": `{ gateway: { $include: "sub/gw.json5", port: 9 } }`,
    "sub/gw.json5": `{ port: 1, tls: { $include: "tls.json5" } }`,
    "sub/tls.json5": `{ enabled: true }`,
  });
  const resolved = await resolveMain(dir.path);
  // tls.json5 resolves next to sub/gw.json5, the file that includes it.
  assertEquals(resolved.value, {
    gateway: { port: 9, tls: { enabled: true } },
  });
});

Deno.test("resolveIncludes() replaces an object holding only $include, even with a non-object", async () => {
  using dir = tempDir();
  writeFiles(dir.path, {
    "main.json5": `{ gateway: { trustedProxies: { $include: "ips.json5" } } }`,
    "ips.json5": `["10.0.0.1"]`,
  });
  assertEquals((await resolveMain(dir.path)).value, {
    gateway: { trustedProxies: ["10.0.0.1"] },
  });
});

Deno.test("resolveIncludes() allows the same file twice when it is not a cycle", async () => {
  using dir = tempDir();
  writeFiles(dir.path, {
    "main.json5": `{ a: { $include: "x.json5" }, b: { $include: "x.json5" } }`,
    "x.json5": `{ v: 1 }`,
  });
  assertEquals((await resolveMain(dir.path)).value, {
    a: { v: 1 },
    b: { v: 1 },
  });
});

Deno.test("resolveIncludes() fails with include_not_found when a file is missing", async () => {
  using dir = tempDir();
  writeFiles(dir.path, { "main.json5": `{ $include: "gone.json5" }` });
  const error = await configErrorOf(resolveMain(dir.path), "include_not_found");
  assertMatch(
    error.message,
    /^Cannot include "gone\.json5" from ".*main\.json5": file ".*gone\.json5" not found$/,
  );
});

Deno.test("resolveIncludes() fails with circular_include on a cycle", async () => {
  using dir = tempDir();
  writeFiles(dir.path, {
    "main.json5": `{ $include: "a.json5" }`,
    "a.json5": `{ x: { $include: "./main.json5" } }`,
  });
  const error = await configErrorOf(resolveMain(dir.path), "circular_include");
  assertMatch(
    error.message,
    /circular include \(.*main\.json5 -> .*a\.json5 -> .*main\.json5\)/,
  );
});

Deno.test("resolveIncludes() fails with include_depth_exceeded past 10 nested includes", async () => {
  using dir = tempDir();
  const files: Record<string, string> = {
    "main.json5": `{ $include: "1.json5" }`,
  };
  for (let i = 1; i <= 11; i++) {
    files[`${i}.json5`] = `{ l${i}: { $include: "${i + 1}.json5" } }`;
  }
  files["12.json5"] = "{}";
  writeFiles(dir.path, files);
  const error = await configErrorOf(
    resolveMain(dir.path),
    "include_depth_exceeded",
  );
  assertMatch(error.message, /includes nest deeper than 10 levels/);
  // Ten levels are fine.
  files["10.json5"] = "{ end: true }";
  writeFiles(dir.path, files);
  await resolveMain(dir.path);
});

Deno.test("resolveIncludes() fails with invalid_include_directive for a non-path value", async () => {
  using dir = tempDir();
  for (const directive of ["42", "[]", `["a.json5", 1]`, `""`]) {
    writeFiles(dir.path, { "main.json5": `{ $include: ${directive} }` });
    const error = await configErrorOf(
      resolveMain(dir.path),
      "invalid_include_directive",
    );
    assertMatch(
      error.message,
      /expected a file path or a non-empty array of file paths/,
    );
  }
});

Deno.test("resolveIncludes() fails with include_must_be_object when siblings meet a non-object", async () => {
  using dir = tempDir();
  writeFiles(dir.path, {
    "main.json5": `{ gateway: { $include: "list.json5", port: 1 } }`,
    "list.json5": `[1, 2]`,
  });
  await configErrorOf(resolveMain(dir.path), "include_must_be_object");
});

Deno.test("resolveIncludes() reports a parse error in an included file by its path", async () => {
  using dir = tempDir();
  writeFiles(dir.path, {
    "main.json5": `{ $include: "bad.json5" }`,
    "bad.json5": "{ a: }",
  });
  const error = await configErrorOf(resolveMain(dir.path), "parse");
  assertMatch(
    error.message,
    /^Cannot parse config ".*bad\.json5" at line 1, column 6/,
  );
});
