/**
 * Tool policy: `allow-all`, `allow-list` (only `list`), `deny-list`
 * (everything but `list`); any other policy string denies every tool. The
 * exfiltration guard also hides the tools that send data out.
 *
 * @module
 */
import type { ToolPolicyConfig } from "./agent_profile.ts";

/** Tools the exfiltration guard hides and blocks (built-ins that send data out). */
export const EXFILTRATION_TOOLS: readonly string[] = [
  "web_fetch",
  "message_send",
];

/** Whether an agent may call a tool. */
export type ToolPermission = (name: string) => boolean;

/**
 * Builds the check used both when advertising tools and at dispatch.
 *
 * @example
 * ```ts
 * const allowed = toolPermission({ policy: "deny-list", list: ["web_fetch"] });
 * allowed("web_fetch"); // false
 * ```
 */
export function toolPermission(
  config: ToolPolicyConfig,
  options: { exfiltrationGuard?: boolean } = {},
): ToolPermission {
  const list = new Set(config.list);
  const guarded = options.exfiltrationGuard === true;
  const base = (name: string): boolean => {
    switch (config.policy) {
      case "allow-all":
        return true;
      case "allow-list":
        return list.has(name);
      case "deny-list":
        return !list.has(name);
      default:
        return false;
    }
  };
  return (name) =>
    base(name) && !(guarded && EXFILTRATION_TOOLS.includes(name));
}
