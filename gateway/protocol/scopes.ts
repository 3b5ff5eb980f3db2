/**
 * Scope matching of protocol.md §6.
 *
 * @module
 */

/** Grants every operator scope. */
export const ADMIN_SCOPE = "operator.admin";

/**
 * Whether `held` satisfies `required`: an exact match; `operator.admin` or
 * `operator.*` for any `operator.…` scope; `operator.write` for `operator.read`.
 *
 * @example
 * ```ts
 * hasScope(["operator.write"], "operator.read"); // true
 * ```
 */
export function hasScope(held: readonly string[], required: string): boolean {
  for (const scope of held) {
    if (scope === required) return true;
    if (
      required.startsWith("operator.") &&
      (scope === ADMIN_SCOPE || scope === "operator.*")
    ) {
      return true;
    }
    if (scope === "operator.write" && required === "operator.read") return true;
  }
  return false;
}
