/**
 * The shipped canary (experiments/canary.yaml) with another `load.generator` (vegeta, k6), written
 * into a test's own directory with its manifests named by absolute path, for tests that run a
 * whole experiment on an external engine (or without it).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { REPO_ROOT } from './cli.js';

/** Options of {@link writeCanary}. */
export interface CanaryOptions {
  /** The generator to name. */
  generator: 'vegeta' | 'k6';
  /** File name in `dir`. @default "canary-<generator>.yaml" */
  file?: string;
  /** More load fields, one YAML line each (e.g. "script: user.js"). @default none */
  load?: string[];
  /** Two steps (50%, 100%) of 2 s instead of the shipped three of 5 s. @default false */
  short?: boolean;
}

/** Writes the canary into `dir` and returns its path. */
export async function writeCanary(dir: string, options: CanaryOptions): Promise<string> {
  const canary = await readFile(path.join(REPO_ROOT, 'experiments/canary.yaml'), 'utf8');
  const manifests = path.join(REPO_ROOT, 'experiments/manifests');
  let text = canary
    .replace(/generator: builtin\b/, [`generator: ${options.generator}`, ...(options.load ?? []).map((l) => `\n    ${l}`)].join(''))
    .replace(/manifests: \[manifests\/([^,]+), manifests\/([^\]]+)\]/, `manifests: [${manifests}/$1, ${manifests}/$2]`);
  if (options.short) text = text.replace('steps: [20, 50, 100]', 'steps: [50, 100]').replace('interval: 5s', 'interval: 2s');
  // The shipped file changing shape must fail here, not silently run the builtin generator.
  expect(text).toContain(`generator: ${options.generator}`);
  expect(text).toContain(manifests);
  if (options.short) expect(text).toContain('interval: 2s');
  const file = path.join(dir, options.file ?? `canary-${options.generator}.yaml`);
  await writeFile(file, text);
  return file;
}

/** Writes `<dir>/canary-vegeta.yaml` and returns its path. */
export function writeVegetaCanary(dir: string): Promise<string> {
  return writeCanary(dir, { generator: 'vegeta' });
}
