/**
 * `load.generator: k6` where mesh-exp has no k6 runner: the run goes ahead on the built-in
 * generator, says so in one line, and the result records which generator really ran.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCaptureStream, createContext } from '../../../src/context.js';
import { executeRun } from '../../../src/runner/runner.js';
import { loadExperimentFile } from '../../../src/experiment/validate.js';
import { observingMeshFactory, repoRoot, type MeshObservations } from '../../support/runner-harness.js';

describe('generator k6 without a k6 runner', () => {
  it('falls back to the built-in generator with a one-line notice', async () => {
    const loaded = await loadExperimentFile('test/fixtures/runner/canary-short.yaml', { cwd: repoRoot });
    loaded.experiment.spec.load.generator = 'k6';
    const stderr = createCaptureStream();
    const ctx = createContext({ cwd: repoRoot, stderr });
    const seen: MeshObservations = {};
    const out = await executeRun(loaded, ctx, { createMesh: observingMeshFactory(seen), reportDir: await mkdtemp(path.join(tmpdir(), 'mesh-exp-k6-')) });
    expect(out.result.outcome).toBe('promoted');
    expect(out.result.environment['generator']).toBe('builtin (in place of k6)');
    const notices = stderr.text().split('\n').filter((l) => l.includes('no k6 runner'));
    expect(notices).toHaveLength(1);
    expect(out.result.steps[0]!.stats.find((s) => s.version === 'all')!.count).toBeGreaterThan(50);
  });
});
