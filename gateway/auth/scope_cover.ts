/**
 * Whether granted scopes cover requested ones, by the matching rules of
 * protocol.md §6.
 *
 * @module
 */

/** Whether one granted scope satisfies one required scope. */
export function scopeSatisfies(granted: string, required: string): boolean {
  if (granted === required) return true;
  if (!required.startsWith("operator.")) return false;
  if (granted === "operator.admin" || granted === "operator.*") return true;
  return granted === "operator.write" && required === "operator.read";
}

/**
 * Whether every requested scope is satisfied by some granted scope.
 *
 * @example
 * ```ts
 * scopesCover(["operator.admin"], ["operator.pairing"]); // true
 * ```
 */
export function scopesCover(
  granted: readonly string[],
  requested: readonly string[],
): boolean {
  return requested.every((required) =>
    granted.some((scope) => scopeSatisfies(scope, required))
  );
}
