import { join } from "node:path";
import { assertEquals, tempDir } from "../../_helpers.ts";
import {
  writeFileAtomic,
  writeFileAtomicSync,
} from "../../../gateway/config/atomic_write.ts";

Deno.test("writeFileAtomic() creates the directory 0700 and the file 0600, leaving no temp file", async () => {
  using dir = tempDir();
  const path = join(dir.path, "new", "carapace.json");
  await writeFileAtomic(path, "{}\n");
  assertEquals(Deno.readTextFileSync(path), "{}\n");
  if (Deno.build.os !== "windows") {
    assertEquals(Deno.statSync(path).mode! & 0o777, 0o600);
    assertEquals(Deno.statSync(join(dir.path, "new")).mode! & 0o777, 0o700);
  }
  assertEquals(
    [...Deno.readDirSync(join(dir.path, "new"))].map((e) => e.name),
    ["carapace.json"],
  );
});

Deno.test("writeFileAtomic() replaces an existing file and tightens its mode", async () => {
  using dir = tempDir();
  const path = join(dir.path, "carapace.json");
  Deno.writeTextFileSync(path, "old", { mode: 0o644 });
  Deno.chmodSync(path, 0o644);
  await writeFileAtomic(path, "new");
  assertEquals(Deno.readTextFileSync(path), "new");
  if (Deno.build.os !== "windows") {
    assertEquals(Deno.statSync(path).mode! & 0o777, 0o600);
  }
});

Deno.test("writeFileAtomicSync() creates the directory, replaces the file with mode 0600 and leaves no temp file", () => {
  using dir = tempDir();
  const path = join(dir.path, "new", "daemon.pid");
  writeFileAtomicSync(path, "1\n", { durable: false });
  Deno.chmodSync(path, 0o644);
  writeFileAtomicSync(path, "2\n");
  assertEquals(Deno.readTextFileSync(path), "2\n");
  if (Deno.build.os !== "windows") {
    assertEquals(Deno.statSync(path).mode! & 0o777, 0o600);
    assertEquals(Deno.statSync(join(dir.path, "new")).mode! & 0o777, 0o700);
  }
  assertEquals(
    [...Deno.readDirSync(join(dir.path, "new"))].map((e) => e.name),
    ["daemon.pid"],
  );
});
