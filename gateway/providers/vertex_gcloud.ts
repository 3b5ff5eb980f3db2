/**
 * Runs `gcloud auth print-access-token` with a deadline: the child is
 * killed when it does not answer in time, and its output is size-capped.
 *
 * @module
 */
import type { Env } from "../config/paths.ts";

const MAX_STDOUT = 16_384;
const MAX_STDERR = 2_000;
const MAX_TOKEN_CHARS = 8192;

/** Throws unless `token` looks like an access token. */
export function checkToken(token: string, from: string): string {
  if (token === "" || token.length > MAX_TOKEN_CHARS || /\s/.test(token)) {
    throw new Error(`${from} gave no usable access token`);
  }
  return token;
}

async function readCapped(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  limit: number,
): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < limit) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return new TextDecoder().decode(bytes.subarray(0, limit));
}

/**
 * The access token `gcloud` prints; throws an Error saying why there is none
 * (not installed, failed with its first stderr line, timed out, no token).
 */
export async function gcloudAccessToken(
  env: Env,
  timeoutMs: number,
): Promise<string> {
  const clean = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] =>
      e[1] !== undefined
    ),
  );
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("gcloud", {
      args: ["auth", "print-access-token"],
      env: clean,
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    throw new Error(
      error instanceof Deno.errors.NotFound
        ? `"gcloud" was not found on PATH`
        : `"gcloud" could not be started (${(error as Error).message})`,
    );
  }
  const out = child.stdout.getReader();
  const err = child.stderr.getReader();
  const stdout = readCapped(out, MAX_STDOUT);
  const stderr = readCapped(err, MAX_STDERR);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    const status = await Promise.race([child.status, timedOut]);
    if (status === "timeout") {
      throw new Error(`"gcloud" did not answer within ${timeoutMs} ms`);
    }
    if (!status.success) {
      const line = (await stderr).trim().split("\n")[0]?.trim();
      throw new Error(
        `"gcloud auth print-access-token" failed (${
          line || `exit code ${status.code}`
        })`,
      );
    }
    return checkToken((await stdout).trim(), `"gcloud"`);
  } finally {
    clearTimeout(timer);
    try {
      child.kill("SIGKILL");
    } catch { /* already exited */ }
    // A grandchild may still hold the pipes open: stop reading them.
    await Promise.allSettled([out.cancel(), err.cancel()]);
    await Promise.allSettled([child.status, stdout, stderr]);
  }
}
