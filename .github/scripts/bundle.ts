/**
 * Builds the release bundle: `deno bundle` of main.ts and of the plugin
 * sandbox Worker entry into `dist/bundle/`, code-split, which release.yml
 * then compiles (`deno compile dist/bundle/main.js`). A bundle starts much
 * faster than the ~150 source modules it replaces.
 *
 * Layout of the output: each entry keeps its repository path with a `.js`
 * extension (`main.js`, `plugins/sandbox/worker_entry.js`); every other
 * module lives in a chunk at the root. cli/self_command.ts relies on this to
 * find the entries (see `entryModuleUrl`). `build.json` records a hash of the
 * inputs, so a stale bundle can be told from a fresh one.
 *
 * Usage: `deno run -A .github/scripts/bundle.ts [--out dist/bundle] [--if-stale]`
 *
 * @module
 */
import { parseArgs } from "node:util";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { encodeHex } from "../../gateway/sha256.ts";

/** The modules bundled as entry points, by repository path. */
export const BUNDLE_ENTRIES: readonly string[] = [
  "main.ts",
  "plugins/sandbox/worker_entry.ts",
];

/**
 * npm packages left out of the bundle and loaded from node_modules at run
 * time: jco-transpile reads its .wasm files relative to its own module. The
 * bundle names them by their full `npm:` specifier from deno.json, which
 * resolves from anywhere (a bare name resolves only inside this workspace).
 */
export const BUNDLE_EXTERNALS: readonly string[] = [
  "@bytecodealliance/jco-transpile",
];

/** Where `deno task build` writes the bundle, relative to the repository. */
export const DEFAULT_BUNDLE_DIR = "dist/bundle";

/** The file that records what a bundle was built from. */
export const BUNDLE_STAMP = "build.json";

/**
 * Modules the bundle takes in place of a `node:` built-in our own code
 * imports (npm packages keep theirs): gateway/path.ts gives node:path's
 * results without setting up Deno's Node compatibility layer, which costs
 * every start 6-9 ms.
 */
export const BUNDLE_SUBSTITUTES: Readonly<Record<string, string>> = {
  "node:path": "gateway/path.ts",
};

// Inputs of the bundle: everything main.ts can reach, plus the build itself.
const INPUT_ROOTS = [
  "main.ts",
  "cli",
  "gateway",
  "plugins",
  "wit",
  "deno.json",
  "deno.lock",
  ".github/scripts/bundle.ts",
];

// esbuild's helper chunk imports node:module to build `require` for bundled
// CommonJS. Loading node:module costs ~20 ms of Node-compat set-up at every
// start, and nothing on the start path calls `require`, so it is created on
// first use instead.
const EAGER_REQUIRE =
  'import { createRequire as __deno_internal_createRequire } from "node:module";\n' +
  "var __require = __deno_internal_createRequire(import.meta.url);";
const LAZY_REQUIRE = "var __deno_internal_require;\n" +
  "var __require = (id) => (__deno_internal_require ??= " +
  'globalThis.process.getBuiltinModule("node:module")' +
  ".createRequire(import.meta.url))(id);";

/** What {@linkcode buildBundle} and {@linkcode ensureBundle} produced. */
export interface BundleInfo {
  /** Absolute path of the bundle directory. */
  dir: string;
  /** Absolute path of the bundled `main.js`. */
  entry: string;
  /** SHA-256 of the inputs the bundle was built from. */
  inputsHash: string;
  /** `true` when this call built it, `false` when a fresh one was reused. */
  built: boolean;
}

/** Options of {@linkcode buildBundle} and {@linkcode ensureBundle}. */
export interface BundleOptions {
  /** The repository root (default: this checkout). */
  root?: string;
  /** The output directory, relative to `root` or absolute (default `dist/bundle`). */
  outDir?: string;
}

const ROOT = resolve(import.meta.dirname ?? ".", "..", "..");

/**
 * SHA-256 over the path and content of every input file of the bundle.
 *
 * @example
 * ```ts
 * const hash = await bundleInputsHash(Deno.cwd());
 * ```
 */
export async function bundleInputsHash(root: string = ROOT): Promise<string> {
  const files: string[] = [];
  for (const input of INPUT_ROOTS) collectFiles(join(root, input), files);
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const file of files.sort()) {
    parts.push(
      encoder.encode(`${relative(root, file).split(sep).join("/")}\0`),
    );
    parts.push(await Deno.readFile(file), encoder.encode("\0"));
  }
  const all = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return encodeHex(new Uint8Array(await crypto.subtle.digest("SHA-256", all)));
}

