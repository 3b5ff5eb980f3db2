/**
 * A fake `gcloud` executable for the vertex provider: a shell script in a
 * temp dir that answers `gcloud auth print-access-token` with a token, a
 * failure (gcloud's real "no credentialed accounts" message), or a hang.
 * Each run appends its arguments to `<dir>/calls`.
 *
 * @module
 */
import { join } from "node:path";

/** What the fake does. */
export type FakeGcloudMode =
  | { kind: "token"; token: string }
  | { kind: "fail" }
  | { kind: "hang" };

/** Writes `gcloud` into `dir` (mode 0700) and returns its path. */
export function writeFakeGcloud(dir: string, mode: FakeGcloudMode): string {
  const path = join(dir, "gcloud");
  const body = mode.kind === "token"
    ? [`printf '%s\\n' '${mode.token}'`]
    : mode.kind === "fail"
    ? [
      `echo "ERROR: (gcloud.auth.print-access-token) You do not currently have an active account selected." >&2`,
      `echo "Please run:" >&2`,
      "exit 1",
    ]
    : ["exec sleep 30"];
  Deno.writeTextFileSync(
    path,
    ["#!/bin/sh", `echo "$*" >> "${dir}/calls"`, ...body].join("\n") + "\n",
    { mode: 0o700 },
  );
  return path;
}

/** How many times the fake ran. */
export function gcloudCalls(dir: string): number {
  try {
    return Deno.readTextFileSync(join(dir, "calls")).trim().split("\n").length;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return 0;
    throw error;
  }
}
