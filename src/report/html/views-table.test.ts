import { describe, expect, it } from 'vitest';
import type { StepResult } from '../../model/result.js';
import { viewsTable } from './views-table.js';

const step = (meshView?: StepResult['meshView']): StepResult => ({
  index: 0,
  canaryWeight: 50,
  label: 'canary 50%',
  startedAt: 0,
  endedAt: 4000,
  stats: [
    { version: 'v2', count: 200, errors: 20, errorRate: 0.1, rps: 50, latency: { p50: 4, p90: 8, p95: 9, p99: 12, 'p99.9': 14, max: 15, mean: 5 } },
  ],
  timeline: [],
  ...(meshView ? { meshView } : {}),
  checks: [],
  failedChecksTotal: 0,
  decision: 'continue',
});

describe('client view beside mesh view', () => {
  it('is absent without a mesh view', () => {
    expect(viewsTable([step()]).html).toBe('');
  });

  it('puts the client and Prometheus figures of a version side by side', () => {
    const out = (viewsTable([step([{ version: 'v2', successRatePercent: 89.5, p99Ms: 21.3 }, { version: 'v1', successRatePercent: null, p99Ms: null }])])).html;
    expect(out).toMatch(/<td>v2<\/td><td class="num">200<\/td><td class="num">10\.00%<\/td><td class="num">10\.50%<\/td><td class="num">12(\.0)?ms<\/td><td class="num">21\.3ms<\/td>/);
    expect(out).toMatch(/<td>v1<\/td><td class="num">0<\/td><td class="num">no data<\/td><td class="num">no data<\/td>/);
  });
});
