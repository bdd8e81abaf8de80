/** Replaces one `## ` section of BENCHMARKS.md, leaving the others (owned by other benchmarks) alone. */
import { readFile, writeFile } from 'node:fs/promises';

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
