/**
 * test/fixtures/runner/canary-short.yaml cut to two 2 s steps (50%, 100%), its manifests named by
 * absolute path, with a test's own change to the text, written into the test's directory.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { REPO_ROOT } from './cli.js';

/** Writes `<dir>/x.yaml` (the short canary with `edit` applied; it must then contain `mark`) and returns its path. */
export async function writeShortCanary(dir: string, edit: (text: string) => string, mark: string): Promise<string> {
  const source = await readFile(path.join(REPO_ROOT, 'test/fixtures/runner/canary-short.yaml'), 'utf8');
  const text = edit(source.replace('steps: [20, 50, 100]', 'steps: [50, 100]').replace('../../../experiments/manifests', path.join(REPO_ROOT, 'experiments/manifests')));
  // The fixture changing shape must fail here, not silently run something else.
  expect(text).toContain(mark);
  const file = path.join(dir, 'x.yaml');
  await writeFile(file, text);
  return file;
}
