import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { benchGameDay } from './gameday.js';

describe('benchGameDay (bench/report)', () => {
  let root = '';
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('writes each experiment its own run directory and reports, and counts every byte once, the index too', async () => {
    root = await mkdtemp(join(tmpdir(), 'gameday-bench-'));
    // Two experiments of 18 s (six 3-second steps) at 200 req/s.
    const day = await benchGameDay({
      runs: 2,
      hoursEach: 0.005,
      rate: 200,
      root,
      log: () => undefined,
      // An index beside the runs, and one file inside a run directory (already counted with it).
      writeIndex: async (dirs) => {
        await writeFile(join(root, 'index.html'), 'x'.repeat(1000));
        await writeFile(join(dirs[0]!, 'index-part.json'), '{}');
        return [join(root, 'index.html'), join(dirs[0]!, 'index-part.json')];
      },
    });
    const runDirs = (await readdir(root)).filter((n) => n.startsWith('run-')).sort();
    expect(runDirs).toEqual(['run-01', 'run-02']);
    let bytes = 0;
    for (const d of runDirs) {
      const files = await readdir(join(root, d));
      expect(files).toEqual(expect.arrayContaining(['result.json', 'report.html', 'summary.md', 'junit.xml']));
      for (const f of files) bytes += (await stat(join(root, d, f))).size;
    }
    expect(day.written.bytes).toBe(bytes + 1000); // index-part.json is in run-01: counted there
    expect(day.written.files).toBe(4 + 5 + 1);
    expect(day.index).toMatchObject({ files: 2, bytes: 1002 });
    expect(Object.keys(day.byReport).sort()).toEqual(['html', 'json', 'junit', 'markdown']);
    expect(day.totalMs).toBeCloseTo(day.timelineMs + day.reportsMs + day.index!.ms, 6);
    expect(day.pointSeconds).toBe(1);
  });
});
