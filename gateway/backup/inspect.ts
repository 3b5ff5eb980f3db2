/**
 * Pass 1 of a restore: reads the whole archive through validation without
 * writing anything, and says which sections it holds.
 *
 * @module
 */
import {
  type ArchiveEntry,
  type EntryVisitor,
  readBackupArchive,
} from "./archive_reader.ts";
import { type ArchiveLimits, type Section, SECTIONS } from "./format.ts";

/** What one section of an archive holds. */
export interface SectionSummary {
  section: Section;
  files: number;
  bytes: number;
  /** File names below the section root (only for `config`: its file name). */
  names: string[];
}

/** A validated archive's contents. */
export interface BackupInspection {
  path: string;
  created: string;
  sections: SectionSummary[];
}

/** Options of the archive passes. */
export interface PassOptions {
  /** Caps to enforce; defaults to {@linkcode DEFAULT_LIMITS}. */
  limits?: ArchiveLimits;
}

/**
 * Validates the backup at `path` end to end and lists its sections.
 *
 * @throws {CaraError} any `backup_*` error of {@linkcode readBackupArchive}
 * @example
 * ```ts
 * const { sections } = await inspectBackup("carapace-backup-20250101T000000Z.tar.gz");
 * ```
 */
export async function inspectBackup(
  path: string,
  options: PassOptions = {},
): Promise<BackupInspection> {
  const tally = new SectionTally();
  const summary = await readBackupArchive(
    path,
    (entry) => Promise.resolve(tally.add(entry)),
    options,
  );
  return { path, created: summary.created, sections: tally.sections() };
}

/** Counts entries per section; shared by both restore passes. */
export class SectionTally {
  #bySection = new Map<Section, SectionSummary>();

  /** Records `entry`; entries of unknown top-level names are not counted. */
  add(entry: ArchiveEntry): void {
    if (entry.section === null) return;
    const summary = this.#bySection.get(entry.section) ??
      { section: entry.section, files: 0, bytes: 0, names: [] };
    this.#bySection.set(entry.section, summary);
    if (entry.type !== "file") return;
    summary.files += 1;
    summary.bytes += entry.size;
    if (entry.section === "config") {
      summary.names.push(entry.parts.slice(1).join("/"));
    }
  }

  /** Sections that hold at least one file, in archive order. */
  sections(): SectionSummary[] {
    return SECTIONS.flatMap((section) => {
      const summary = this.#bySection.get(section);
      return summary && summary.files > 0 ? [summary] : [];
    });
  }

  /** Wraps `visit` so that each entry is counted first. */
  counting(visit: EntryVisitor): EntryVisitor {
    return (entry, content) => {
      this.add(entry);
      return visit(entry, content);
    };
  }
}
