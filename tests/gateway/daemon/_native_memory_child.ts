/**
 * Child of native_memory_test.ts (run with --expose-gc): allocates and frees
 * 128 MiB of malloc heap, then prints the resident size at the peak, once
 * freed, and after it was handed back — by an explicit `trim()` (`manual`),
 * by `settle()` (`settle`) or by the periodic check (`auto`).
 *
 * @module
 */
import { tuneNativeMemory } from "../../../gateway/daemon/native_memory.ts";

const mode = Deno.args[0];
const memory = tuneNativeMemory(
  mode === "auto" ? { checkMs: 50 } : { checkMs: 3_600_000, settleMs: 0 },
);
if (memory === null) throw new Error("no glibc to tune");
const gc = (globalThis as { gc?: () => void }).gc!;
const rss = () => Deno.memoryUsage().rss;
// 64 KiB buffers come from malloc's heap (below its mmap threshold); every
// 32nd stays alive, so the freed ones sit between live ones and glibc cannot
// give them back by shrinking the heap's top.
const kept: Uint8Array[] = [];
let buffers: Uint8Array[] = [];
for (let i = 0; i < 2048; i++) {
  const buffer = new Uint8Array(64 * 1024).fill(1);
  if (i % 32 === 0) kept.push(buffer);
  else buffers.push(buffer);
}
const peak = rss();
buffers = [];
gc();
await new Promise((resolve) => setTimeout(resolve, 300)); // freed off-thread
gc();
const freed = rss();
if (mode === "manual") await memory.trim();
else if (mode === "settle") {
  memory.settle();
  await new Promise((resolve) => setTimeout(resolve, 300)); // trims off-thread
} else await new Promise((resolve) => setTimeout(resolve, 500));
Deno.stdout.writeSync(
  new TextEncoder().encode(
    JSON.stringify({ peak, freed, after: rss(), kept: kept.length }),
  ),
);
memory[Symbol.dispose]();
