/**
 * `memory_read`, `memory_write`, `memory_list`: notes the agent keeps as
 * files in `<state dir>/memory`. Names are single flat file names (no
 * separators, no leading dot), so no path can leave the directory; files
 * are written atomically with mode 0600 and capped in size.
 *
 * @module
 */
import { join } from "node:path";
import type { Tool } from "../agent/types.ts";
import { writeFileAtomic } from "../config/atomic_write.ts";
import { CaraError } from "../errors.ts";
import { inputOf, requireText } from "./_input.ts";

/** The largest memory file, in bytes. */
export const MEMORY_MAX_BYTES = 1024 * 1024;
/** The most files `memory_list` returns. */
export const MEMORY_LIST_MAX = 500;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

function checkName(tool: string, input: unknown): string {
  const name = requireText(tool, inputOf(tool, input), {
    key: "name",
    max: 128,
  });
  if (!NAME.test(name) || name.includes("..")) {
    throw new CaraError(
      "invalid_tool_input",
      `Invalid ${tool} input: memory name "${name}" must be a plain file name (letters, digits, "_", "-", "."; no path separators, no "..")`,
    );
  }
  return name;
}

const nameSchema = {
  type: "string",
  description: 'A plain file name such as "preferences.md"',
};

/**
 * Builds the three memory tools over `dir`.
 *
 * @example
 * ```ts
 * const tools = memoryTools({ dir: resolveMemoryDir(env) });
 * ```
 */
export function memoryTools(options: { dir: string }): Tool[] {
  const { dir } = options;
  return [{
    name: "memory_read",
    description: "Reads one memory note by name.",
    inputSchema: {
      type: "object",
      properties: { name: nameSchema },
      required: ["name"],
    },
    async run(input) {
      const name = checkName("memory_read", input);
      try {
        const info = await Deno.lstat(join(dir, name));
        if (!info.isFile) throw new Deno.errors.NotFound();
        return { content: await Deno.readTextFile(join(dir, name)) };
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
        return { content: `No memory note named "${name}"`, isError: true };
      }
    },
  }, {
    name: "memory_write",
    description: "Creates or replaces one memory note.",
    inputSchema: {
      type: "object",
      properties: { name: nameSchema, content: { type: "string" } },
      required: ["name", "content"],
    },
    async run(input) {
      const name = checkName("memory_write", input);
      const content = inputOf("memory_write", input).content;
      if (typeof content !== "string") {
        throw new CaraError(
          "invalid_tool_input",
          `Invalid memory_write input: "content" must be a string`,
        );
      }
      const size = new TextEncoder().encode(content).length;
      if (size > MEMORY_MAX_BYTES) {
        throw new CaraError(
          "invalid_tool_input",
          `Cannot write memory note "${name}": it is ${size} bytes; the limit is ${MEMORY_MAX_BYTES}`,
        );
      }
      await writeFileAtomic(join(dir, name), content);
      return { content: `Saved memory note "${name}" (${size} bytes)` };
    },
  }, {
    name: "memory_list",
    description: "Lists the memory notes.",
    inputSchema: { type: "object", properties: {} },
    async run() {
      const names: string[] = [];
      try {
        for await (const entry of Deno.readDir(dir)) {
          if (entry.isFile && NAME.test(entry.name)) names.push(entry.name);
        }
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
      names.sort();
      return {
        content: JSON.stringify({ notes: names.slice(0, MEMORY_LIST_MAX) }),
      };
    },
  }];
}
