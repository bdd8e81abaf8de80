/**
 * A run whose load is the real vegeta, killed with SIGKILL mid-step (no handler runs): vegeta's
 * two processes (attack and encode) must not outlive it. They read their targets from the run's
 * pipe (-lazy), so the kill closes their input and they end on their own; this test holds that
 * property, then `recover` finishes the run's journal. With load.stages each 1 s segment's attack
 * has all its targets and its input closed already: it ends when its results meet the closed pipe
 * to encode (SIGPIPE) or its second is over, whichever is first.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCliInProcess } from '../../support/cli.js';
import { waitGone } from '../../support/processes.js';
import { buildCli, spawnCli } from '../../support/recover-harness.js';
import { writeVegetaCanary } from '../../support/vegeta-experiment.js';
import { requireTool } from '../../support/require-tool.js';

const binary = requireTool(path.join(REPO_ROOT, '.tools/vegeta/bin/vegeta'), 'the vegeta kill test (scripts/provision-tools.sh builds it)');

/** Pids of the live vegeta processes whose parent is `ppid`. */
async function vegetaChildren(ppid: number): Promise<number[]> {
  const out: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
    if (Number(fields[1]) === ppid && cmdline.includes('vegeta')) out.push(Number(name));
  }
  return out;
}

describe.skipIf(binary === undefined)('SIGKILL of a run driving vegeta', () => {
  let dir: string;
  beforeAll(async () => {
    buildCli();
    dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-vegeta-kill-'));
    await writeVegetaCanary(dir);
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Starts `run` on `file`, SIGKILLs it once vegeta runs, checks vegeta ends with it and `recover` finishes. */
  async function killMidStep(file: string, runDir: string): Promise<void> {
    let stepped: () => void;
    const inStep = new Promise<void>((r) => (stepped = r));
    const run = spawnCli(['run', file, '--report-dir', runDir, '--no-progress'], { onStderr: (text) => text.includes('step 1/3: applied') && stepped() });
    await inStep;
    let pids: number[] = [];
    for (let i = 0; i < 40 && pids.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 50));
      pids = await vegetaChildren(run.child.pid!);
    }
    // attack and encode (of the constant rate's one attack, or of the running segments of a ramp)
    expect(pids.length, 'vegeta attack and encode run under the mesh-exp process').toBeGreaterThanOrEqual(2);
    expect(pids.length % 2).toBe(0);
    run.child.kill('SIGKILL');
    expect((await run.exit).signal).toBe('SIGKILL');
    for (const pid of pids) expect(await waitGone(pid, 3000), `vegeta pid ${pid} outlived the run`).toBe(true);
    const recovered = await runCliInProcess(['recover', runDir]);
    expect(recovered.code, recovered.stderr).toBe(0);
  }

  it('leaves no vegeta process behind, and recover finishes the journal', async () => {
    await killMidStep(path.join(dir, 'canary-vegeta.yaml'), path.join(dir, 'run'));
  }, 60_000);

  it('with load.stages (each segment fed all its targets, its input closed), the kill still ends vegeta within a segment', async () => {
    const text = (await readFile(path.join(dir, 'canary-vegeta.yaml'), 'utf8')).replace(/^    rate: 80.*$/m, '    stages: [{ rate: 100, duration: 2s }, { rate: 100, duration: 3s }]');
    expect(text).toContain('stages:');
    await writeFile(path.join(dir, 'canary-stages.yaml'), text);
    await killMidStep(path.join(dir, 'canary-stages.yaml'), path.join(dir, 'run-stages'));
  }, 60_000);
});
