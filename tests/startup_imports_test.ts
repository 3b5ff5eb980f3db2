/**
 * Keeps start-up light: no heavy SDK may be statically reachable from
 * main.ts; provider, channel and plugin SDKs load through a literal dynamic
 * `import("…")` where they are used. The graph comes from `deno info --json`.
 *
 * @module
 */
import { join } from "node:path";
import { assert, assertEquals, tempDir } from "./_helpers.ts";

/** The parts of `deno info --json` output this test reads. */
interface DenoInfo {
  roots: string[];
  modules: {
    specifier: string;
    kind: string;
    npmPackage?: string;
    dependencies?: {
      code?: { specifier: string };
      isDynamic?: boolean;
      npmPackage?: string;
    }[];
  }[];
  redirects: Record<string, string>;
  npmPackages?: Record<string, { name: string; dependencies: string[] }>;
}

const ROOT = join(import.meta.dirname ?? ".", "..");
const HEAVY_PACKAGES = [
  "openai",
  "@anthropic-ai/sdk",
  "@anthropic-ai/bedrock-sdk",
  "@anthropic-ai/vertex-sdk",
  "@google/genai",
  "@google/generative-ai",
  "@aws-sdk/*",
  "@smithy/*",
  "matrix-js-sdk",
  "grammy",
  "discord.js",
  "@discordjs/*",
  "@slack/*",
  "@bytecodealliance/jco",
  "@bytecodealliance/jco-transpile",
  "playwright",
  "playwright-core",
];

async function denoInfo(entry: string, cwd: string): Promise<DenoInfo> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  assert(out.success, `deno info failed:\n${decoder.decode(out.stderr)}`);
  return JSON.parse(decoder.decode(out.stdout)) as DenoInfo;
}

/** Names of npm packages loaded when the roots are, without dynamic imports. */
function staticNpmPackages(info: DenoInfo): Set<string> {
  const modules = new Map(info.modules.map((m) => [m.specifier, m]));
  const resolve = (specifier: string) => {
    let current = specifier;
    for (let hops = 0; info.redirects[current] && hops < 10; hops++) {
      current = info.redirects[current] ?? current;
    }
    return current;
  };
  const packages = new Set<string>();
  const seen = new Set<string>();
  const queue = info.roots.map(resolve);
  for (let specifier = queue.pop(); specifier; specifier = queue.pop()) {
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    const module = modules.get(specifier);
    if (module?.npmPackage) packages.add(module.npmPackage);
    for (const dep of module?.dependencies ?? []) {
      if (dep.isDynamic || !dep.code) continue; // lazy, or types only
      if (dep.npmPackage) packages.add(dep.npmPackage);
      queue.push(resolve(dep.code.specifier));
    }
  }
  const names = new Set<string>();
  const expand = [...packages];
  for (let id = expand.pop(); id; id = expand.pop()) {
    const pkg = info.npmPackages?.[id];
    if (!pkg || names.has(`${pkg.name}\0${id}`)) continue;
    names.add(`${pkg.name}\0${id}`);
    expand.push(...pkg.dependencies);
  }
  return new Set([...names].map((entry) => entry.split("\0")[0] ?? ""));
}

/** The names among `names` that match a heavy pattern (`@scope/*` or exact). */
function heavyAmong(
  names: Iterable<string>,
  patterns: readonly string[] = HEAVY_PACKAGES,
): string[] {
  return [...names].filter((name) =>
    patterns.some((p) =>
      p.endsWith("/*") ? name.startsWith(p.slice(0, -1)) : name === p
    )
  ).sort();
}

Deno.test("cara start statically reaches no heavy SDK", async () => {
  // A plain start loads main.ts, then cli/start_run.ts (see cli/run.ts).
  const names = new Set([
    ...staticNpmPackages(await denoInfo("main.ts", ROOT)),
    ...staticNpmPackages(await denoInfo("cli/start_run.ts", ROOT)),
  ]);
  assert(names.has("hono"), "the graph walk found no npm package");
  assertEquals(heavyAmong(names), []);
});

Deno.test("staticNpmPackages() counts static imports and skips dynamic and type-only ones", async () => {
  using dir = tempDir();
  await Deno.writeTextFile(
    join(dir.path, "main.ts"),
    [
      'import { Hono } from "npm:hono@^4";',
      'export const lazy = () => import("npm:zod@^3");',
      'export type { Command } from "npm:commander@^13";',
      "export const app = new Hono();",
    ].join("\n"),
  );
  const names = staticNpmPackages(await denoInfo("main.ts", dir.path));
  assertEquals([...names], ["hono"]);
  assertEquals(heavyAmong(names, ["hono", "zod", "commander"]), ["hono"]);
});

Deno.test("staticNpmPackages() follows redirects and npm dependencies transitively", () => {
  const info: DenoInfo = {
    roots: ["file:///main.ts"],
    modules: [
      {
        specifier: "file:///main.ts",
        kind: "esm",
        dependencies: [{ code: { specifier: "npm:wrapper@^1" } }],
      },
      { specifier: "npm:/wrapper@1.0.0", kind: "npm", npmPackage: "w@1" },
    ],
    redirects: { "npm:wrapper@^1": "npm:/wrapper@1.0.0" },
    npmPackages: {
      "w@1": { name: "wrapper", dependencies: ["s@3"] },
      "s@3": { name: "@aws-sdk/client-s3", dependencies: [] },
    },
  };
  const names = staticNpmPackages(info);
  assertEquals(heavyAmong(names), ["@aws-sdk/client-s3"]);
});
