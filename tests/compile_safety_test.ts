/**
 * Keeps the product compile-safe (see DESIGN.md, Toolchain): scans every
 * product source file with a small lint plugin run through
 * `Deno.lint.runPlugin` and fails naming file:line for each violation.
 *
 * @module
 */
import { join, relative, sep } from "node:path";
import { assertEquals } from "./_helpers.ts";

// TSParameterProperty is a parent type the Node union leaves out.
type Node = Deno.lint.Node | Deno.lint.TSParameterProperty;

/** One compile-safety violation. */
interface Violation {
  file: string;
  line: number;
  rule: string;
  message: string;
}

const ROOT = join(import.meta.dirname ?? ".", "..");
const PRODUCT_ROOTS = ["main.ts", "mod.ts", "cli", "gateway", "plugins"];
const SOURCE_EXTENSIONS = /\.(ts|tsx|mts|js|mjs)$/;
const EXIT_ALLOWED = ["main.ts"];
const ENV_ALLOWED = ["cli/context.ts", "gateway/start_gateway.ts"];
// Files whose dynamic import() loads a data:/blob: URL they built.
const DYNAMIC_IMPORT_HELPERS: string[] = ["plugins/sandbox/sandbox_runtime.ts"];
const META_SOURCES = new Set(["url", "dirname", "filename", "resolve"]);
const READ_CALLS = new Set([
  "fetch",
  ...["readTextFile", "readFile", "open", "stat", "lstat", "readDir"]
    .flatMap((name) => [name, `${name}Sync`]),
  ...["realPath", "readLink", "copyFile"].flatMap((n) => [n, `${n}Sync`]),
  ...["createReadStream", "existsSync", "readdir", "readdirSync", "access"],
  "accessSync",
]);

const same = (a: Node, b: Node | null | undefined) =>
  b !== null && b !== undefined && a.range[0] === b.range[0] &&
  a.range[1] === b.range[1];

function keyName(node: Node): string | undefined {
  if (node.type === "Identifier" || node.type === "PrivateIdentifier") {
    return node.name;
  }
  if (node.type === "Literal" && typeof node.value === "string") {
    return node.value;
  }
  return undefined;
}

function calleeName(callee: Node): string | undefined {
  if (callee.type === "Identifier") return callee.name;
  if (callee.type === "MemberExpression" && !callee.computed) {
    return keyName(callee.property);
  }
  return undefined;
}

function isDenoMember(node: Node, name: string): boolean {
  return node.type === "MemberExpression" &&
    node.object.type === "Identifier" && node.object.name === "Deno" &&
    keyName(node.property) === name;
}

type FunctionNode =
  | Deno.lint.FunctionDeclaration
  | Deno.lint.FunctionExpression
  | Deno.lint.ArrowFunctionExpression;

/** The parent of a node; `Program` and comments have none. */
function parentOf(node: Node): Node | undefined {
  return "parent" in node ? node.parent : undefined;
}

function isFunction(node: Node): node is FunctionNode {
  return node.type === "FunctionDeclaration" ||
    node.type === "FunctionExpression" ||
    node.type === "ArrowFunctionExpression";
}

type ReadCall = Deno.lint.CallExpression | Deno.lint.NewExpression;

/** Names a value derived from `import.meta` flows into, per file. */
interface Taint {
  bindings: Set<string>;
  props: Set<string>;
}

function taintPattern(pattern: Node, taint: Taint): void {
  if (pattern.type === "Identifier") taint.bindings.add(pattern.name);
  if (pattern.type === "ObjectPattern") {
    for (const p of pattern.properties) {
      taintPattern(p.type === "Property" ? p.value : p.argument, taint);
    }
  }
  if (pattern.type === "ArrayPattern") {
    for (const e of pattern.elements) if (e) taintPattern(e, taint);
  }
}

/**
 * Follows a value derived from `import.meta` up the tree: reports the read
 * call it is an argument of, or records the name it is stored under.
 */
