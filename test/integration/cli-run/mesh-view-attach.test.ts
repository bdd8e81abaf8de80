/**
 * The mesh-view SLOs on an attached mesh (provider local with local.attach): the run reads the
 * running mesh's /stats and /stats/prometheus over its admin API at the step's load start and end.
 * The mesh runs in this process (its own admin server), its v2 answering 10% of requests with 500.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/istio/manifests.js';
import { createLocalMesh } from '../../../src/mesh/local-mesh.js';
import type { LocalMesh } from '../../../src/mesh/types.js';
import type { RunResult } from '../../../src/model/result.js';
import { instant } from '../../support/mesh.js';
import { REPO_ROOT, runCliInProcess } from '../../support/cli.js';

describe('mesh-view SLOs on an attached mesh', () => {
  let mesh: LocalMesh;
  let dir: string;
  beforeAll(async () => {
    const set = await loadManifests(['experiments/manifests'], REPO_ROOT);
    const flaky = instant('reviews', 'v2', { replicas: 2, demo: { latency: { median: 2, p99: 5 }, errorRate: 0.1, errorStatus: 500 } });
    mesh = await createLocalMesh({ ...set, backends: [flaky], listen: '127.0.0.1:0', admin: '127.0.0.1:0', configWrites: true });
    dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-mesh-view-attach-'));
  });
  afterAll(() => mesh?.close());

  it('judges retry-success-rate and a response flag from the running mesh\'s admin', async () => {
    const text = await readFile(path.join(REPO_ROOT, 'test/fixtures/mesh-view/retry-attach.yaml'), 'utf8');
    const file = path.join(dir, 'retry-attach.yaml');
    await writeFile(file, text.replace('http://127.0.0.1:15020', mesh.adminUrl));
    const out = await runCliInProcess(['run', file, '--no-progress', '--report-dir', path.join(dir, 'run')]);
    const result = JSON.parse(await readFile(path.join(dir, 'run', 'result.json'), 'utf8')) as RunResult;
    expect(out.code, out.stderr + result.summary).toBe(0);
    const [retry, urx] = result.steps[0]!.checks;
    expect(retry).toMatchObject({ kind: 'retry-success-rate', verdict: 'pass' });
    // ~200 v2 requests, 10% failing at first: ~20 retries; none at all has probability 0.9^200 ≈ 7e-10.
    expect(retry!.samples).toBeGreaterThan(0);
    expect(urx).toMatchObject({ kind: 'response-flag', verdict: 'pass' });
    // The flag's denominator is the mesh's own count of what v2 answered, which the client saw too.
    expect(urx!.samples).toBe(result.steps[0]!.stats.find((s) => s.version === 'v2')!.count);
  }, 60_000);
});
