/**
 * `generator: vegeta` on a machine without vegeta: mesh-exp installed as a package (bin/, dist/,
 * node_modules, no .tools/) with a PATH that holds neither vegeta nor Go. `run` must stop at
 * preflight with exit 2 and say how to get vegeta, before the mesh starts or anything is journaled,
 * and never fall back to another engine.
 */
import { cp, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/cli.js';
import { buildCli } from '../../support/recover-harness.js';
import { writeVegetaCanary } from '../../support/vegeta-experiment.js';

describe('generator vegeta without vegeta', () => {
  let dir: string;
  let pkg: string;
  beforeAll(async () => {
    buildCli();
    dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-vegeta-missing-'));
    pkg = path.join(dir, 'mesh-exp');
    await mkdir(pkg);
    for (const part of ['bin', 'dist', 'package.json']) await cp(path.join(REPO_ROOT, part), path.join(pkg, part), { recursive: true });
    await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(pkg, 'node_modules'));
    await writeVegetaCanary(dir);
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('run stops at preflight (exit 2) saying how to get vegeta, and changes nothing', async () => {
    const reports = path.join(dir, 'reports');
    // Only node's own directory on PATH: no vegeta, no go.
    const r = await execa(process.execPath, [path.join(pkg, 'bin/mesh-exp.js'), 'run', 'canary-vegeta.yaml', '--report-dir', reports, '--no-progress'], {
      cwd: dir,
      env: { PATH: path.dirname(process.execPath), NO_COLOR: '1' },
      extendEnv: false,
      reject: false,
    });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toContain('load.generator vegeta needs vegeta v12.13.0');
    expect(r.stderr).toContain('Go is absent');
    expect(r.stderr).toContain('load.generator: builtin');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // Nothing started: no step applied, no journal written.
    expect(r.stderr).not.toContain('applied');
    const runs = await readdir(reports).catch(() => [] as string[]);
    for (const run of runs) expect(await readdir(path.join(reports, run))).not.toContain('journal.jsonl');
  }, 60_000);
});
