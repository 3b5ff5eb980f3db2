/**
 * Which entries a v1 backup may hold: `state/state.db`, one `config/<file>`
 * and anything below `memory/`, plus their top-level directories. Unknown
 * top-level names are tolerated (and ignored) so newer archives stay readable.
 *
 * @module
 */
import { CaraError } from "../errors.ts";
import { MAX_CONFIG_BYTES, type Section, STATE_DB_ENTRY } from "./format.ts";

/** The parts of an entry the layout rules look at. */
export interface LayoutEntry {
  name: string;
  parts: readonly string[];
  type: "file" | "directory";
  size: number;
  section: Section | null;
}

/**
 * Refuses an entry that does not fit the v1 layout.
 *
 * @throws {CaraError} `backup_unexpected_entry`
 */
export function checkLayout(archive: string, entry: LayoutEntry): void {
  const problem = layoutProblem(entry);
  if (problem === null) return;
  throw new CaraError(
    "backup_unexpected_entry",
    `Cannot restore the backup "${archive}": entry "${entry.name}" ${problem}`,
  );
}

function layoutProblem(entry: LayoutEntry): string | null {
  const { parts, type, section } = entry;
  if (parts.length === 1) {
    return type === "directory" ? null : "must be a directory";
  }
  switch (section) {
    case "state":
      return parts.join("/") === STATE_DB_ENTRY && type === "file"
        ? null
        : `is not "${STATE_DB_ENTRY}"`;
    case "config":
      if (parts.length !== 2 || type !== "file") {
        return "is not a single config file";
      }
      return entry.size <= MAX_CONFIG_BYTES
        ? null
        : `is larger than ${MAX_CONFIG_BYTES} bytes`;
    case "memory":
    case null:
      return null;
  }
}
