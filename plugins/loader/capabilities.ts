/**
 * Which host capabilities a plugin uses, discovered from the host functions
 * its component imports (plugins.md §2). `config` and `logging` are always
 * allowed; the others need the operator's sandbox policy.
 *
 * @module
 */

/** A host capability. */
export type Capability =
  | "http"
  | "credentials"
  | "media"
  | "config"
  | "logging";

const BY_FUNCTION: Readonly<Record<string, Capability>> = {
  httpFetch: "http",
  credentialGet: "credentials",
  credentialSet: "credentials",
  mediaFetch: "media",
  configGet: "config",
  logDebug: "logging",
  logInfo: "logging",
  logWarn: "logging",
  logError: "logging",
};

/** The capabilities of a set of imported host functions, sorted, unique. */
export function capabilitiesOf(hostFunctions: readonly string[]): Capability[] {
  const found = new Set<Capability>();
  for (const fn of hostFunctions) {
    const capability = BY_FUNCTION[fn];
    if (capability) found.add(capability);
  }
  return [...found].sort();
}
