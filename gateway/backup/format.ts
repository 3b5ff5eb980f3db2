/**
 * The backup archive format, version 1: a gzip'd tar whose first entry is the
 * marker `.carapace-backup`, followed by the sections `state/state.db`,
 * `config/<config file name>` and `memory/…`.
 *
 * @module
 */

/** Name of the marker entry that opens every backup. */
export const MARKER_NAME = ".carapace-backup";
/** First line of the marker for the format this build writes and reads. */
export const MARKER_HEADER = "carapace-backup v1";
/** The database entry of the `state` section. */
export const STATE_DB_ENTRY = "state/state.db";

/** Sections a backup may hold, in archive order. */
export const SECTIONS = ["state", "config", "memory"] as const;
/** One section of a backup. */
export type Section = typeof SECTIONS[number];

/** Caps every archive is held to, when written and when read. */
export interface ArchiveLimits {
  /** Largest single entry, in bytes. */
  maxEntryBytes: number;
  /** Sum of all entry sizes, in bytes. */
  maxTotalBytes: number;
  /** Number of entries, directories included. */
  maxEntries: number;
}

/** The limits used unless a caller (a test) passes its own. */
export const DEFAULT_LIMITS: Readonly<ArchiveLimits> = {
  maxEntryBytes: 4 * 1024 ** 3,
  maxTotalBytes: 16 * 1024 ** 3,
  maxEntries: 100_000,
};

/** Largest marker and config entries (the config loader's own cap is 4 MiB). */
export const MAX_MARKER_BYTES = 1024;
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** `YYYYMMDDTHHMMSSZ` in UTC, as used in the marker and default file names. */
export function formatBackupTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
}

/** The marker entry's text for a backup created at `date`. */
export function markerText(date: Date): string {
  return `${MARKER_HEADER}\ncreated=${formatBackupTimestamp(date)}\n`;
}

/** The `created=` value of a marker, or null when the text is no v1 marker. */
export function parseMarker(text: string): { created: string } | null {
  const [header, ...rest] = text.split("\n");
  if (header !== MARKER_HEADER) return null;
  const created = rest.find((line) => line.startsWith("created="));
  return { created: created?.slice("created=".length) ?? "" };
}

/** The section an entry name belongs to, or null for unknown top-level names. */
export function sectionOf(name: string): Section | null {
  const top = name.split("/", 1)[0];
  return SECTIONS.find((section) => section === top) ?? null;
}
