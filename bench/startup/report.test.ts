import { describe, expect, it } from 'vitest';
import { replaceSection } from '../proxy/benchmarks-file.js';
import { renderStartupSection, STARTUP_HEADING, summarize, type StartupBenchResult } from './report.js';

// Figures made up for the rendering only: nothing here times anything.
const result: StartupBenchResult = {
  date: '2026-01-01T00:00:00.000Z',
  machine: { nproc: 2, cpuModel: 'test CPU', loadavg: [0.1, 0.2, 0.3], node: 'v20.0.0', peers: ['kubectl --help'] },
  rounds: 4,
  commands: [
    { name: 'floor', shown: "node -e ''" },
    { name: 'help', shown: 'node bin/mesh-exp.js --help' },
    { name: 'validate', shown: 'node bin/mesh-exp.js validate experiments/canary.yaml' },
    { name: 'kubectl', shown: 'kubectl --help' },
  ],
  wallMs: { floor: [50, 50, 60, 70], help: [100, 100, 110, 130], validate: [250, 240, 260, 400], kubectl: [40, 40, 45, 50] },
  missingPeers: ['helm'],
};

describe('renderStartupSection (bench/startup)', () => {
  it('summarizes with the median and the nearest-rank p90', () => {
    expect(summarize([50, 50, 60, 70])).toEqual({ median: 55, p90: 70 });
  });

  it('gives each command its median, p90 and ratios to the floor, and judges only mesh-exp against the target', () => {
    const section = renderStartupSection(result, 'npm run bench:startup');
    expect(section.startsWith(`${STARTUP_HEADING}\n`)).toBe(true);
    expect(section).toContain("| `node -e ''` | 55 ms | 70 ms | 1.00× | 1.00× | — |");
    expect(section).toContain('| `node bin/mesh-exp.js --help` | 105 ms | 130 ms | 1.91× | 1.86× | ✅ |');
    expect(section).toContain('| `node bin/mesh-exp.js validate experiments/canary.yaml` | 255 ms | 400 ms | 4.64× | 5.71× | ❌ |');
    expect(section).toContain('| `kubectl --help` | 43 ms | 50 ms | 0.77× | 0.71× | — |');
    expect(section).toContain('Not on PATH, so not measured: helm.');
  });

  it('replaces only its own section of BENCHMARKS.md', () => {
    const doc = '# Benchmarks\n\n## Proxy\n\nproxy figures\n\n## CLI start-up\n\nold figures\n\n## Report\n\nreport figures\n';
    const next = replaceSection(doc, STARTUP_HEADING, renderStartupSection(result, 'npm run bench:startup'));
    expect(next).toContain('proxy figures');
    expect(next).toContain('report figures');
    expect(next).not.toContain('old figures');
    expect(next.indexOf('## Proxy')).toBeLessThan(next.indexOf(STARTUP_HEADING));
    expect(next.indexOf(STARTUP_HEADING)).toBeLessThan(next.indexOf('## Report'));
  });
});
