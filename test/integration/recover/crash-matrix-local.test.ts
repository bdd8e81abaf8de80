/**
 * Crash matrix, provider local (the in-process mesh) with command backends: the run is a child
 * process killed with SIGKILL at every failpoint it passes (test/fixtures/crash/local-command.yaml
 * for the restoring path, its -promote twin for the promotion's points). After each kill,
 * `mesh-exp recover <dir>` (in this process: the kill is not needed there) must leave no process
 * the run journaled alive and none of their ports listening, write the partial report when a step
 * had finished (none otherwise), and a second recover must find nothing to do. The whole-run,
 * promotion and SIGINT paths are checked for orphans too, and recover must refuse a run still
 * alive. Prints the "crash-matrix: local" tally.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCliInProcess } from '../../support/cli.js';
import { PROMOTE_POINTS, createTally, finishedSteps, journaledChildren, orphansOf, reportProblems, restoreRunPoints, tallyLine } from '../../support/crash-matrix.js';
import { buildCli, spawnCli } from '../../support/recover-harness.js';
import { waitGone } from '../../support/processes.js';

const EXPERIMENT = path.join(REPO_ROOT, 'test/fixtures/crash/local-command.yaml');
const PROMOTE = path.join(REPO_ROOT, 'test/fixtures/crash/local-command-promote.yaml');
const ROLLBACK = path.join(REPO_ROOT, 'test/fixtures/crash/local-command-rollback.yaml');
const tally = createTally();
let tmp: string;
let n = 0;
let wallMs = 0;

beforeAll(async () => {
  buildCli();
  tmp = await mkdtemp(path.join(tmpdir(), 'mesh-exp-crash-local-'));
}, 180_000);
afterAll(async () => {
  process.stdout.write(`\n${tallyLine('local', tally, wallMs)}\n`);
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const run = (experiment: string, runDir: string, env: Record<string, string> = {}) =>
  spawnCli(['run', experiment, '--report-dir', runDir, '--no-progress'], { env });

/** Kills the run at `point`, recovers, checks; problems go to the tally. */
async function killAndRecover(experiment: string, point: string): Promise<void> {
  const runDir = path.join(tmp, `kill-${++n}-${point.replace(':', '-')}`);
  const fail = (what: string): void => void tally.problems.push(`${point}: ${what}`);
  const exit = await run(experiment, runDir, { MESH_EXP_FAILPOINT: point }).exit;
  tally.tried++;
  if (exit.signal !== 'SIGKILL') return fail(`the failpoint was not reached (exit ${exit.code}): ${exit.stderr.slice(-300)}`);
  if ((await journaledChildren(runDir)).length !== 2) return fail('the journal does not name the two backend processes');
  if ((await orphansOf(runDir)).length > 0) tally.orphansBeforeRecover++;
  const steps = await finishedSteps(runDir);
  const hadResult = existsSync(path.join(runDir, 'result.json'));
  const recovered = await runCliInProcess(['recover', runDir]);
  if (recovered.code !== 0) return fail(`recover exited ${recovered.code}: ${recovered.stderr}`);
  const orphans = await orphansOf(runDir);
  tally.orphans += orphans.length;
  if (orphans.length) fail(`left running after recover: ${orphans.join(', ')}`);
  const report = reportProblems(runDir, steps, hadResult, recovered.stdout);
  if (report.length) return report.forEach(fail);
  if (steps > 0 && !hadResult) tally.partialReports++;
  const again = await runCliInProcess(['recover', runDir]);
  if (again.code !== 0 || !again.stdout.includes('nothing to recover')) return fail(`a second recover did not say "nothing to recover": ${again.stdout}`);
  if (orphans.length === 0) tally.restored++;
}

describe('crash matrix: provider local with command backends', () => {
  it('a whole run, a promotion, a rollback and a SIGINT leave no backend process behind; recover refuses a live run', async () => {
    const whole = path.join(tmp, 'whole');
    let stepped: () => void;
    const inStep = new Promise<void>((r) => (stepped = r));
    const live = spawnCli(['run', EXPERIMENT, '--report-dir', whole, '--no-progress'], { onStderr: (text) => text.includes('step 1/3: applied') && stepped() });
    await inStep;
    const refused = await runCliInProcess(['recover', whole]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`is still running (pid ${live.child.pid}): recover is for runs that died`);
    const passed = await live.exit;
    expect(passed.code, passed.stderr).toBe(0);
    const promoted = path.join(tmp, 'promoted');
    expect((await run(PROMOTE, promoted).exit).code).toBe(0);
    const rolledBack = path.join(tmp, 'rollback');
    const rollback = await run(ROLLBACK, rolledBack).exit;
    expect(rollback.code, rollback.stderr).toBe(1);
    expect(rollback.stderr).toContain('rollback');
    const interrupted = path.join(tmp, 'sigint');
    const sigint = run(EXPERIMENT, interrupted);
    sigint.child.stderr!.on('data', (c: Buffer) => c.toString().includes('step 2/3: applied') && sigint.child.kill('SIGINT'));
    expect((await sigint.exit).code).toBe(130);
    for (const dir of [whole, promoted, rolledBack, interrupted]) {
      expect(await journaledChildren(dir)).toHaveLength(2);
      expect(await orphansOf(dir)).toEqual([]);
    }
  }, 60_000);

  it('a signal while the backends start (nothing changed yet: the process exits at once) leaves no backend behind', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const dir = path.join(tmp, `setup-${signal}`);
      // The backends take 5 s to listen, so the run is still in its set-up when the signal comes.
      const starting = run(EXPERIMENT, dir, { READY_DELAY_MS: '5000' });
      const deadline = Date.now() + 15_000;
      while ((await journaledChildren(dir).catch(() => [])).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await journaledChildren(dir), 'both backends journaled before the signal').toHaveLength(2);
      starting.child.kill(signal);
      const exit = await starting.exit;
      expect(exit.code, exit.stderr).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(exit.stderr).toContain('nothing was changed');
      for (const child of await journaledChildren(dir)) expect(await waitGone(child.pid, 2000), `backend ${child.label} (pid ${child.pid}) outlived the run`).toBe(true);
    }
  }, 60_000);

  it('SIGKILL at every failpoint, then recover: no orphan, the finished steps reported', async () => {
    const t0 = Date.now();
    for (const point of restoreRunPoints(3, { claim: false, midRestore: false })) await killAndRecover(EXPERIMENT, point);
    for (const point of PROMOTE_POINTS) await killAndRecover(PROMOTE, point);
    wallMs = Date.now() - t0;
    expect(tally.problems).toEqual([]);
    expect(tally.restored).toBe(tally.tried);
    // The matrix can fail: most kills left backends running for recover to stop, and most had steps to report.
    expect(tally.orphansBeforeRecover).toBeGreaterThan(tally.tried / 2);
    expect(tally.partialReports).toBeGreaterThan(tally.tried / 2);
  }, 300_000);
});
