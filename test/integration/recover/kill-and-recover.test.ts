/**
 * Reliability: a multi-step canary (with a fault route and a mirror) runs as a child process
 * against a standalone `mesh-exp mesh` and is killed with SIGKILL at every failpoint (every state
 * transition of the run) and at seeded random moments. After each kill: a new run on the same
 * VirtualService is refused while the object carries the dead run's mark (and changes nothing),
 * `mesh-exp recover <dir>` restores, the mesh's VirtualService and /config_dump equal the original
 * exactly, the proxy routes as the original says, and a second recover has nothing to do.
 * Prints "kill-and-recover: tried N, restored N". Replay a random schedule with MESH_EXP_KILL_SEED.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { markOf } from '../../../src/traffic/local/attach-provider.js';
import { createSeededRandom } from '../../../src/seeded-random.js';
import { meshState, servedVersions, spawnCli, useMeshProcess } from '../../support/recover-harness.js';
import { cli } from '../../support/recover-in-process.js';

const STEP_POINTS = ['before-apply', 'after-apply', 'after-verify', 'mid-load', 'after-load'];
const FAILPOINTS = [
  'after-snapshot',
  'before-claim',
  'after-claim',
  ...[1, 2, 3].flatMap((step) => STEP_POINTS.map((p) => `${p}:${step}`)),
  'before-restore',
  'after-restore-start',
  'mid-restore',
  'after-restore',
  'before-end',
  'after-end',
];
const RANDOM_KILLS = 10;
const seed = Number(process.env['MESH_EXP_KILL_SEED'] ?? Date.now() % 1_000_000_007);

const fx = useMeshProcess();
/** Active length of a whole run (journal saved → exit), ms; random kills land inside it. */
let runMs = 0;
const tally = { tried: 0, restored: 0, refusalsChecked: 0 };
const problems: string[] = [];
let n = 0;

afterAll(() => {
  process.stdout.write(`\nkill-and-recover: tried ${tally.tried}, restored ${tally.restored} (${FAILPOINTS.length} failpoints + random kills, seed ${seed}; ${tally.refusalsChecked} refusals checked)\n`);
});

