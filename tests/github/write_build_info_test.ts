import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { assertEquals, assertThrows, tempDir } from "../_helpers.ts";
import { BUILD_INFO } from "../../gateway/build_info.ts";
import {
  buildInfoFor,
  versionFromTag,
  writeBuildInfo,
} from "../../.github/scripts/write_build_info.ts";

const SHA = "0123456789abcdef0123456789abcdef01234567";

Deno.test("versionFromTag() strips the v of a semantic version tag", () => {
  assertEquals(versionFromTag("v1.2.3"), "1.2.3");
  assertEquals(versionFromTag("v0.1.0-rc.1"), "0.1.0-rc.1");
});

Deno.test("versionFromTag() throws a RangeError when the tag is not v<semver>", () => {
  for (const tag of ["1.2.3", "v1.2", "vnext", "v1.2.3;rm"]) {
    assertThrows(() => versionFromTag(tag), RangeError);
  }
});

Deno.test("buildInfoFor() refuses a malformed commit and keeps whole UTC seconds", () => {
  assertThrows(
    () => buildInfoFor("v1.0.0", { commit: "HEAD", date: new Date() }),
    RangeError,
  );
  const info = buildInfoFor("v1.0.0", {
    commit: SHA,
    date: new Date("2025-03-04T05:06:07.890Z"),
  });
  assertEquals(info, {
    version: "1.0.0",
    commit: SHA,
    buildDate: "2025-03-04T05:06:07Z",
  });
});

Deno.test("writeBuildInfo() writes a module exporting BUILD_INFO with the same shape", async () => {
  using dir = tempDir();
  const path = join(dir.path, "build_info.ts");
  const info = buildInfoFor("v2.3.4", { commit: SHA, date: new Date(0) });
  await writeBuildInfo(path, info);
  const module = await import(pathToFileURL(path).href);
  assertEquals(module.BUILD_INFO, info);
  assertEquals(
    Object.keys(module.BUILD_INFO).sort(),
    Object.keys(BUILD_INFO).sort(),
  );
  assertEquals([...Deno.readDirSync(dir.path)].map((e) => e.name), [
    "build_info.ts",
  ]);
});
