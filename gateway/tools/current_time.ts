/**
 * `current_time` (also offered as `time`, the spec lists both names): the
 * current date and time in UTC and, optionally, in an IANA time zone.
 *
 * @module
 */
import type { Tool } from "../agent/types.ts";
import { inputOf } from "./_input.ts";

/**
 * Builds the tool.
 *
 * @example
 * ```ts
 * await currentTimeTool().run({ timeZone: "Europe/Paris" }, context);
 * ```
 */
export function currentTimeTool(
  options: { now?: () => number; name?: "current_time" | "time" } = {},
): Tool {
  const now = options.now ?? Date.now;
  const name = options.name ?? "current_time";
  return {
    name,
    description:
      "Returns the current date and time (ISO 8601 UTC, Unix ms, and local time in an optional IANA time zone).",
    inputSchema: {
      type: "object",
      properties: {
        timeZone: {
          type: "string",
          description: "IANA zone, e.g. Europe/Paris",
        },
      },
    },
    run(input) {
      const zone = inputOf(name, input).timeZone;
      const date = new Date(now());
      const answer: Record<string, unknown> = {
        iso: date.toISOString(),
        unixMs: date.getTime(),
      };
      if (typeof zone === "string" && zone !== "") {
        try {
          answer.timeZone = zone;
          answer.local = date.toLocaleString("en-GB", { timeZone: zone });
        } catch {
          return Promise.resolve({
            content: `Unknown time zone "${
              zone.slice(0, 64)
            }": use an IANA name such as "Europe/Paris"`,
            isError: true,
          });
        }
      }
      return Promise.resolve({ content: JSON.stringify(answer) });
    },
  };
}