function trace(start: Node, taint: Taint, report: (n: ReadCall) => void): void {
  let child: Node = start;
  for (let p = parentOf(child); p; child = p, p = parentOf(p)) {
    switch (p.type) {
      case "CallExpression":
      case "NewExpression": {
        const name = calleeName(p.callee);
        if (!same(child, p.callee) && name && READ_CALLS.has(name)) {
          return report(p);
        }
        continue;
      }
      case "VariableDeclarator":
        if (same(child, p.init)) taintPattern(p.id, taint);
        return;
      case "AssignmentExpression": {
        if (!same(child, p.right)) return;
        const left = p.left;
        if (left.type === "MemberExpression" && !left.computed) {
          const name = keyName(left.property);
          if (name) taint.props.add(name);
        } else taintPattern(left, taint);
        return;
      }
      case "Property":
      case "PropertyDefinition":
      case "MethodDefinition": {
        const name = p.computed ? undefined : keyName(p.key);
        if (same(child, p.key)) return;
        if (name) taint.props.add(name);
        if (p.type === "Property") continue;
        return;
      }
      case "ReturnStatement": {
        let fn = parentOf(p);
        while (fn && !isFunction(fn)) fn = parentOf(fn);
        if (!fn) return;
        if (fn.type === "FunctionDeclaration" && fn.id) {
          return void taint.bindings.add(fn.id.name);
        }
        p = fn; // continue from the function expression itself
        continue;
      }
      default:
        if (isFunction(p) && !same(child, p.body)) return;
        if (/Statement$|Declaration$|^Program$|^StaticBlock$/.test(p.type)) {
          return;
        }
    }
  }
}

/** Whether an identifier is a use of a tainted name (not a declaration). */
function isTaintedUse(node: Node, taint: Taint): boolean {
  const p = parentOf(node);
  if (node.type === "PrivateIdentifier") {
    return p?.type === "MemberExpression" && taint.props.has(node.name);
  }
  if (node.type !== "Identifier" || !p) return false;
  if (p.type === "MemberExpression" && same(node, p.property)) {
    return !p.computed && taint.props.has(node.name);
  }
  const declares = (p.type === "Property" && same(node, p.key) &&
    !p.shorthand) ||
    (p.type === "VariableDeclarator" && same(node, p.id)) ||
    ((p.type === "PropertyDefinition" || p.type === "MethodDefinition") &&
      same(node, p.key)) ||
    (isFunction(p) && !same(node, p.body));
  return !declares && taint.bindings.has(node.name);
}

function importMetaReadRule(): Deno.lint.Rule {
  return {
    create(ctx) {
      const sources: Node[] = [];
      const identifiers: Node[] = [];
      const message =
        "reads a file relative to import.meta at run time: embed it as a module or pass --include";
      return {
        MetaProperty(node) {
          const p = node.parent;
          const isMember = p.type === "MemberExpression" &&
            same(node, p.object);
          if (!isMember) sources.push(node);
          else if (META_SOURCES.has(keyName(p.property) ?? "")) sources.push(p);
        },
        Identifier: (node) => void identifiers.push(node),
        PrivateIdentifier: (node) => void identifiers.push(node),
        "Program:exit"() {
          const taint: Taint = { bindings: new Set(), props: new Set() };
          const reported = new Set<string>();
          const traced = new Set<string>();
          const report = (node: ReadCall) => {
            if (reported.has(String(node.range))) return;
            reported.add(String(node.range));
            ctx.report({ node, message });
          };
          let queue = sources;
          while (queue.length > 0) {
            for (const node of queue) {
              traced.add(String(node.range));
              trace(node, taint, report);
            }
            queue = identifiers.filter((node) =>
              !traced.has(String(node.range)) && isTaintedUse(node, taint)
            );
          }
        },
      };
    },
  };
}

function dynamicImportRule(): Deno.lint.Rule {
  return {
    create(ctx) {
      if (DYNAMIC_IMPORT_HELPERS.includes(ctx.filename)) return {};
      return {
        ImportExpression(node) {
          const s = node.source;
          const literal =
            (s.type === "Literal" && typeof s.value === "string") ||
            (s.type === "TemplateLiteral" && s.expressions.length === 0);
          if (literal) return;
          ctx.report({
            node,
            message:
              "imports a computed specifier: use a string literal (a data:/blob: URL only via the whitelisted helper)",
          });
        },
      };
    },
  };
}

function denoMemberRule(
  name: string,
  allowed: readonly string[],
  message: string,
): Deno.lint.Rule {
  return {
    create(ctx) {
      if (allowed.includes(ctx.filename)) return {};
      return {
        MemberExpression(node) {
          if (isDenoMember(node, name)) ctx.report({ node, message });
        },
      };
    },
  };
}

function compileSafetyPlugin(): Deno.lint.Plugin {
  return {
    name: "compile-safety",
    rules: {
      "import-meta-read": importMetaReadRule(),
      "dynamic-import": dynamicImportRule(),
      "deno-exit": denoMemberRule(
        "exit",
        EXIT_ALLOWED,
        "calls Deno.exit outside main.ts: throw a CliError or CaraError instead",
      ),
      "deno-env": denoMemberRule(
        "env",
        ENV_ALLOWED,
        `reads Deno.env outside ${
          ENV_ALLOWED.join(", ")
        }: take the env from CliContext or options`,
      ),
    },
  };
}

