/**
 * Hands the gateway's freed native (malloc) memory back to the OS on Linux
 * with glibc.
 *
 * glibc keeps freed memory inside its arenas (one per allocating thread, up
 * to eight per core) instead of returning it: after a burst of agent turns
 * that is tens of MiB the process holds without using. `malloc_trim` gives
 * those pages back. The gateway asks for it when work settles (after agent
 * runs, at most every {@linkcode SETTLE_CHECK_MS}) and every
 * {@linkcode TRIM_CHECK_MS} otherwise, whenever malloc holds
 * {@linkcode TRIM_GROWTH_BYTES} more free memory, or the process is that much
 * larger, than after the last hand-back. Elsewhere (macOS, Windows, musl) it
 * does nothing.
 *
 * Capping the arenas would help too, but glibc fixes their limit when the
 * first one is made, before any JavaScript runs: set `MALLOC_ARENA_MAX=2` in
 * the environment of `cara start` for that.
 *
 * @module
 */

/** How often the freed memory is looked at while nothing calls `settle()`. */
export const TRIM_CHECK_MS = 10_000;
/** The least time between two looks from `settle()`. */
export const SETTLE_CHECK_MS = 100;
/** Free heap (or growth of the resident size) since the last trim that triggers the next one. */
export const TRIM_GROWTH_BYTES = 8 * 1024 * 1024;

const SYMBOLS = {
  // On Deno's blocking pool: a trim takes milliseconds, and requests go on.
  malloc_trim: { parameters: ["usize"], result: "i32", nonblocking: true },
  // glibc 2.33 and later: struct mallinfo2, ten size_t fields.
  mallinfo2: {
    parameters: [],
    result: { struct: new Array<"usize">(10).fill("usize") },
    optional: true,
  },
} as const;
// The field of struct mallinfo2 with the free bytes in malloc's arenas.
const FORDBLKS = 8;
// Every Linux target cara ships for (x86_64, aarch64) is little-endian.
const LITTLE_ENDIAN = true;

/** The hand-back in force; dispose it to stop the checks. */
export interface NativeMemory extends Disposable {
  /** Work has just finished: hands freed memory back if enough has piled up. */
  settle(): void;
  /** Hands free heap pages back to the OS now (off the event loop); true when some were. */
  trim(): Promise<boolean>;
}

/** Options of {@linkcode tuneNativeMemory}; the defaults are the constants above. */
export interface NativeMemoryOptions {
  os?: typeof Deno.build.os;
  checkMs?: number;
  settleMs?: number;
  growthBytes?: number;
}

/**
 * Starts handing freed malloc memory back to the OS.
 *
 * @returns null where there is no glibc to ask
 * @example
 * ```ts
 * using memory = tuneNativeMemory();
 * await startGateway({ env, onRunEnd: () => memory?.settle() });
 * ```
 */
export function tuneNativeMemory(
  options: NativeMemoryOptions = {},
): NativeMemory | null {
  if ((options.os ?? Deno.build.os) !== "linux") return null;
  let libc: Deno.DynamicLibrary<typeof SYMBOLS>;
  try {
    libc = Deno.dlopen("libc.so.6", SYMBOLS);
  } catch {
    return null; // not glibc (musl), or no FFI permission
  }
  const { malloc_trim, mallinfo2 } = libc.symbols;
  const growth = options.growthBytes ?? TRIM_GROWTH_BYTES;
  const settleMs = options.settleMs ?? SETTLE_CHECK_MS;
  // Without mallinfo2 (glibc before 2.33) only the resident size is known.
  const freeBytes = mallinfo2 === null ? null : () => {
    const info = mallinfo2() as Uint8Array;
    const fields = new DataView(info.buffer, info.byteOffset, info.byteLength);
    return Number(fields.getBigUint64(FORDBLKS * 8, LITTLE_ENDIAN));
  };
  const trim = async () => await malloc_trim(0n) === 1;
  // A trim only marks free memory unused: malloc still counts it free.
  let rssAfterTrim = Deno.memoryUsage().rss;
  let freeAfterTrim = freeBytes?.() ?? 0;
  let lastCheck = performance.now();
  let trimming = false;
  const check = () => {
    lastCheck = performance.now();
    if (trimming) return;
    const free = freeBytes?.();
    if (free !== undefined && free < growth) return;
    const grew = Deno.memoryUsage().rss - rssAfterTrim >= growth;
    const freed = free !== undefined && free - freeAfterTrim >= growth;
    if (!grew && !freed) return;
    trimming = true;
    trim().catch(() => false).finally(() => {
      trimming = false;
      rssAfterTrim = Deno.memoryUsage().rss;
      freeAfterTrim = free ?? 0;
    });
  };
  const timer = setInterval(check, options.checkMs ?? TRIM_CHECK_MS);
  Deno.unrefTimer(timer);
  return {
    settle() {
      if (performance.now() - lastCheck >= settleMs) check();
    },
    trim,
    [Symbol.dispose]() {
      clearInterval(timer);
      // A trim still running keeps the library open until it returns.
      if (!trimming) libc.close();
    },
  };
}
