/**
 * Which scope an event needs before a connection receives it (protocol.md §8).
 *
 * @module
 */

/**
 * The scope gating `event`, or `null` for events every connection gets.
 *
 * @example
 * ```ts
 * eventScope("device.pair.requested"); // "operator.pairing"
 * ```
 */
export function eventScope(event: string): string | null {
  if (event.startsWith("device.pair.") || event.startsWith("node.pair.")) {
    return "operator.pairing";
  }
  if (event.startsWith("exec.approval.")) return "operator.approvals";
  if (event.startsWith("matrix.")) return "operator.admin";
  return null;
}
