import { join } from "node:path";
import {
  assertEquals,
  assertMatch,
  isolatedEnv,
  runCaraInProcess,
  tempDir,
} from "../_helpers.ts";

Deno.test("cara tls init-ca, issue-cert, revoke-cert and show-ca work on the real files", async () => {
  using dir = tempDir();
  const env = isolatedEnv(dir.path);
  const init = await runCaraInProcess(["tls", "init-ca"], env);
  assertEquals(init.code, 0, init.stderr);
  assertMatch(init.stdout, /cluster-ca\.pem/);
  const issue = await runCaraInProcess(["tls", "issue-cert", "node-a"], env);
  assertEquals(issue.code, 0, issue.stderr);
  const fp = /Fingerprint: (\S+)/.exec(issue.stdout)![1]!;
  await Deno.stat(join(dir.path, "cluster-ca", "nodes", "node-a-key.pem"));
  const revoke = [
    "tls",
    "revoke-cert",
    fp.toLowerCase(),
    "--node-id",
    "node-a",
  ];
  assertMatch((await runCaraInProcess(revoke, env)).stdout, /^Revoked /);
  assertMatch((await runCaraInProcess(revoke, env)).stdout, /already revoked/);
  const show = await runCaraInProcess(["tls", "show-ca"], env);
  assertMatch(show.stdout, new RegExp(`Revoked: +1\\n  ${fp}  node-a`));
  const again = await runCaraInProcess(["tls", "init-ca"], env);
  assertEquals(again.code, 1);
  assertMatch(again.stderr, /^Error: Cannot create a cluster CA/);
  const bad = await runCaraInProcess(["tls", "issue-cert", "../evil"], env);
  assertEquals(bad.code, 1);
});
