import { ProviderError } from "../../../gateway/providers/types.ts";
import {
  googleAccessTokens,
  isCloudRun,
  metadataTokenUrl,
} from "../../../gateway/providers/vertex_token.ts";
import { gcloudCalls, writeFakeGcloud } from "../../fakes/vertex_gcloud.ts";
import { startMetadataPeer } from "../../fakes/vertex_metadata.ts";
import { assert, assertEquals, tempDir } from "../../_helpers.ts";

const CLOSED = "127.0.0.1:1";

function signal(): AbortSignal {
  return new AbortController().signal;
}

function pathWith(dir: string): string {
  return `${dir}:/usr/bin:/bin`;
}

Deno.test("googleAccessTokens() takes the token gcloud prints before asking the metadata server", async () => {
  using dir = tempDir();
  writeFakeGcloud(dir.path, { kind: "token", token: "ya29.from-gcloud" });
  await using metadata = startMetadataPeer("ya29.from-metadata");
  const tokens = googleAccessTokens({
    env: { PATH: pathWith(dir.path), GCE_METADATA_HOST: metadata.host },
  });
  assertEquals(await tokens.token(signal()), "ya29.from-gcloud");
  assertEquals([metadata.hits, gcloudCalls(dir.path)], [0, 1]);
  assertEquals(
    Deno.readTextFileSync(`${dir.path}/calls`).trim(),
    "auth print-access-token",
  );
});

Deno.test("googleAccessTokens() falls back to the metadata server when gcloud fails or is missing", async () => {
  using dir = tempDir();
  writeFakeGcloud(dir.path, { kind: "fail" });
  await using metadata = startMetadataPeer("ya29.from-metadata");
  for (const PATH of [pathWith(dir.path), "/nonexistent"]) {
    const tokens = googleAccessTokens({
      env: { PATH, GCE_METADATA_HOST: metadata.host },
    });
    assertEquals(await tokens.token(signal()), "ya29.from-metadata");
  }
  assertEquals([metadata.hits, gcloudCalls(dir.path)], [2, 1]);
});

Deno.test("googleAccessTokens() goes straight to the metadata server on Cloud Run", async () => {
  using dir = tempDir();
  writeFakeGcloud(dir.path, { kind: "token", token: "ya29.from-gcloud" });
  await using metadata = startMetadataPeer("ya29.from-metadata");
  const tokens = googleAccessTokens({
    env: {
      PATH: pathWith(dir.path),
      GCE_METADATA_HOST: metadata.host,
      K_SERVICE: "cara",
      K_REVISION: "cara-00001",
      K_CONFIGURATION: "cara",
    },
  });
  assertEquals(await tokens.token(signal()), "ya29.from-metadata");
  assertEquals(gcloudCalls(dir.path), 0);
  assertEquals(isCloudRun({ CLOUD_RUN_JOB: "nightly" }), true);
  assertEquals(isCloudRun({ K_SERVICE: "only-one" }), false);
});

Deno.test("googleAccessTokens() stops waiting for a hung gcloud after the timeout", async () => {
  using dir = tempDir();
  writeFakeGcloud(dir.path, { kind: "hang" });
  await using metadata = startMetadataPeer("ya29.from-metadata");
  const tokens = googleAccessTokens({
    env: { PATH: pathWith(dir.path), GCE_METADATA_HOST: metadata.host },
    gcloudTimeoutMs: 300,
  });
  const started = performance.now();
  assertEquals(await tokens.token(signal()), "ya29.from-metadata");
  const elapsed = performance.now() - started;
  assert(elapsed >= 290 && elapsed < 5000, `took ${elapsed} ms`);
});

Deno.test("googleAccessTokens() fails with auth naming both sources when neither gives a token", async () => {
  using dir = tempDir();
  writeFakeGcloud(dir.path, { kind: "fail" });
  const tokens = googleAccessTokens({
    env: { PATH: pathWith(dir.path), GCE_METADATA_HOST: CLOSED },
  });
  const error = await tokens.token(signal()).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert(error instanceof ProviderError, String(error));
  assertEquals([error.provider, error.failure, error.retryable], [
    "vertex",
    "auth",
    false,
  ]);
  assert(
    error.message.startsWith(
      `Cannot get a Google Cloud access token for vertex: "gcloud auth print-access-token" failed (ERROR: (gcloud.auth.print-access-token) You do not currently have an active account selected.); the metadata server is unreachable (`,
    ),
    error.message,
  );
  assert(
    error.message.endsWith(
      `; run "gcloud auth login" or give the machine a service account`,
    ),
    error.message,
  );
});

Deno.test("googleAccessTokens() reuses a token until it expires and after invalidate() asks again", async () => {
  await using metadata = startMetadataPeer("ya29.short", 3600);
  let now = 1_000_000;
  const tokens = googleAccessTokens({
    env: { PATH: "/nonexistent", GCE_METADATA_HOST: metadata.host },
    now: () => now,
  });
  await tokens.token(signal());
  await Promise.all([tokens.token(signal()), tokens.token(signal())]);
  assertEquals(metadata.hits, 1);
  now += 3_600_000 - 60_000; // inside the expiry margin
  await tokens.token(signal());
  assertEquals(metadata.hits, 2);
  tokens.invalidate();
  await tokens.token(signal());
  assertEquals(metadata.hits, 3);
});

Deno.test("metadataTokenUrl() honours GCE_METADATA_HOST", () => {
  assertEquals(
    metadataTokenUrl({}),
    "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token",
  );
  assertEquals(
    metadataTokenUrl({ GCE_METADATA_HOST: "127.0.0.1:8080" }),
    "http://127.0.0.1:8080/computeMetadata/v1/instance/service-accounts/default/token",
  );
});
