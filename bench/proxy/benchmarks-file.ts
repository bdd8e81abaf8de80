/** Replaces one `## ` section of BENCHMARKS.md, leaving the others (owned by other benchmarks) alone. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Returns `doc` with the section starting at the line `heading` replaced by `section` (appended if absent). */
export function replaceSection(doc: string, heading: string, section: string): string {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  const body = section.endsWith('\n') ? section : `${section}\n`;
  if (start === -1) return `${doc.replace(/\n*$/, '')}\n\n${body}`;
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  if (end === -1) end = lines.length;
  const before = lines.slice(0, start).join('\n');
  const after = lines.slice(end).join('\n');
  return `${before}${before ? '\n' : ''}${body}${after ? `\n${after}` : ''}`;
}

/** Writes `section` into `file` under `heading`, creating the file with a title when missing. */
export async function writeSection(file: string, heading: string, section: string): Promise<void> {
  const doc = await readFile(file, 'utf8').catch(() => '# Benchmarks\n');
  await writeFile(file, replaceSection(doc, heading, section));
}

/** Keeps a run's raw figures as bench/results/<name>.json (git-ignored). */
export async function saveBenchResult(repoRoot: string, name: string, result: unknown): Promise<void> {
  const dir = join(repoRoot, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
}

/** Replaces the `heading` section of the repository's BENCHMARKS.md and prints it. */
export async function publishSection(repoRoot: string, heading: string, section: string): Promise<void> {
  await writeSection(join(repoRoot, 'BENCHMARKS.md'), heading, section);
  process.stdout.write(section);
}

/** The closing `### Reproduce` block every section ends with, as lines. */
export function reproduceLines(command: string): string[] {
  return ['### Reproduce', '', '```sh', command, '```', ''];
}
