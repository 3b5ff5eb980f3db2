import {
  assertEquals,
  assertMatch,
  isolatedEnv,
  runCaraInProcess,
  tempDir,
} from "../_helpers.ts";

Deno.test("cara version prints version, commit, build date, Deno and V8 versions, target", async () => {
  using dir = tempDir();
  const result = await runCaraInProcess(["version"], isolatedEnv(dir.path));
  assertEquals(result.code, 0);
  assertMatch(result.stdout, /^cara \d+\.\d+\.\d+\n/);
  assertMatch(result.stdout, /Git commit: /);
  assertMatch(result.stdout, /Build date: /);
  assertMatch(
    result.stdout,
    new RegExp(`Deno: ${Deno.version.deno.replaceAll(".", "\\.")} \\(V8 `),
  );
  assertMatch(result.stdout, new RegExp(`Target: ${Deno.build.target}`));
});

Deno.test("cara version --json is machine-readable", async () => {
  using dir = tempDir();
  const result = await runCaraInProcess(
    ["version", "--json"],
    isolatedEnv(dir.path),
  );
  const report = JSON.parse(result.stdout);
  assertEquals(report.deno, Deno.version.deno);
  assertEquals(report.target, Deno.build.target);
});

Deno.test("cara with an unknown flag exits 2 with a usage error", async () => {
  using dir = tempDir();
  const result = await runCaraInProcess(
    ["version", "--bogus"],
    isolatedEnv(dir.path),
  );
  assertEquals(result.code, 2);
  assertMatch(result.stderr, /unknown option '--bogus'/);
});

Deno.test("cara --version prints the version, while a subcommand's --version stays the subcommand's", async () => {
  using dir = tempDir();
  const root = await runCaraInProcess(["--version"], isolatedEnv(dir.path));
  assertEquals(root.code, 0);
  assertMatch(root.stdout, /^\d+\.\d+\.\d+\n$/);
  const sub = await runCaraInProcess(
    [
      "plugins",
      "install",
      "demo",
      "--file",
      "/nonexistent.wasm",
      "--version",
      "9.9.9",
    ],
    isolatedEnv(dir.path),
  );
  assertEquals(sub.stdout.trim() === root.stdout.trim(), false, sub.stdout);
});

Deno.test("cara --help into a pipe that closes early ends quietly (cara … | head)", async () => {
  using dir = tempDir();
  const { selfCommand } = await import("../../cli/self_command.ts");
  const { command, args } = selfCommand(["config", "--help"]);
  const child = new Deno.Command(command, {
    args,
    env: isolatedEnv(dir.path),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  await child.stdout.cancel();
  const [status, stderr] = await Promise.all([
    child.status,
    new Response(child.stderr).text(),
  ]);
  assertEquals(status.code, 0, stderr);
  assertEquals(stderr.includes("BrokenPipe"), false, stderr);
});

Deno.test("every cara command's --help shows examples", async () => {
  using dir = tempDir();
  const { buildProgram } = await import("../../cli/program.ts");
  const { captureContext } = await import("../../cli/context.ts");
  const names = buildProgram(captureContext({})).commands.map((c) => c.name())
    .filter((name) => name !== "help");
  for (const name of names) {
    const help = await runCaraInProcess(
      [name, "--help"],
      isolatedEnv(dir.path),
    );
    assertEquals(help.code, 0, name);
    assertMatch(
      help.stdout,
      /Examples:/,
      `cara ${name} --help has no examples`,
    );
  }
});
