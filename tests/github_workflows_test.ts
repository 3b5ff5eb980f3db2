/**
 * The GitHub workflows parse as YAML and keep the release contract: the
 * target list, native smoke runners, compile flags, checksums.
 *
 * @module
 */
import { join } from "node:path";
import { parse } from "yaml";
import { assert, assertEquals } from "./_helpers.ts";
import { RUN_FLAGS, V8_FLAGS } from "../cli/self_command.ts";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}

interface Job {
  "runs-on": string;
  needs?: string | string[];
  strategy?: { matrix: Record<string, unknown> };
  steps: Step[];
}

interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const ROOT = join(import.meta.dirname ?? ".", "..");
const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
];
// Asset names the self-updater looks for (ops-and-security fact sheet §1).
const ASSETS = [
  "cara-x86_64-linux",
  "cara-aarch64-linux",
  "cara-x86_64-darwin",
  "cara-aarch64-darwin",
  "cara-x86_64-windows.exe",
];
const SMOKE_RUNNERS = [
  "ubuntu-latest",
  "ubuntu-24.04-arm",
  "macos-13",
  "macos-14",
  "windows-latest",
];

function readWorkflow(name: string): Workflow {
  const text = Deno.readTextFileSync(join(ROOT, ".github/workflows", name));
  return parse(text) as Workflow;
}

function jobOf(workflow: Workflow, name: string): Job {
  const job = workflow.jobs[name];
  assert(job, `job "${name}" is missing`);
  return job;
}

function include(job: Job, key: string): unknown[] {
  const rows = job.strategy?.matrix.include as Record<string, unknown>[];
  return rows.map((row) => row[key]);
}

function allSteps(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs).flatMap((job) => job.steps);
}

const runIndex = (job: Job, text: string) =>
  job.steps.findIndex((step) => step.run?.includes(text));

Deno.test("ci.yml runs check and test with Deno 2.9.6 on Linux, macOS and Windows", () => {
  const ci = readWorkflow("ci.yml");
  assertEquals(Object.keys(ci.on).sort(), ["pull_request", "push"]);
  const job = jobOf(ci, "test");
  assertEquals(job.strategy?.matrix.os, [
    "ubuntu-latest",
    "macos-latest",
    "windows-latest",
  ]);
  const runs = job.steps.flatMap((step) => step.run ? [step.run] : []);
  assert(runs.includes("deno task check") && runs.includes("deno task test"));
});

Deno.test("every setup-deno step of both workflows pins Deno 2.9.6", () => {
  const steps = ["ci.yml", "release.yml"].flatMap((name) =>
    allSteps(readWorkflow(name))
  ).filter((step) => step.uses?.startsWith("denoland/setup-deno@"));
  assert(steps.length >= 3, `found ${steps.length} setup-deno steps`);
  for (const step of steps) {
    assertEquals(step.uses, "denoland/setup-deno@v2");
    assertEquals(String(step.with?.["deno-version"]), "2.9.6");
  }
});

Deno.test("release.yml builds every target from a v* tag: build info, then the bundle, then compile", () => {
  const release = readWorkflow("release.yml");
  assertEquals(release.on, { push: { tags: ["v*"] } });
  const build = jobOf(release, "build");
  assertEquals(include(build, "target"), TARGETS);
  assertEquals(include(build, "asset"), ASSETS);
  const written = runIndex(build, ".github/scripts/write_build_info.ts");
  const bundled = runIndex(build, "deno task build");
  const compiled = runIndex(build, "deno compile");
  assert(
    written >= 0 && bundled > written,
    "build info must precede the bundle",
  );
  assert(compiled > bundled, "the bundle must precede compile");
});

Deno.test("deno task build runs the bundle script that release.yml compiles from", () => {
  const config = JSON.parse(
    Deno.readTextFileSync(join(ROOT, "deno.json")),
  ) as { tasks: Record<string, string> };
  assert(config.tasks.build?.includes(".github/scripts/bundle.ts"));
  assert(config.tasks.compile?.includes("dist/bundle/main.js"));
});

Deno.test("deno task start, cara and compile run cara with the flags of the compiled binary and its self-spawns", () => {
  const config = JSON.parse(
    Deno.readTextFileSync(join(ROOT, "deno.json")),
  ) as { tasks: Record<string, string> };
  for (const task of ["start", "cara"]) {
    const line = config.tasks[task] ?? "";
    for (const flag of RUN_FLAGS) {
      assert(line.includes(flag), `task ${task} lacks ${flag}: ${line}`);
    }
  }
  assert(config.tasks.compile?.includes(V8_FLAGS));
});

Deno.test("release.yml compiles the bundle with --allow-all, both unstable flags, the Worker entry and a target", () => {
  const compiles = allSteps(readWorkflow("release.yml")).filter((step) =>
    step.run?.includes("deno compile")
  );
  assert(compiles.length > 0, "no deno compile step");
  for (const step of compiles) {
    const line = step.run?.replace(/\\\n\s*/g, "") ?? "";
    for (
      const flag of [
        "--allow-all",
        "--unstable-worker-options",
        "--unstable-no-legacy-abort",
        V8_FLAGS,
        "--include dist/bundle/plugins/sandbox/worker_entry.js",
        "--target",
      ]
    ) {
      assert(line.includes(flag), `compile step lacks ${flag}: ${line}`);
    }
    assert(
      line.trimEnd().endsWith(" dist/bundle/main.js"),
      `compile step must compile dist/bundle/main.js: ${line}`,
    );
  }
});

Deno.test("release.yml smoke-tests each target on its native runner", () => {
  const smoke = jobOf(readWorkflow("release.yml"), "smoke");
  assertEquals(smoke.needs, "build");
  assertEquals(include(smoke, "target"), TARGETS);
  assertEquals(include(smoke, "runner"), SMOKE_RUNNERS);
  assertEquals(include(smoke, "asset"), ASSETS);
  assert(runIndex(smoke, ".github/scripts/smoke.ts") >= 0);
});

Deno.test("release.yml publishes only after smoke tests, with SHA256SUMS", () => {
  const publish = jobOf(readWorkflow("release.yml"), "publish");
  assertEquals(publish.needs, ["build", "smoke"]);
  const sums = runIndex(publish, "sha256sum cara-* > SHA256SUMS");
  const release = runIndex(publish, "gh release create");
  assert(
    sums >= 0 && release > sums,
    "SHA256SUMS must be written before the release",
  );
});
