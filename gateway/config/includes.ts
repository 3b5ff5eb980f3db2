/**
 * Resolves `$include` directives at any depth of a parsed config.
 *
 * @module
 */
import { dirname, resolve } from "node:path";
import { type ConfigObject, isRecord, setOwn } from "./_object.ts";
import { ConfigError } from "./errors.ts";
import { deepMerge } from "./merge.ts";
import { parseConfigText, readConfigText } from "./read_file.ts";

/** The deepest chain of nested includes. */
export const MAX_INCLUDE_DEPTH = 10;
/** The most files one load may include in total (guards against fan-out). */
export const MAX_INCLUDE_FILES = 256;

/** A config with its includes resolved, plus every file that was read. */
export interface ResolvedIncludes {
  value: unknown;
  /** The included files (not the top-level one), in the order read. */
  files: string[];
}

interface Frame {
  file: string;
  chain: readonly string[];
  files: string[];
}

/**
 * Replaces every `$include` in `value`, which was parsed from `file`.
 *
 * @throws {ConfigError} kinds `invalid_include_directive`, `include_not_found`,
 *   `circular_include`, `include_depth_exceeded`, `include_must_be_object`, `read`, `parse`
 */
export async function resolveIncludes(
  value: unknown,
  file: string,
): Promise<ResolvedIncludes> {
  const files: string[] = [];
  const chain = [await canonical(file) ?? resolve(file)];
  return { value: await resolveValue(value, { file, chain, files }), files };
}

async function resolveValue(value: unknown, frame: Frame): Promise<unknown> {
  if (Array.isArray(value)) {
    const items = [];
    for (const item of value) items.push(await resolveValue(item, frame));
    return items;
  }
  if (!isRecord(value)) return value;
  const siblings: ConfigObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (key !== "$include") {
      setOwn(siblings, key, await resolveValue(item, frame));
    }
  }
  if (!Object.hasOwn(value, "$include")) return siblings;
  let merged: unknown = undefined;
  for (const target of includeTargets(value.$include, frame.file)) {
    const included = await loadInclude(target, frame);
    merged = merged === undefined ? included : deepMerge(merged, included);
  }
  if (Object.keys(siblings).length === 0) return merged;
  if (!isRecord(merged)) {
    throw new ConfigError(
      "include_must_be_object",
      `Cannot include into "${frame.file}": an included file next to other keys must contain an object; move the other keys or include an object`,
      { path: frame.file },
    );
  }
  return deepMerge(merged, siblings);
}

function includeTargets(directive: unknown, file: string): string[] {
  const list = typeof directive === "string" ? [directive] : directive;
  const valid = Array.isArray(list) && list.length > 0 &&
    list.every((item) =>
      typeof item === "string" && item !== "" && !item.includes("\0")
    );
  if (!valid) {
    throw new ConfigError(
      "invalid_include_directive",
      `Cannot resolve "$include" in "${file}": expected a file path or a non-empty array of file paths, got ${
        JSON.stringify(directive)?.slice(0, 80)
      }`,
      { path: file },
    );
  }
  return list as string[];
}

async function loadInclude(target: string, frame: Frame): Promise<unknown> {
  const path = resolve(dirname(frame.file), target);
  const real = await canonical(path);
  const from = `Cannot include "${target}" from "${frame.file}"`;
  if (real === null) {
    throw new ConfigError(
      "include_not_found",
      `${from}: file "${path}" not found`,
      { path },
    );
  }
  if (frame.chain.includes(real)) {
    throw new ConfigError(
      "circular_include",
      `${from}: circular include (${[...frame.chain, real].join(" -> ")})`,
      { path },
    );
  }
  if (frame.chain.length > MAX_INCLUDE_DEPTH) {
    throw new ConfigError(
      "include_depth_exceeded",
      `${from}: includes nest deeper than ${MAX_INCLUDE_DEPTH} levels`,
      { path },
    );
  }
  if (frame.files.length >= MAX_INCLUDE_FILES) {
    throw new ConfigError(
      "include_depth_exceeded",
      `${from}: more than ${MAX_INCLUDE_FILES} files included in total`,
      { path },
    );
  }
  frame.files.push(path);
  const text = await readConfigText(path);
  if (text === null) {
    throw new ConfigError(
      "include_not_found",
      `${from}: file "${path}" not found`,
      { path },
    );
  }
  const parsed = parseConfigText(text, path);
  return await resolveValue(parsed, {
    file: path,
    chain: [...frame.chain, real],
    files: frame.files,
  });
}

async function canonical(path: string): Promise<string | null> {
  try {
    return await Deno.realPath(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw new ConfigError(
      "read",
      `Cannot read config "${path}": ${
        error instanceof Error ? error.message : String(error)
      }`,
      { path, cause: error },
    );
  }
}
