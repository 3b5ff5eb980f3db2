/**
 * Pass 2 of a restore: validates the archive again (it may have changed
 * since pass 1) while writing its known sections into a fresh staging
 * directory. Nothing outside that directory is written.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { readBackupArchive } from "./archive_reader.ts";
import {
  type BackupInspection,
  type PassOptions,
  SectionTally,
} from "./inspect.ts";

/**
 * Extracts the sections of `archive` below `stagingDir` (which must exist and
 * be empty): `stagingDir/state/state.db`, `stagingDir/config/<file>`,
 * `stagingDir/memory/…`. Files are 0600, directories 0700.
 *
 * @throws {CaraError} any `backup_*` error of the archive reader
 */
export async function extractBackup(
  archive: string,
  stagingDir: string,
  options: PassOptions = {},
): Promise<BackupInspection> {
  const tally = new SectionTally();
  const summary = await readBackupArchive(
    archive,
    tally.counting(async (entry, content) => {
      if (entry.section === null) return;
      // Names were checked: relative, no "..", no links anywhere in staging.
      const destination = join(stagingDir, ...entry.parts);
      if (entry.type === "directory") {
        await Deno.mkdir(destination, { recursive: true, mode: 0o700 });
        return;
      }
      await Deno.mkdir(dirname(destination), { recursive: true, mode: 0o700 });
      using file = await Deno.open(destination, {
        write: true,
        createNew: true,
        mode: 0o600,
      });
      for await (const chunk of content) {
        let offset = 0;
        while (offset < chunk.length) {
          offset += await file.write(chunk.subarray(offset));
        }
      }
    }),
    options,
  );
  return {
    path: archive,
    created: summary.created,
    sections: tally.sections(),
  };
}
