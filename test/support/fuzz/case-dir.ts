/**
 * Lays a case out on disk the way a user's checkout has it: `experiment.yaml` beside the
 * `manifests/` folder its `local.manifests` names and the `data/` folder its `load.data` names,
 * so relative paths resolve. A path's kind may
 * make it something other than a regular file: empty, missing, a directory, a symlink, a FIFO,
 * /dev/null or /dev/zero.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CaseFiles, FileKind, FuzzCase } from './fuzz-case.js';

/** A case's directory; `release()` before removing it (it closes the FIFOs' writer ends). */
export interface CaseDir {
  /** The directory (the CLI's cwd). */
  dir: string;
  /** The experiment's path, relative to `dir`. */
  experiment: string;
  /** Where `run` writes its run directory. */
  reportDir: string;
  /** An empty directory to use as PATH, so a generated backend `command` finds no program. */
  emptyPath: string;
  /** Closes the FIFOs' writer ends: a read blocked on one then sees end of file. */
  release(): void;
  /** Removes the directory. */
  remove(): Promise<void>;
}

async function place(file: string, kind: FileKind, bytes: Buffer, fifos: number[]): Promise<void> {
  switch (kind) {
    case 'regular':
      return writeFile(file, bytes);
    case 'empty':
      return writeFile(file, '');
    case 'missing':
      return;
    case 'directory':
      return void (await mkdir(file));
    case 'symlink':
      await writeFile(`${file}.target`, bytes);
      return symlink(path.basename(`${file}.target`), file);
    case 'dev-null':
      return symlink('/dev/null', file);
    case 'dev-zero':
      // Endless bytes: a reader that trusts the size (0) or reads to the end never stops.
      return symlink('/dev/zero', file);
    case 'fifo':
      execFileSync('mkfifo', [file]);
      // Our own writer end, held open without writing: a reader neither blocks in open() (which would
      // hold a libuv pool thread forever) nor sees end of file, so reading waits until release().
      fifos.push(openSync(file, constants.O_RDWR | constants.O_NONBLOCK));
      return;
  }
}

/** Writes `files` for case `c` into a new directory under `root`. */
export async function layOutCase(root: string, c: FuzzCase, files: CaseFiles): Promise<CaseDir> {
  const dir = await mkdtemp(path.join(root, 'case-'));
  const fifos: number[] = [];
  await mkdir(path.join(dir, 'manifests'));
  await mkdir(path.join(dir, 'empty-path'));
  await mkdir(path.join(dir, 'data'));
  for (const [name, bytes] of files.data) await place(path.join(dir, 'data', name), c.data?.[name]?.kind ?? 'regular', bytes, fifos);
  for (const [name, bytes] of files.manifests) await place(path.join(dir, 'manifests', name), c.manifests[name]?.kind ?? 'regular', bytes, fifos);
  // A game day's experiment files, beside it as in experiments/ (none for an experiment).
  for (const [name, bytes] of files.siblings) await place(path.join(dir, name), c.siblings?.[name]?.kind ?? 'regular', bytes, fifos);
  await place(path.join(dir, 'experiment.yaml'), c.experiment.kind, files.experiment, fifos);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    for (const fd of fifos) closeSync(fd);
  };
  return {
    dir,
    experiment: 'experiment.yaml',
    reportDir: path.join(dir, 'run'),
    emptyPath: path.join(dir, 'empty-path'),
    release,
    async remove() {
      release();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