/** The CLI in this process (the same code, without another Node start-up), once it has ended. */
async function runInProcess(args: string[]) {
  const run = cli(args);
  const code = await run.code;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** Starts the canary with its own run directory; `saved` resolves when the journal's snapshot is written. */
function startRun(runDir: string, env: Record<string, string> = {}) {
  let saved: () => void;
  const savedAt = new Promise<void>((r) => (saved = r));
  const run = spawnCli(['run', fx.experiment, '--report-dir', runDir, '--no-progress'], {
    env,
    onStderr: (text) => text.includes('saved VirtualService') && saved(),
  });
  return { ...run, savedAt };
}

/** After a kill: refusal while marked, recover, exact equality with the original, idempotence. */
async function checkRecovery(label: string, runDir: string): Promise<void> {
  const fail = (what: string) => {
    problems.push(`${label}: ${what}`);
    console.log(`FAILED ${label}: ${what}`);
  };
  const before = await meshState(fx.mesh.adminUrl);
  if (markOf(before.vs) !== undefined) {
    // In-process (the same CLI code, without another Node start-up): the refusal comes from preflight.
    tally.refusalsChecked++;
    const refusedDir = `${runDir}-refused`;
    const refused = await runInProcess(['run', fx.experiment, '--report-dir', refusedDir, '--no-progress']);
    const after = await meshState(fx.mesh.adminUrl);
    if (refused.code !== 5) fail(`a new run was not refused (exit ${refused.code}): ${refused.stderr.slice(-300)}`);
    if (!refused.stderr.includes(`mesh-exp recover ${runDir}`)) fail(`the refusal does not name \`mesh-exp recover ${runDir}\`: ${refused.stderr.slice(-300)}`);
    if (after.resourceVersion !== before.resourceVersion || existsSync(refusedDir)) fail('the refused run changed something');
  }
  const recovered = await spawnCli(['recover', runDir]).exit;
  if (recovered.code !== 0) return fail(`recover exited ${recovered.code}: ${recovered.stderr}${recovered.stdout}`);
  const state = await meshState(fx.mesh.adminUrl);
  if (!isDeepStrictEqual(state.vs, fx.original.vs)) return fail(`VirtualService differs from the original after recover: ${JSON.stringify(state.vs)}`);
  if (!isDeepStrictEqual(state.dump, fx.original.dump)) return fail('/config_dump differs from the original after recover');
  const served = await servedVersions(fx.mesh.proxyUrl, 10);
  if (!isDeepStrictEqual(served, { v1: 10 })) return fail(`the proxy does not route as the original: ${JSON.stringify(served)}`);
  const again = await runInProcess(['recover', runDir]);
  if (again.code !== 0 || !again.stdout.includes('nothing to recover')) return fail(`a second recover did not say "nothing to recover": ${again.code} ${again.stdout}`);
  tally.restored++;
}

describe('kill -9 at any moment, then mesh-exp recover', () => {
  it('a whole run passes and restores (the baseline; a new run is allowed on an unheld target)', async () => {
    const run = startRun(path.join(fx.tmp, 'baseline'));
    await run.savedAt;
    const t0 = Date.now();
    const exit = await run.exit;
    runMs = Date.now() - t0;
    expect(exit.code, exit.stderr).toBe(0);
    expect((await meshState(fx.mesh.adminUrl)).vs).toEqual(fx.original.vs);
  });

  it('SIGKILL at every failpoint', async () => {
    for (const point of FAILPOINTS) {
      const runDir = path.join(fx.tmp, `kill-${++n}-${point.replace(':', '-')}`);
      const exit = await startRun(runDir, { MESH_EXP_FAILPOINT: point }).exit;
      tally.tried++;
      if (exit.signal !== 'SIGKILL') {
        problems.push(`${point}: the failpoint was not reached (exit ${exit.code}, signal ${exit.signal})`);
        continue;
      }
      await checkRecovery(point, runDir);
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it(`SIGKILL at ${RANDOM_KILLS} random moments (seed ${seed})`, async () => {
    const random = createSeededRandom(seed);
    let killed = 0;
    let finishedFirst = 0;
    // A draw the run outlives is not a crash; draw again (bounded) until RANDOM_KILLS landed.
    for (let attempt = 0; killed < RANDOM_KILLS && attempt < RANDOM_KILLS * 2; attempt++) {
      const delay = Math.round(random() * 0.9 * runMs);
      const runDir = path.join(fx.tmp, `kill-${++n}-random-${delay}ms`);
      const run = startRun(runDir);
      await run.savedAt;
      const timer = setTimeout(() => run.child.kill('SIGKILL'), delay);
      const exit = await run.exit;
      clearTimeout(timer);
      if (exit.signal !== 'SIGKILL') {
        finishedFirst++;
        if (!isDeepStrictEqual((await meshState(fx.mesh.adminUrl)).vs, fx.original.vs)) problems.push(`random ${delay}ms: finished but not restored`);
        continue;
      }
      killed++;
      tally.tried++;
      await checkRecovery(`random ${delay}ms after the snapshot`, runDir);
    }
    console.log(`random kills: ${killed} killed, ${finishedFirst} finished first (seed ${seed}, run ${runMs} ms)`);
    expect(problems).toEqual([]);
    expect(killed).toBe(RANDOM_KILLS);
  }, 180_000);

  it('every kill was restored; a new run afterwards is allowed and passes', async () => {
    expect(tally.restored).toBe(tally.tried);
    expect(tally.tried).toBeGreaterThanOrEqual(FAILPOINTS.length + 10);
    const exit = await startRun(path.join(fx.tmp, 'after-all')).exit;
    expect(exit.code, exit.stderr).toBe(0);
    expect((await meshState(fx.mesh.adminUrl)).vs).toEqual(fx.original.vs);
  });
});
