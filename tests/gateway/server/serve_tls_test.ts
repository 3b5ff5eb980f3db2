import {
  assert,
  assertEquals,
  assertRejects,
  tempDir,
} from "../../_helpers.ts";
import { CaraError } from "../../../gateway/errors.ts";
import { serveGateway } from "../../../gateway/server/serve.ts";
import { testApp } from "./_helpers.ts";

async function selfSignedCert(
  dir: string,
): Promise<{ cert: string; key: string }> {
  const out = await new Deno.Command("openssl", {
    args: [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "-addext",
      "basicConstraints=critical,CA:FALSE",
      "-keyout",
      `${dir}/key.pem`,
      "-out",
      `${dir}/cert.pem`,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert(out.success, new TextDecoder().decode(out.stderr));
  return {
    cert: Deno.readTextFileSync(`${dir}/cert.pem`),
    key: Deno.readTextFileSync(`${dir}/key.pem`),
  };
}

Deno.test("serveGateway() serves HTTPS with HSTS when given a certificate and key", async () => {
  using dir = tempDir();
  const { cert, key } = await selfSignedCert(dir.path);
  const { app, logger } = testApp({ tls: true });
  const server = await serveGateway(app, {
    hostname: "127.0.0.1",
    port: 0,
    logger,
    cert,
    key,
  });
  using client = Deno.createHttpClient({ caCerts: [cert] });
  try {
    assertEquals(server.url, `https://127.0.0.1:${server.port}`);
    const res = await fetch(`${server.url}/health`, { client });
    assertEquals(res.status, 200);
    assertEquals(
      res.headers.get("strict-transport-security"),
      "max-age=31536000; includeSubDomains",
    );
    assertEquals((await res.json()).status, "ok");
  } finally {
    await server.shutdown();
  }
});

Deno.test("serveGateway() rejects with tls_invalid when the certificate is not PEM", async () => {
  const { app, logger } = testApp({ tls: true });
  await assertRejects(
    () =>
      serveGateway(app, {
        hostname: "127.0.0.1",
        port: 0,
        logger,
        cert: "not a cert",
        key: "not a key",
      }),
    (error: unknown) =>
      error instanceof CaraError && error.code === "tls_invalid" &&
      error.message.startsWith(
        "Cannot listen with TLS on 127.0.0.1:0: the certificate or key was rejected",
      ),
  );
});
