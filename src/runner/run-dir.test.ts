import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRunDir, utcStamp } from './run-dir.js';

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'mesh-exp-rundir-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('run directory', () => {
  it('stamps in UTC as YYYYMMDD-HHMMSS', () => {
    expect(utcStamp(Date.UTC(2025, 10, 2, 3, 4, 5, 678))).toBe('20251102-030405');
  });

  it('creates reports/<name>-<stamp>, and a suffixed one on a same-second clash', async () => {
    const t = Date.UTC(2025, 0, 31, 23, 59, 59);
    const a = await createRunDir({ name: 'exp', startedAt: t, cwd });
    const b = await createRunDir({ name: 'exp', startedAt: t, cwd });
    expect(a).toBe(path.join(cwd, 'reports', 'exp-20250131-235959'));
    expect(b).toBe(`${a}-2`);
    expect((await stat(b)).isDirectory()).toBe(true);
  });

  it('uses --report-dir as given, relative to cwd', async () => {
    const dir = await createRunDir({ name: 'exp', startedAt: 0, cwd, reportDir: 'out/run1' });
    expect(dir).toBe(path.join(cwd, 'out', 'run1'));
    expect((await stat(dir)).isDirectory()).toBe(true);
  });
});
