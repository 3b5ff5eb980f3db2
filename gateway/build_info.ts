/**
 * Build identity of this cara executable.
 *
 * The release workflow rewrites this file before `deno compile` (see
 * .github/workflows/release.yml), so a compiled binary carries its own version,
 * commit and build date without reading any file at run time.
 */

/** Version, commit and build date baked into this build. */
export interface BuildInfo {
  version: string;
  commit: string;
  buildDate: string;
}

/** The identity of this build; "dev" values when run from a source checkout. */
export const BUILD_INFO: BuildInfo = {
  version: "0.1.0",
  commit: "dev",
  buildDate: "dev",
};
