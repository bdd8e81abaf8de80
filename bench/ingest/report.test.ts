import { describe, expect, it } from 'vitest';
import { renderIngestSection, summarizeRound, type ChildRun, type IngestBenchResult, type IngestRound } from './report.js';

// Figures made up for the rendering only: nothing here times anything.
const stats = { bytes: 0, lines: 1_000_000, points: 999_990, declarations: 10, samples: 66_000, dropped: 0, withoutStatus: 0, malformed: 0, slowPath: 0 };
const child = (wallMs: number, elapsedMs: number, lines = stats.lines): ChildRun => ({
  command: 'node bench/ingest/ingest-child.mjs FILE',
  wallMs,
  maxRssKiB: 100 * 1024,
  stdout: '',
  child: { stats: { ...stats, lines }, elapsedMs, maxRssKiB: 100 * 1024, recorder: { windows: 1, histograms: 3, estimatedBytes: 2 ** 20 }, versions: [] },
});
const cat = (wallMs: number) => ({ command: 'cat FILE > /dev/null', wallMs, maxRssKiB: 2000, stdout: '' });
const round = (lines: number, cats: number[], ours: number[], empties: number[]): IngestRound => ({
  file: { lines, requests: lines / 15, bytes: lines * 245, seconds: lines / 15 / 2000 },
  cat: cats.map(cat),
  ours: ours.map((ms) => child(ms, ms - 100, lines)),
  empty: empties.map((ms) => child(ms, 1, 0)),
  jq: { command: 'jq FILE | wc -l', wallMs: 20_000, maxRssKiB: 3000, stdout: '', matched: 66_000 },
});

const result: IngestBenchResult = {
  date: '2026-01-01T00:00:00.000Z',
  machine: { nproc: 2, cpuModel: 'test CPU', loadavg: [0.1, 0.2, 0.3], node: 'v20.0.0', jq: 'jq-1.6' },
  dist: 'dist/ compiled by this run',
  rounds: [round(1_000_000, [40, 30, 35], [400, 380, 900], [120, 110, 130]), round(10_000_000, [300, 320, 310], [2000, 1900, 2100], [120, 125, 500])],
};

describe('renderIngestSection (bench/ingest)', () => {
  it('takes medians of the repeated runs: one slow run does not move them', () => {
    const q = summarizeRound(result.rounds[0]!);
    expect(q).toMatchObject({ cat: 35, ours: 400, empty: 120, inProcess: 300 });
    expect(q.ratio).toBeCloseTo(400 / 35);
    expect(q.startupShare).toBeCloseTo(0.3);
  });

  it('shows cat, ours, the start-up and its share, and the ratio per size', () => {
    const section = renderIngestSection(result, 'npm run bench:ingest');
    expect(section.startsWith('## Ingest\n')).toBe(true);
    expect(section).toContain('| 1.00 M lines, 234 MiB | 0.04 s | 0.40 s | 0.12 s (30%) | 0.30 s, 3.33 M lines/s | 100 MB |');
    expect(section).toContain('| 10.00 M lines, 2337 MiB | 0.31 s | 2.00 s | 0.13 s (6%) |');
    expect(section).toContain('**11.4×** |');
    expect(section).toContain('**6.5×** |');
    expect(section).toContain('compiled: dist/ compiled by this run');
  });

  it('says where start-up dominates and judges the cat target at the largest size only', () => {
    const section = renderIngestSection(result, 'npm run bench:ingest');
    expect(section).toContain('At 1.00 M lines the fixed start-up is over 25% of the ingest');
    expect(section).toContain('| within 10× of cat | 6.5× (main size: 10.00 M lines, 2337 MiB; start-up 6% of it) | ✅ met |');
    const small = renderIngestSection({ ...result, rounds: [result.rounds[0]!] }, 'x');
    expect(small).toContain('| within 10× of cat | 11.4× (main size: 1.00 M lines, 234 MiB; start-up 30% of it) | ❌ not met |');
    const large = renderIngestSection({ ...result, rounds: [result.rounds[1]!] }, 'x');
    expect(large).toContain('At every size the fixed start-up is under 25%');
  });
});
