import { fileURLToPath } from "node:url";
import { assert, assertEquals } from "../../_helpers.ts";
import { tuneNativeMemory } from "../../../gateway/daemon/native_memory.ts";

const onLinux = Deno.build.os === "linux";
const MIB = 1024 * 1024;

async function freedHeapRun(mode: "manual" | "settle" | "auto") {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--v8-flags=--expose-gc",
      fileURLToPath(new URL("./_native_memory_child.ts", import.meta.url)),
      mode,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(out.success, new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout)) as {
    peak: number;
    freed: number;
    after: number;
  };
}

Deno.test({
  name: "tuneNativeMemory().trim() hands freed malloc heap back to the OS",
  ignore: !onLinux,
  async fn() {
    const { peak, freed, after } = await freedHeapRun("manual");
    const report = `resident: peak ${peak / MIB}, freed ${
      freed / MIB
    }, trimmed ${after / MIB} MiB`;
    // Freeing alone keeps the pages: that is what the trim is for.
    assert(peak - freed < 32 * MIB, report);
    assert(freed - after > 64 * MIB, report);
  },
});

Deno.test({
  name:
    "tuneNativeMemory() hands freed heap back by itself once malloc holds that much free",
  ignore: !onLinux,
  async fn() {
    const { peak, after } = await freedHeapRun("auto");
    assert(
      peak - after > 64 * MIB,
      `resident: peak ${peak / MIB}, later ${after / MIB} MiB`,
    );
  },
});

Deno.test({
  name:
    "tuneNativeMemory().settle() hands freed heap back once that much is free",
  ignore: !onLinux,
  async fn() {
    const { freed, after } = await freedHeapRun("settle");
    assert(
      freed - after > 64 * MIB,
      `resident: freed ${freed / MIB}, settled ${after / MIB} MiB`,
    );
  },
});

Deno.test({
  name: "tuneNativeMemory() does nothing off Linux",
  fn() {
    assertEquals(tuneNativeMemory({ os: "darwin" }), null);
    assertEquals(tuneNativeMemory({ os: "windows" }), null);
  },
});
