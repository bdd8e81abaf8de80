import { describe, expect, it } from 'vitest';
import type { ProbeResult } from './probe.js';
import { cpuPer10k, renderLoadSection, rssGrowth, type LoadBenchResult } from './report.js';

const schedule = { count: 10_000, connections: 40, spanMs: 5000, measured: 8000, behindP50Ms: 0, behindP99Ms: 0.4, behindMaxMs: 2, shareOver1Ms: 0.002 };
const probe = (engine: string, rate: number, cpuSeconds: number, completed = rate * 5): ProbeResult => ({ engine, rate, durationMs: 5000, completed, failed: 0, latencyP50Ms: 0.3, latencyP99Ms: 1.2, schedule, cpuSeconds, maxRssKiB: 50_000 });
const flat = (engine: string, kib: (s: number) => number) => ({ engine, rate: 2000, minutes: 10, completed: 1_200_000, samples: Array.from({ length: 60 }, (_, i) => [i * 10, kib(i * 10)] as [number, number]) });
const measured = (wallMs: number) => ({ command: 'x', wallMs, maxRssKiB: 1000, stdout: '' });

function result(builtinMax: number, loopMs: number, growth: number): LoadBenchResult {
  return {
    date: '2026-12-07T00:00:00.000Z',
    machine: { nproc: 2, cpuModel: 'test', loadavg: [0, 0, 0], node: 'v20', vegeta: 'v12.13.0', wrk: 'wrk 4.1', go: 'go1.26' },
    maxRate: [
      { engine: 'vegeta', maxRate: 10_000, atMax: probe('vegeta', 10_000, 3), probes: [] },
      { engine: 'builtin', maxRate: builtinMax, atMax: probe('builtin', builtinMax, 3), probes: [] },
    ],
    wrk: { connections: 40, rps: 30_000, p99Ms: 2 },
    overload: [probe('vegeta', 15_000, 3)],
    cpu: [{ engine: 'vegeta', startup: probe('vegeta', 1, 0.2, 1), run: probe('vegeta', 2000, 2.2, 20_000) }],
    rss: [flat('vegeta', (s) => 100_000 + s * growth * 200)],
    ingest: { lines: 1_000_000, bytes: 3e8, cat: measured(100), ours: { ...measured(loopMs + 100), loopMs, recorded: 1_000_000 }, vegetaReport: measured(2000) },
  };
}

describe('bench/load report', () => {
  it('nets start-up out of CPU per 10,000 requests', () => {
    expect(cpuPer10k({ engine: 'vegeta', startup: probe('vegeta', 1, 0.2, 1), run: probe('vegeta', 2000, 2.2, 20_000) })).toBeCloseTo(1);
  });

  it('compares the last minute of RSS with the second', () => {
    expect(rssGrowth(flat('x', () => 100))).toBe(0);
    expect(rssGrowth(flat('x', (s) => 100 + s))).toBeGreaterThan(1);
  });

  it('meets the goals only when the figures do', () => {
    const good = renderLoadSection(result(9000, 1500, 0), 'npm run bench:load');
    expect(good).toMatch(/0\.90× \(9000 vs 10000 req\/s\) \| ✅ met/);
    expect(good).toMatch(/666667 lines\/s \(the loop\) \| ✅ met/);
    expect(good).toMatch(/growth ≤ 10%\) \| 0\.0% \| ✅ met/);
    const bad = renderLoadSection(result(5000, 2500, 1), 'npm run bench:load');
    expect(bad).toMatch(/0\.50× .* ❌ missed/);
    expect(bad).toMatch(/400000 lines\/s \(the loop\) \| ❌ missed/);
    expect(bad).toMatch(/growth ≤ 10%\) \| \d+\.\d% \| ❌ missed/);
  });
});
