/**
 * Issue 18: labels whose keys name Object.prototype members ("__proto__", "constructor") reach
 * result.json like any other label. A short real run (one 300 ms step of the local mesh).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCliInProcess } from '../../support/cli.js';

describe('labels in result.json', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-labels-'));
    await writeFile(path.join(dir, 'experiment.yaml'), [
      'apiVersion: mesh-exp.dev/v1alpha1',
      'kind: Experiment',
      'metadata:',
      '  name: label-keys',
      '  labels: { __proto__: x, constructor: y, team: z }',
      'spec:',
      '  target: { virtualService: reviews, host: reviews, stable: v1, canary: v2 }',
      '  traffic: { shift: { steps: [100], interval: 300ms } }',
      '  load: { rate: 20 }',
      '  analysis: { minSamples: 1 }',
      `  local: { manifests: [${JSON.stringify(path.join(REPO_ROOT, 'test/fixtures/valid/_istio'))}] }`,
      '',
    ].join('\n'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('keeps "__proto__" and "constructor" as labels, in the order written', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['run', 'experiment.yaml', '--report-dir', path.join(dir, 'out')], dir);
    expect(code, stdout + stderr).toBe(0);
    const text = await readFile(path.join(dir, 'out', 'result.json'), 'utf8');
    const labels = (JSON.parse(text) as { experiment: { metadata: { labels: object } } }).experiment.metadata.labels;
    expect(Object.entries(labels)).toEqual([['__proto__', 'x'], ['constructor', 'y'], ['team', 'z']]);
  });
});
