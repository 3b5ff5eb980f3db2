import { join } from "node:path";
import { CaraError } from "../../../gateway/errors.ts";
import { pemFingerprint } from "../../../gateway/tls/fingerprint.ts";
import { inspectCertificate } from "../../../gateway/tls/certificate_check.ts";
import { resolveGatewayTls } from "../../../gateway/tls/resolve.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  isolatedEnv,
  tempDir,
} from "../../_helpers.ts";

const enabled = (extra: Record<string, unknown> = {}) => ({
  tls: { enabled: true, autoGenerate: true, ...extra },
});

Deno.test("resolveGatewayTls() returns null when TLS is disabled", async () => {
  using dir = tempDir();
  const tls = await resolveGatewayTls(
    { tls: { enabled: false, autoGenerate: true } },
    isolatedEnv(dir.path),
  );
  assertEquals(tls, null);
});

Deno.test("resolveGatewayTls() generates a private self-signed certificate once and reuses it", async () => {
  using dir = tempDir();
  const env = isolatedEnv(dir.path);
  const first = await resolveGatewayTls(enabled(), env);
  assert(first !== null && first.generated);
  assertMatch(first.fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  assertEquals(first.certPath, join(dir.path, "tls", "cert.pem"));
  assertEquals((await Deno.stat(join(dir.path, "tls"))).mode! & 0o777, 0o700);
  assertEquals((await Deno.stat(first.certPath)).mode! & 0o777, 0o600);
  assertEquals((await Deno.stat(first.keyPath)).mode! & 0o777, 0o600);
  assertEquals(first.fingerprint, await pemFingerprint(first.cert));

  const facts = await inspectCertificate(first.cert, { keyPem: first.key });
  assertEquals(facts.subject, "CN=Carapace Gateway, O=Carapace");
  assertEquals(facts.keyMatches, true);
  const days = (facts.notAfter.getTime() - facts.notBefore.getTime()) /
    86_400_000;
  assertEquals(days, 365);

  const second = await resolveGatewayTls(enabled(), env);
  assert(second !== null && !second.generated);
  assertEquals(second.fingerprint, first.fingerprint);
});

Deno.test("resolveGatewayTls() replaces an expired or mismatched generated certificate", async () => {
  using dir = tempDir();
  const env = isolatedEnv(dir.path);
  const old = await resolveGatewayTls(enabled(), env, {
    now: new Date("2020-01-01T00:00:00Z"),
  });
  const renewed = await resolveGatewayTls(enabled(), env);
  assert(renewed !== null && renewed.generated);
  assert(renewed.fingerprint !== old!.fingerprint);

  // A key that is not the certificate's key is not reused.
  const other = await resolveGatewayTls(
    enabled(),
    isolatedEnv(join(dir.path, "x")),
  );
  await Deno.writeTextFile(renewed.keyPath, other!.key);
  const again = await resolveGatewayTls(enabled(), env);
  assert(again !== null && again.generated);
});

Deno.test("resolveGatewayTls() serves HTTPS that a client pinned to the fingerprint's certificate verifies", async () => {
  using dir = tempDir();
  const tls = (await resolveGatewayTls(enabled(), isolatedEnv(dir.path)))!;
  await using server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    cert: tls.cert,
    key: tls.key,
    onListen() {},
  }, () => new Response("ok"));
  for (const hostname of ["127.0.0.1", "localhost"]) {
    const conn = await Deno.connectTls({
      hostname,
      port: server.addr.port,
      caCerts: [tls.cert],
    });
    await conn.handshake();
    conn.close();
  }
});

Deno.test("resolveGatewayTls() uses configured cert and key files and refuses half a configuration", async () => {
  using dir = tempDir();
  const generated = (await resolveGatewayTls(
    enabled(),
    isolatedEnv(join(dir.path, "gen")),
  ))!;
  const certPath = join(dir.path, "my.crt");
  const keyPath = join(dir.path, "my.key");
  await Deno.writeTextFile(certPath, generated.cert);
  await Deno.writeTextFile(keyPath, generated.key);
  const env = isolatedEnv(dir.path);
  const tls = await resolveGatewayTls(enabled({ certPath, keyPath }), env);
  assertEquals(tls?.fingerprint, generated.fingerprint);
  assertEquals(tls?.generated, false);

  await assertRejects(
    () => resolveGatewayTls(enabled({ certPath }), env),
    (error: unknown) =>
      error instanceof CaraError && /only one of/.test(error.message),
  );
  await assertRejects(
    () =>
      resolveGatewayTls(
        enabled({ certPath, keyPath: join(dir.path, "nope") }),
        env,
      ),
    (error: unknown) =>
      error instanceof CaraError && error.code === "tls_config" &&
      /does not exist/.test(error.message),
  );
  await Deno.writeTextFile(certPath, "not a certificate");
  await assertRejects(
    () => resolveGatewayTls(enabled({ certPath, keyPath }), env),
    (error: unknown) =>
      error instanceof CaraError &&
      /Cannot use TLS certificate/.test(error.message),
  );
  await assertRejects(
    () => resolveGatewayTls(enabled({ autoGenerate: false }), env),
    (error: unknown) =>
      error instanceof CaraError && /autoGenerate is false/.test(error.message),
  );
});