function collectFiles(path: string, into: string[]): void {
  const info = Deno.statSync(path);
  if (info.isFile) into.push(path);
  if (!info.isDirectory) return;
  for (const entry of Deno.readDirSync(path)) {
    if (entry.name !== "node_modules") {
      collectFiles(join(path, entry.name), into);
    }
  }
}

/**
 * Bundles main.ts and the sandbox Worker entry into `outDir`, replacing what
 * was there only once the new bundle is complete.
 *
 * @throws Error when `deno bundle` fails or its output is not laid out as expected
 * @example
 * ```ts
 * const { entry } = await buildBundle();
 * // deno run -A --unstable-worker-options … dist/bundle/main.js version
 * ```
 */
export async function buildBundle(
  options: BundleOptions = {},
): Promise<BundleInfo> {
  const root = options.root ?? ROOT;
  const dir = resolve(root, options.outDir ?? DEFAULT_BUNDLE_DIR);
  const inputsHash = await bundleInputsHash(root);
  await Deno.mkdir(dirname(dir), { recursive: true });
  const temp = join(dirname(dir), `.${basename(dir)}.${crypto.randomUUID()}`);
  try {
    const imports = await importMap(root);
    await runDenoBundle(root, temp, await writeBundleImportMap(root, imports));
    await pinExternals(temp, imports);
    await lazyRequire(temp);
    await checkLayout(temp);
    await Deno.writeTextFile(
      join(temp, BUNDLE_STAMP),
      JSON.stringify({ inputsHash, deno: Deno.version.deno }, null, 2) + "\n",
    );
    await replaceDir(temp, dir);
  } catch (error) {
    await Deno.remove(temp, { recursive: true }).catch(() => {});
    throw error;
  }
  return { dir, entry: join(dir, "main.js"), inputsHash, built: true };
}

/**
 * Reuses the bundle in `outDir` when it was built from the current inputs
 * (and this Deno version), else builds it.
 *
 * @throws Error as {@linkcode buildBundle}
 */
export async function ensureBundle(
  options: BundleOptions = {},
): Promise<BundleInfo> {
  const root = options.root ?? ROOT;
  const dir = resolve(root, options.outDir ?? DEFAULT_BUNDLE_DIR);
  const inputsHash = await bundleInputsHash(root);
  try {
    const stamp = JSON.parse(
      await Deno.readTextFile(join(dir, BUNDLE_STAMP)),
    ) as { inputsHash?: unknown; deno?: unknown };
    if (stamp.inputsHash === inputsHash && stamp.deno === Deno.version.deno) {
      return { dir, entry: join(dir, "main.js"), inputsHash, built: false };
    }
  } catch {
    // missing or unreadable: build it
  }
  return await buildBundle(options);
}

/** deno.json's import map plus {@linkcode BUNDLE_SUBSTITUTES}, in a temp file. */
async function writeBundleImportMap(
  root: string,
  imports: Record<string, string>,
): Promise<string> {
  const substitutes = Object.fromEntries(
    Object.entries(BUNDLE_SUBSTITUTES).map((
      [specifier, path],
    ) => [specifier, pathToFileURL(join(root, path)).href]),
  );
  const path = await Deno.makeTempFile({
    prefix: "cara-bundle-imports-",
    suffix: ".json",
  });
  await Deno.writeTextFile(
    path,
    JSON.stringify({ imports: { ...imports, ...substitutes } }),
  );
  return path;
}

async function runDenoBundle(
  root: string,
  outDir: string,
  importMapPath: string,
): Promise<void> {
  const args = [
    "bundle",
    "--platform",
    "deno",
    "--code-splitting",
    "--import-map",
    importMapPath,
    ...BUNDLE_EXTERNALS.flatMap((name) => ["--external", name]),
    "--outdir",
    outDir,
    ...BUNDLE_ENTRIES,
  ];
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output().finally(() => Deno.remove(importMapPath).catch(() => {}));
  if (!out.success) {
    throw new Error(
      `Build the bundle failed: "deno ${
        args.join(" ")
      }" exited with code ${out.code}:\n${
        new TextDecoder().decode(out.stderr)
      }`,
    );
  }
}

