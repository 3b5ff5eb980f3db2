/**
 * gateway/path.ts stands in for node:path in the release bundle, so on POSIX
 * it must give node:path's results: checked on every path up to a length
 * built from separators, dots and names, plus the shapes cara builds.
 *
 * @module
 */
import posix from "node:path/posix";
import * as path from "../../gateway/path.ts";
import { posixPath } from "../../gateway/path.ts";
import { assertEquals } from "../_helpers.ts";

const PIECES = ["/", ".", "..", "a", "b.c", "//", "...", ".d", " "];

/** Every concatenation of up to `depth` pieces (deduplicated). */
function corpus(depth: number): string[] {
  const out = new Set<string>([""]);
  let level = [""];
  for (let i = 0; i < depth; i++) {
    level = level.flatMap((prefix) => PIECES.map((piece) => prefix + piece));
    for (const item of level) out.add(item);
  }
  return [...out];
}

const PATHS = [
  ...corpus(4),
  "/home/user/.config/carapace",
  "/home/user/.config/carapace/",
  "~/x/../y",
  "/srv/cara/carapace.json5",
  "relative/dir/file.txt",
  "./a/./b/../../c",
  "../../up",
];

function mismatches(
  name: string,
  ours: (...args: string[]) => unknown,
  theirs: (...args: string[]) => unknown,
  inputs: string[][],
): string[] {
  return inputs.flatMap((args) => {
    const want = theirs(...args);
    const got = ours(...args);
    return got === want ? [] : [
      `${name}(${args.map((a) => JSON.stringify(a)).join(", ")}): got ${
        JSON.stringify(got)
      }, node:path gives ${JSON.stringify(want)}`,
    ];
  });
}

// posixPath runs on POSIX only (Windows calls node:path), where resolve()
// starts from a POSIX cwd.
const posixOnly = { ignore: Deno.build.os === "windows" };

Deno.test(
  "posixPath dirname(), basename() and isAbsolute() match node:path/posix",
  posixOnly,
  () => {
    const one = PATHS.map((p) => [p]);
    assertEquals(
      [
        ...mismatches("dirname", posixPath.dirname, posix.dirname, one),
        ...mismatches("basename", posixPath.basename, posix.basename, one),
        ...mismatches(
          "isAbsolute",
          posixPath.isAbsolute,
          posix.isAbsolute,
          one,
        ),
      ].slice(0, 20),
      [],
    );
  },
);

Deno.test(
  "posixPath join() and resolve() match node:path/posix for one to three segments",
  posixOnly,
  () => {
    const short = corpus(2);
    const inputs = [
      ...PATHS.map((p) => [p]),
      ...short.flatMap((a) => short.map((b) => [a, b])),
      ...short.slice(0, 30).flatMap((a) =>
        short.slice(0, 30).map((b) => [a, b, "c/.."])
      ),
      [],
    ];
    assertEquals(
      [
        ...mismatches("join", posixPath.join, posix.join, inputs),
        ...mismatches("resolve", posixPath.resolve, posix.resolve, inputs),
      ].slice(0, 20),
      [],
    );
  },
);

Deno.test("path functions are node:path's on this platform", async () => {
  const node = await import("node:path");
  const samples = ["/a/b/../c/", "a//b", "C:\\x\\y", "\\\\srv\\share\\f", ""];
  for (const p of samples) {
    assertEquals(path.dirname(p), node.dirname(p), p);
    assertEquals(path.basename(p), node.basename(p), p);
    assertEquals(path.basename(p, "f"), node.basename(p, "f"), p);
    assertEquals(path.isAbsolute(p), node.isAbsolute(p), p);
    assertEquals(path.join(p, "..", "z"), node.join(p, "..", "z"), p);
    assertEquals(path.resolve(p, "z"), node.resolve(p, "z"), p);
  }
  assertEquals(path.sep, node.sep);
});
