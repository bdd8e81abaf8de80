/**
 * A run driving k6 (the stand-in: k6 cannot run here (AGPL policy); this stand-in replays k6
 * v2.2.0's documented --out json lines and exit codes; it does not execute the script's
 * JavaScript), stopped mid-step: by SIGINT (the run kills k6's process group and restores), and by
 * SIGKILL (no handler runs: k6 writes to the run's pipe and dies of it, as a Go program does on
 * SIGPIPE), after which `recover` finishes the journal.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../support/cli.js';
import { K6_STAND_IN_PATH, standInProcesses } from '../../support/k6-stand-in.js';
import { waitGone } from '../../support/processes.js';
import { buildCli, spawnCli } from '../../support/recover-harness.js';
import { writeCanary } from '../../support/vegeta-experiment.js';

let dir: string;
beforeAll(async () => {
  buildCli();
  dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-k6-stop-'));
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Starts `run` and resolves once the stand-in k6 of step 1 is running. */
async function runUntilK6(name: string) {
  const file = await writeCanary(dir, { generator: 'k6', file: `${name}.yaml` });
  const runDir = path.join(dir, name);
  let stepped: () => void;
  const inStep = new Promise<void>((r) => (stepped = r));
  const run = spawnCli(['run', file, '--report-dir', runDir, '--no-progress'], { env: { PATH: K6_STAND_IN_PATH }, onStderr: (text) => text.includes('step 1/3: applied') && stepped() });
  await inStep;
  let pids: number[] = [];
  for (let i = 0; i < 60 && pids.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    pids = await standInProcesses(runDir);
  }
  expect(pids, 'the stand-in k6 runs the step').toHaveLength(1);
  return { run, runDir, pids };
}

describe('stopping a run that drives k6', () => {
  it('SIGINT: the run restores, exits 130 and leaves no k6 process', async () => {
    const { run, pids } = await runUntilK6('sigint');
    run.child.kill('SIGINT');
    const exit = await run.exit;
    expect(exit.code, exit.stderr).toBe(130);
    for (const pid of pids) expect(await waitGone(pid, 3000), `k6 pid ${pid} outlived the run`).toBe(true);
  }, 60_000);

  it('SIGKILL: k6 ends with the run\'s pipe, and recover finishes the journal', async () => {
    const { run, runDir, pids } = await runUntilK6('sigkill');
    run.child.kill('SIGKILL');
    expect((await run.exit).signal).toBe('SIGKILL');
    for (const pid of pids) expect(await waitGone(pid, 5000), `k6 pid ${pid} outlived the run`).toBe(true);
    const recovered = await runCliInProcess(['recover', runDir]);
    expect(recovered.code, recovered.stderr).toBe(0);
  }, 60_000);
});