async function importMap(root: string): Promise<Record<string, string>> {
  const config = JSON.parse(
    await Deno.readTextFile(join(root, "deno.json")),
  ) as { imports?: Record<string, string> };
  return config.imports ?? {};
}

async function pinExternals(
  dir: string,
  imports: Record<string, string>,
): Promise<void> {
  for (const name of BUNDLE_EXTERNALS) {
    const target = imports[name];
    if (!target?.startsWith("npm:")) {
      throw new Error(
        `Build the bundle failed: external "${name}" has no npm: entry in deno.json "imports"`,
      );
    }
    const quoted = JSON.stringify(name);
    let found = 0;
    for (const file of jsFiles(dir)) {
      const text = await Deno.readTextFile(join(dir, file));
      const pinned = text.replaceAll(
        new RegExp(`(import\\(\\s*|from\\s*)${escapeRegExp(quoted)}`, "g"),
        (_, head: string) => {
          found++;
          return `${head}${JSON.stringify(target)}`;
        },
      );
      if (pinned !== text) await Deno.writeTextFile(join(dir, file), pinned);
    }
    if (found === 0) {
      throw new Error(
        `Build the bundle failed: external "${name}" is imported nowhere; remove it from BUNDLE_EXTERNALS`,
      );
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

async function lazyRequire(dir: string): Promise<void> {
  const patched: string[] = [];
  for (const file of rootChunks(dir)) {
    const text = await Deno.readTextFile(join(dir, file));
    if (!text.includes(EAGER_REQUIRE)) continue;
    await Deno.writeTextFile(
      join(dir, file),
      text.replace(EAGER_REQUIRE, LAZY_REQUIRE),
    );
    patched.push(file);
  }
  if (patched.length !== 1) {
    throw new Error(
      `Build the bundle failed: expected esbuild's require helper in exactly one chunk, found it in ${patched.length}; update EAGER_REQUIRE in .github/scripts/bundle.ts to this Deno's bundler output`,
    );
  }
}

async function checkLayout(dir: string): Promise<void> {
  for (const entry of BUNDLE_ENTRIES) {
    const output = join(dir, entry.replace(/\.ts$/, ".js"));
    try {
      await Deno.stat(output);
    } catch {
      throw new Error(
        `Build the bundle failed: entry "${entry}" was not written to "${output}"`,
      );
    }
  }
  // entryModuleUrl() resolves the entries relative to its own chunk.
  const marker = "\n// cli/self_command.ts\n";
  const holders: string[] = [];
  for (const file of rootChunks(dir)) {
    if ((await Deno.readTextFile(join(dir, file))).includes(marker)) {
      holders.push(file);
    }
  }
  if (holders.length !== 1) {
    throw new Error(
      `Build the bundle failed: cli/self_command.ts must land in one file at the bundle root, found it in ${holders.length}`,
    );
  }
}

/** Every .js file of the bundle, relative to `dir`. */
function jsFiles(dir: string, prefix = ""): string[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(join(dir, prefix))) {
    const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory) files.push(...jsFiles(dir, path));
    else if (entry.name.endsWith(".js")) files.push(path);
  }
  return files;
}

function rootChunks(dir: string): string[] {
  return [...Deno.readDirSync(dir)]
    .filter((entry) => entry.isFile && entry.name.endsWith(".js"))
    .map((entry) => entry.name);
}

async function replaceDir(from: string, to: string): Promise<void> {
  const old = join(dirname(to), `.${basename(to)}.old.${crypto.randomUUID()}`);
  let moved = false;
  try {
    await Deno.rename(to, old);
    moved = true;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.rename(from, to);
  if (moved) await Deno.remove(old, { recursive: true }).catch(() => {});
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      out: { type: "string", default: DEFAULT_BUNDLE_DIR },
      "if-stale": { type: "boolean", default: false },
    },
  });
  const build = values["if-stale"] ? ensureBundle : buildBundle;
  const info = await build({ outDir: values.out });
  const what = info.built ? "built" : "up to date";
  Deno.stdout.writeSync(
    new TextEncoder().encode(
      `${relative(Deno.cwd(), info.entry)}: ${what} (inputs ${
        info.inputsHash.slice(0, 12)
      })\n`,
    ),
  );
}
