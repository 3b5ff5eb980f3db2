/**
 * URL globs of plugin permissions (plugins.md §7): `*` matches any run of
 * characters except `/`, `**` matches anything; everything else is literal.
 *
 * @module
 */

/**
 * Compiles `pattern` into an anchored, case-sensitive RegExp.
 *
 * @example
 * ```ts
 * globToRegExp("https://api.example.com/**").test("https://api.example.com/v1/x"); // true
 * ```
 */
export function globToRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === "*" && pattern[i + 1] === "*") {
      source += ".*";
      i++;
    } else if (char === "*") {
      source += "[^/]*";
    } else {
      source += char.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`, "s");
}

/** True when `value` matches any of `patterns`; an empty list matches nothing. */
export function matchesAnyGlob(
  patterns: readonly string[],
  value: string,
): boolean {
  return patterns.some((pattern) => globToRegExp(pattern).test(value));
}
