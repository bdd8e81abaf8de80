/**
 * Which kind of file the user named (`kind: Experiment` or `kind: GameDay`), read cheaply from
 * the text (no YAML parse, no schema) so `run`, `validate` and `recover` can hand the file to the
 * right checks. A file without a top-level kind line is taken for an experiment: its own checks
 * then say what is missing, located. An unknown kind is a located problem naming the kinds.
 */
import path from 'node:path';
import type { Problem } from '../errors.js';
import { readYamlText, type YamlSafetyOptions } from '../input/load-yaml.js';

/** The kinds of file mesh-exp runs. */
export const FILE_KINDS = ['Experiment', 'GameDay'] as const;

/** A kind of file mesh-exp runs. */
export type FileKind = (typeof FILE_KINDS)[number];

/** A top-level `kind:` line, its value plain or quoted, with an optional comment. */
const KIND_LINE = /^kind:[ \t]*(["']?)([^"'#\s]*)\1[ \t]*(?:#.*)?$/m;

/** What {@link readFileKind} found: the kind, or the problem with the kind line. */
export type FileKindRead = { kind: FileKind; problem?: undefined } | { kind?: undefined; problem: Problem };

/** The kind a file's text declares (Experiment when it declares none). */
export function fileKindOfText(text: string, file: string): FileKindRead {
  const m = KIND_LINE.exec(text);
  if (!m) return { kind: 'Experiment' };
  const kind = m[2]!;
  if ((FILE_KINDS as readonly string[]).includes(kind)) return { kind: kind as FileKind };
  const line = text.slice(0, m.index).split('\n').length;
  return {
    problem: {
      file,
      line,
      col: m[0].indexOf(kind) + 1,
      path: 'kind',
      message: `unknown kind ${JSON.stringify(kind)}: mesh-exp runs files of kind ${FILE_KINDS.join(' or ')}`,
      hint: 'an experiment file says "kind: Experiment"; a list of experiments run in order says "kind: GameDay"',
    },
  };
}

/**
 * The kind of the file `file` (resolved against `cwd`). A file that cannot be read is taken for an
 * experiment: its checks report why, as they always have.
 */
export async function readFileKind(file: string, cwd: string, options: YamlSafetyOptions = {}): Promise<FileKindRead> {
  const read = await readYamlText(path.resolve(cwd, file), file, options);
  return read.text === undefined ? { kind: 'Experiment' } : fileKindOfText(read.text, file);
}