/** Scans one source text; `file` is its repository-relative path with `/`. */
function scanSource(file: string, source: string): Violation[] {
  return Deno.lint.runPlugin(compileSafetyPlugin(), file, source).map((d) => ({
    file,
    line: source.slice(0, d.range[0]).split("\n").length,
    rule: d.id.replace(/^compile-safety\//, ""),
    message: d.message,
  })).sort((a, b) => a.line - b.line);
}

/** Repository-relative paths of every product source file. */
function productFiles(): string[] {
  const files: string[] = [];
  const visit = (path: string) => {
    const info = Deno.statSync(path);
    if (info.isFile && SOURCE_EXTENSIONS.test(path)) files.push(path);
    if (!info.isDirectory) return;
    for (const entry of Deno.readDirSync(path)) {
      if (entry.name !== "node_modules") visit(join(path, entry.name));
    }
  };
  for (const root of PRODUCT_ROOTS) {
    try {
      visit(join(ROOT, root));
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return files.map((path) => relative(ROOT, path).split(sep).join("/")).sort();
}

const format = (v: Violation) => `${v.file}:${v.line} ${v.rule}: ${v.message}`;
const rulesOf = (file: string, source: string) =>
  scanSource(file, source).map((v) => `${v.line} ${v.rule}`);

Deno.test("product sources have no compile-safety violation", () => {
  const files = productFiles();
  for (const expected of ["main.ts", "cli/self_command.ts", "cli/run.ts"]) {
    assertEquals(files.includes(expected), true, `${expected} was not scanned`);
  }
  const violations = files.flatMap((file) =>
    scanSource(file, Deno.readTextFileSync(join(ROOT, file)))
  );
  assertEquals(violations.map(format), []);
});

Deno.test("scanSource() flags reads derived from import.meta when direct or through names", () => {
  const source = [
    'await Deno.readTextFile(new URL("x.json", import.meta.url));',
    "const dir = dirname(fromFileUrl(import.meta.url));",
    'const text = Deno.readTextFileSync(join(dir, "a.txt"));',
    'await fetch(import.meta.resolve("./b.wasm"));',
    "function assetUrl() { return new URL('c', import.meta.url); }",
    "await fetch(assetUrl());",
    "class A { #base = import.meta.dirname; f() { return readFileSync(this.#base + '/d'); } }",
    "const stream = createReadStream(`${import.meta.filename}.map`);",
    "const { url } = import.meta; await Deno.stat(url);",
  ].join("\n");
  assertEquals(rulesOf("gateway/x.ts", source), [
    "1 import-meta-read",
    "3 import-meta-read",
    "4 import-meta-read",
    "6 import-meta-read",
    "7 import-meta-read",
    "8 import-meta-read",
    "9 import-meta-read",
  ]);
});

Deno.test("scanSource() allows import.meta values that are never read", () => {
  const source = [
    "// Deno.readTextFile(new URL('x', import.meta.url)) in a comment",
    "const text = 'Deno.readTextFile(new URL(\"x\", import.meta.url))';",
    "const mainModule = options.mainModule ?? new URL('../main.ts', import.meta.url).href;",
    "const command = { command: execPath, args: [...RUN_FLAGS, mainModule] };",
    "if (import.meta.main) await Deno.readTextFile(options.path);",
    "const url = 'https://example.com'; await fetch(request.url);",
  ].join("\n");
  assertEquals(rulesOf("cli/self_command.ts", source), []);
});

Deno.test("scanSource() flags a dynamic import of a computed specifier", () => {
  const source = [
    "await import(specifier);",
    'await import("./plugins/" + name + ".ts");',
    "await import(`./x/${name}.ts`);",
    'await import("npm:openai@4");',
    "await import(`./literal.ts`);",
  ].join("\n");
  assertEquals(rulesOf("plugins/load.ts", source), [
    "1 dynamic-import",
    "2 dynamic-import",
    "3 dynamic-import",
  ]);
});

Deno.test("scanSource() flags Deno.exit outside main.ts", () => {
  const source =
    "Deno.exit(1);\nconst quit = Deno.exit;\nconst s = 'Deno.exit(2)';";
  assertEquals(rulesOf("cli/start.ts", source), ["1 deno-exit", "2 deno-exit"]);
  assertEquals(rulesOf("main.ts", source), []);
});

Deno.test("scanSource() flags Deno.env outside the allow-list", () => {
  const source = 'Deno.env.get("HOME");\nconst all = Deno.env.toObject();';
  assertEquals(rulesOf("gateway/config/load.ts", source), [
    "1 deno-env",
    "2 deno-env",
  ]);
  assertEquals(rulesOf("cli/context.ts", source), []);
  assertEquals(rulesOf("gateway/start_gateway.ts", source), []);
  assertEquals(rulesOf("gateway/config/load.ts", "ctx.env.HOME;"), []);
});
