/**
 * The shipped canary (experiments/canary.yaml) with `load.generator: vegeta`, written into a test's
 * own directory with its manifests named by absolute path, for tests that run a whole experiment
 * on the real vegeta (or without it).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { REPO_ROOT } from './cli.js';

/** Writes `<dir>/canary-vegeta.yaml` and returns its path. */
export async function writeVegetaCanary(dir: string): Promise<string> {
  const canary = await readFile(path.join(REPO_ROOT, 'experiments/canary.yaml'), 'utf8');
  const manifests = path.join(REPO_ROOT, 'experiments/manifests');
  const text = canary
    .replace(/generator: builtin\b/, 'generator: vegeta')
    .replace(/manifests: \[manifests\/([^,]+), manifests\/([^\]]+)\]/, `manifests: [${manifests}/$1, ${manifests}/$2]`);
  // The shipped file changing shape must fail here, not silently run the builtin generator.
  expect(text).toContain('generator: vegeta');
  expect(text).toContain(manifests);
  const file = path.join(dir, 'canary-vegeta.yaml');
  await writeFile(file, text);
  return file;
}
