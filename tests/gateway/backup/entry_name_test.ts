import { checkEntryName } from "../../../gateway/backup/entry_name.ts";
import { CaraError } from "../../../gateway/errors.ts";
import { assertEquals, assertThrows } from "../../_helpers.ts";

Deno.test("checkEntryName() splits plain relative names and drops a directory's trailing slash", () => {
  assertEquals(checkEntryName("memory/notes/a.md"), [
    "memory",
    "notes",
    "a.md",
  ]);
  assertEquals(checkEntryName("memory/notes/"), ["memory", "notes"]);
  assertEquals(checkEntryName(".carapace-backup"), [".carapace-backup"]);
  assertEquals(checkEntryName("memory/2025-01-01T10:00.md", { os: "linux" }), [
    "memory",
    "2025-01-01T10:00.md",
  ]);
});

Deno.test("checkEntryName() refuses names that could leave the extraction dir", () => {
  const hostile = [
    "",
    "/",
    "/etc/passwd",
    "../x",
    "memory/../../x",
    "memory/./x",
    "memory//x",
    "memory/..",
    "C:/x",
    "c:x",
    "memory\\..\\x",
    "memory/a\u0000b",
    "memory/a\nb",
    "memory/a\u007fb",
    "x".repeat(5000),
  ];
  for (const name of hostile) {
    assertThrows(
      () => checkEntryName(name),
      (error: unknown) =>
        error instanceof CaraError && error.code === "backup_invalid_path",
      JSON.stringify(name),
    );
  }
});

Deno.test("checkEntryName() refuses a colon in a component on Windows only", () => {
  assertThrows(
    () => checkEntryName("memory/a:stream", { os: "windows" }),
    CaraError,
  );
  assertEquals(checkEntryName("memory/a:stream", { os: "darwin" }), [
    "memory",
    "a:stream",
  ]);
});
