/**
 * The filesystem tools, built only when `filesystem.enabled`: `file_read`,
 * `directory_list`, `file_stat`, `file_search`, and with
 * `filesystem.writeAccess` also `file_write` and `file_move`. Every path goes
 * through {@linkcode FsSandbox}.
 *
 * @module
 */
import { join } from "node:path";
import type { Tool } from "../agent/types.ts";
import type { CaraConfig } from "../config/schema.ts";
import { writeFileAtomic } from "../config/atomic_write.ts";
import { CaraError } from "../errors.ts";
import { inputOf, requireText } from "./_input.ts";
import { FsSandbox, globToRegExp } from "./fs_sandbox.ts";

const LIST_MAX = 1000;
const SEARCH_MAX = 200;
const SEARCH_DEPTH = 8;
const WRITE_MAX_BYTES = 10 * 1024 * 1024;

function schema(properties: Record<string, unknown>, required: string[]) {
  return { type: "object", properties, required };
}
const PATH = {
  type: "string",
  description: "Absolute path inside an allowed root",
};

function pathOf(tool: string, input: unknown, key = "path"): string {
  return requireText(tool, inputOf(tool, input), { key, max: 4096 });
}

/**
 * The filesystem tools for `config` (none when disabled).
 *
 * @example
 * ```ts
 * const tools = filesystemTools(config.filesystem);
 * ```
 */
export function filesystemTools(config: CaraConfig["filesystem"]): Tool[] {
  if (!config.enabled) return [];
  const box = new FsSandbox(config);
  const tools: Tool[] = [{
    name: "file_read",
    description: `Reads a text file (at most ${config.maxReadBytes} bytes).`,
    inputSchema: schema({ path: PATH }, ["path"]),
    async run(input) {
      const real = await box.resolve(pathOf("file_read", input));
      using file = await Deno.open(real, { read: true });
      const info = await file.stat();
      if (!info.isFile) {
        throw new CaraError(
          "fs_denied",
          `Cannot read "${real}": it is not a file`,
        );
      }
      const buffer = new Uint8Array(Math.min(info.size, box.maxReadBytes));
      let read = 0;
      while (read < buffer.length) {
        const n = await file.read(buffer.subarray(read));
        if (n === null) break;
        read += n;
      }
      const text = new TextDecoder().decode(buffer.subarray(0, read));
      const cut = info.size > box.maxReadBytes
        ? `\n[cut at ${box.maxReadBytes} bytes of ${info.size}]`
        : "";
      return { content: text + cut };
    },
  }, {
    name: "directory_list",
    description: "Lists a directory.",
    inputSchema: schema({ path: PATH }, ["path"]),
    async run(input) {
      const real = await box.resolve(pathOf("directory_list", input));
      const entries: { name: string; type: string }[] = [];
      for await (const entry of Deno.readDir(real)) {
        if (box.excluded(join(real, entry.name))) continue;
        entries.push({
          name: entry.name,
          type: entry.isDirectory
            ? "dir"
            : entry.isSymlink
            ? "symlink"
            : "file",
        });
        if (entries.length >= LIST_MAX) break;
      }
      entries.sort((a, b) => a.name.localeCompare(b.name));
      return { content: JSON.stringify({ path: real, entries }) };
    },
  }, {
    name: "file_stat",
    description: "Size, type and times of a path.",
    inputSchema: schema({ path: PATH }, ["path"]),
    async run(input) {
      const real = await box.resolve(pathOf("file_stat", input));
      const info = await Deno.stat(real);
      return {
        content: JSON.stringify({
          path: real,
          type: info.isDirectory ? "dir" : "file",
          size: info.size,
          modified: info.mtime?.toISOString() ?? null,
        }),
      };
    },
  }, {
    name: "file_search",
    description:
      `Finds files whose name matches a glob under a directory (at most ${SEARCH_MAX}).`,
    inputSchema: schema({ path: PATH, pattern: { type: "string" } }, [
      "path",
      "pattern",
    ]),
    async run(input, context) {
      const real = await box.resolve(pathOf("file_search", input));
      const pattern = globToRegExp(
        requireText("file_search", inputOf("file_search", input), {
          key: "pattern",
          max: 256,
        }),
      );
      const found: string[] = [];
      const walk = async (dir: string, depth: number): Promise<void> => {
        for await (const entry of Deno.readDir(dir)) {
          context.signal.throwIfAborted();
          if (found.length >= SEARCH_MAX) return;
          const path = join(dir, entry.name);
          if (entry.isSymlink || box.excluded(path)) continue;
          if (pattern.test(entry.name)) found.push(path);
          if (entry.isDirectory && depth < SEARCH_DEPTH) {
            await walk(path, depth + 1);
          }
        }
      };
      await walk(real, 1);
      return { content: JSON.stringify({ matches: found }) };
    },
  }];
  if (!config.writeAccess) return tools;
  tools.push({
    name: "file_write",
    description: "Creates or replaces a text file (atomically).",
    inputSchema: schema({ path: PATH, content: { type: "string" } }, [
      "path",
      "content",
    ]),
    async run(input) {
      const path = pathOf("file_write", input);
      box.checkWritable(path);
      const content = inputOf("file_write", input).content;
      if (typeof content !== "string" || content.length > WRITE_MAX_BYTES) {
        throw new CaraError(
          "invalid_tool_input",
          `Invalid file_write input: "content" must be a string of at most ${WRITE_MAX_BYTES} characters`,
        );
      }
      const real = await box.resolve(path, { allowMissing: true });
      await writeFileAtomic(real, content, { mode: 0o644 });
      return { content: `Wrote ${real}` };
    },
  }, {
    name: "file_move",
    description: "Moves or renames a file inside the allowed roots.",
    inputSchema: schema({ from: PATH, to: PATH }, ["from", "to"]),
    async run(input) {
      const from = await box.resolve(pathOf("file_move", input, "from"));
      box.checkWritable(from);
      const to = await box.resolve(pathOf("file_move", input, "to"), {
        allowMissing: true,
      });
      await Deno.rename(from, to);
      return { content: `Moved ${from} to ${to}` };
    },
  });
  return tools;
}
