import { join } from "node:path";
import { CaraError } from "../../../gateway/errors.ts";
import {
  CA_CERT_FILE,
  CA_KEY_FILE,
  defaultCaDir,
  initClusterCa,
  loadClusterCa,
} from "../../../gateway/tls/cluster_ca.ts";
import { readCrl, revokeCertificate } from "../../../gateway/tls/crl.ts";
import { inspectCertificate } from "../../../gateway/tls/certificate_check.ts";
import {
  assertNodeId,
  issueNodeCertificate,
} from "../../../gateway/tls/node_cert.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertThrows,
  isolatedEnv,
  tempDir,
} from "../../_helpers.ts";

Deno.test("defaultCaDir() is cluster-ca inside the state dir", () => {
  assertEquals(defaultCaDir(isolatedEnv("/srv/cara")), "/srv/cara/cluster-ca");
});

Deno.test("initClusterCa() writes a private CA once and loadClusterCa() reads it back", async () => {
  using dir = tempDir();
  const caDir = join(dir.path, "ca");
  const ca = await initClusterCa(caDir);
  for (const name of [CA_CERT_FILE, CA_KEY_FILE]) {
    assertEquals((await Deno.stat(join(caDir, name))).mode! & 0o777, 0o600);
  }
  const facts = await inspectCertificate(ca.certPem);
  assertEquals(facts.subject, "CN=Carapace Cluster CA, O=Carapace");
  assertEquals(
    Math.round(
      (facts.notAfter.getTime() - facts.notBefore.getTime()) / 86_400_000,
    ),
    3650,
  );
  const loaded = await loadClusterCa(caDir);
  assertEquals(loaded.fingerprint, ca.fingerprint);
  await assertRejects(
    () => initClusterCa(caDir),
    (error: unknown) =>
      error instanceof CaraError && error.code === "tls_ca_exists",
  );
  await assertRejects(
    () => loadClusterCa(join(dir.path, "none")),
    (error: unknown) =>
      error instanceof CaraError && /cara tls init-ca/.test(error.message),
  );
});

Deno.test("issueNodeCertificate() signs a node cert that TLS verifies against the CA", async () => {
  using dir = tempDir();
  const ca = await initClusterCa(join(dir.path, "ca"));
  const issued = await issueNodeCertificate(ca, "node-a", {
    outputDir: join(dir.path, "ca", "nodes"),
  });
  assertEquals(
    issued.certPath,
    join(dir.path, "ca", "nodes", "node-a-cert.pem"),
  );
  assertEquals((await Deno.stat(issued.keyPath)).mode! & 0o777, 0o600);
  await using server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    cert: await Deno.readTextFile(issued.certPath),
    key: await Deno.readTextFile(issued.keyPath),
    onListen() {},
  }, () => new Response("ok"));
  const tcp = await Deno.connect({
    hostname: "127.0.0.1",
    port: server.addr.port,
  });
  const conn = await Deno.startTls(tcp, {
    hostname: "node-a",
    caCerts: [ca.certPem],
  });
  await conn.handshake();
  conn.close();
});

Deno.test("assertNodeId() refuses path traversal and non-DNS names", () => {
  for (const bad of ["", "../x", "a/b", "-a", "a..b", "a b", "x".repeat(64)]) {
    assertThrows(() => assertNodeId(bad), CaraError);
  }
  assertNodeId("node-1.example");
});

Deno.test("revokeCertificate() records a CRL entry once, case-insensitively", async () => {
  using dir = tempDir();
  const fp = "ab".repeat(32);
  const first = await revokeCertificate(dir.path, {
    fingerprint: fp,
    nodeId: "node-a",
    reason: "lost laptop",
    now: new Date(1000),
  });
  assert(first.revoked);
  const again = await revokeCertificate(dir.path, {
    fingerprint: fp.toUpperCase().match(/../g)!.join(":"),
    nodeId: "node-a",
  });
  assertEquals(again.revoked, false);
  const crl = await readCrl(dir.path);
  assertEquals(crl, {
    version: 1,
    entries: [{
      fingerprint: fp.toUpperCase().match(/../g)!.join(":"),
      nodeId: "node-a",
      revokedAtMs: 1000,
      reason: "lost laptop",
    }],
  });
  await assertRejects(
    () => revokeCertificate(dir.path, { fingerprint: "zz", nodeId: "n" }),
    CaraError,
  );
  await Deno.writeTextFile(join(dir.path, "cluster-crl.json"), "{}");
  await assertRejects(() => readCrl(dir.path), CaraError);
});
