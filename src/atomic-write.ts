/**
 * Writing an output file so that a reader never sees half of it: the text goes to a temporary file
 * beside the target, then a rename replaces the target in one step (POSIX rename is atomic on one
 * file system). A signal or a crash mid-write leaves the old file (or none), never a torn one.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Writes `text` (UTF-8) to `file` atomically; the temporary file is removed if the write fails. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  // Same directory, so the rename never crosses file systems; a dot name keeps it out of listings.
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
