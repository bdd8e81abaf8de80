/**
 * Process level: the built CLI running a game day under a real SIGINT that lands between two of
 * its experiments (the first over and restored, the second not started; the gap held open by the
 * `between-experiments` failpoint). The notice is the game day's own, not a run's ("the run is
 * over"): the rest is skipped, the day's reports are written, and it exits 130.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GameDayResult } from '../../../src/model/gameday-result.js';
import { buildCli, repoRoot, spawnCli } from '../../support/recover-harness.js';

beforeAll(() => buildCli(), 180_000);

/** A day of the same one-second fault three times (5 ms delay: each passes), in a temp dir. */
async function threeFaults(dir: string): Promise<string> {
  const text = `apiVersion: mesh-exp.dev/v1alpha1
kind: GameDay
metadata: { name: signal-day }
spec:
  defaults:
    load: { path: /reviews/1, rate: 50 }
  experiments:
    - experiment: &fault
        metadata: { name: fault-1 }
        spec:
          target: { virtualService: reviews, route: reviews-main, host: reviews, stable: v1, canary: v2 }
          traffic: { fault: { delay: { fixedDelay: 5ms }, duration: 1s } }
          slos: [{ kind: error-rate, subject: all, max: 5% }]
          analysis: { minSamples: 5 }
          local: { manifests: [${path.join(repoRoot, 'experiments/manifests')}] }
    - experiment: { <<: *fault, metadata: { name: fault-2 } }
    - experiment: { <<: *fault, metadata: { name: fault-3 } }
`;
  const file = path.join(dir, 'day.yaml');
  await writeFile(file, text);
  return file;
}

describe('mesh-exp run <game day> under a real SIGINT between two experiments', () => {
  it('says it is between experiments, skips the rest, writes the day\'s reports and exits 130', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-signal-gameday-'));
    const day = await threeFaults(dir);
    let sent = false;
    const { exit } = spawnCli(['run', day, '--report-dir', path.join(dir, 'day'), '--no-progress'], {
      env: { MESH_EXP_FAILPOINT: 'between-experiments:1=sleep(4000)' },
      onStderr: (text, child) => {
        // The first experiment's end is logged just before the failpoint holds the gap open.
        if (!sent && text.includes('experiment 1 of 3: PASSED')) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 300);
        }
      },
    });
    const { code, stderr } = await exit;
    expect(sent, stderr).toBe(true);
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('received SIGINT: between experiments: skipping the rest, writing the day\'s reports');
    expect(stderr).not.toContain('the run is over');
    // The second experiment never started: no run of it, nothing changed after the signal.
    expect(stderr).not.toContain('experiment 2 of 3: fault-2');
    const result = JSON.parse(await readFile(path.join(dir, 'day', 'result.json'), 'utf8')) as GameDayResult;
    expect(result).toMatchObject({ verdict: 'fail', exitCode: 130 });
    expect(result.experiments.map((e) => [e.name, e.status])).toEqual([['fault-1', 'passed'], ['fault-2', 'skipped'], ['fault-3', 'skipped']]);
    expect(result.experiments[1]!.summary).toBe('skipped: the game day was stopped by a signal');
  }, 120_000);
});
