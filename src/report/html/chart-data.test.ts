import { describe, expect, it } from 'vitest';
import { loadRunResult } from '../../../test/unit/report/fixture.js';
import type { RunResult } from '../../model/result.js';
import { buildChartData } from './chart-data.js';
import { CHART_SCRIPT } from './chart-script.js';
import { embedJson } from './charts-section.js';
import { trafficChanges } from './traffic-changes.js';

const result = loadRunResult();
const data = buildChartData(result);

describe('buildChartData', () => {
  it('puts one x per timeline window of each step, in seconds since the start, the first at its step start', () => {
    const windows = result.steps.map((s) => new Set(s.timeline.map((p) => p.time)).size);
    expect(data.x).toHaveLength(windows[0]! + windows[1]!);
    expect([...data.x].sort((a, b) => a - b)).toEqual(data.x);
    // The first window began before step 1 did, so it is drawn at the step's start.
    expect(data.x[0]).toBe((result.steps[0]!.startedAt - result.startedAt) / 1000);
    expect(data.x[windows[0]!]).toBe((result.steps[1]!.startedAt - result.startedAt) / 1000);
    expect(data.end).toBe((result.endedAt - result.startedAt) / 1000);
  });

  it('keeps every request and error of the timeline, per version, stable and canary first and "all" last', () => {
    expect(data.versions.map((v) => [v.name, v.role])).toEqual([['v1', 'stable'], ['v3', 'canary'], ['unknown', 'other'], ['all', 'all']]);
    for (const v of data.versions) {
      const points = result.steps.flatMap((s) => s.timeline.filter((p) => p.version === v.name));
      expect(v.count.reduce((a, b) => a + b, 0)).toBe(points.reduce((a, p) => a + p.count, 0));
      expect(v.errors.reduce((a, b) => a + b, 0)).toBe(points.reduce((a, p) => a + p.errors, 0));
      expect([v.count, v.errors, v.p50, v.p95, v.p99].every((a) => a.length === data.x.length)).toBe(true);
    }
    // A window where a version served nothing has count 0 and no latency, not a made-up value.
    const unknown = data.versions.find((v) => v.name === 'unknown')!;
    const silent = unknown.count.findIndex((n) => n === 0);
    expect(unknown.p99[silent]).toBeNull();
  });

  it('gives each x the weight of its step, and marks steps, the restore and the SLO thresholds', () => {
    const [first, second] = result.steps;
    expect(data.weight.filter((w) => w === first!.canaryWeight)).toHaveLength(new Set(first!.timeline.map((p) => p.time)).size);
    expect(data.weight.at(-1)).toBe(second!.canaryWeight);
    expect(data.steps.map((s) => [s.n, s.label])).toEqual([[1, 'canary 5%'], [2, 'canary 25%']]);
    const restored = result.events.find((e) => e.message.startsWith('Restored'))!;
    expect(data.marks).toEqual([{ at: (restored.time - result.startedAt) / 1000, label: 'restored' }]);
    expect(data.limits).toEqual([
      { version: 'v3', kind: 'error-rate', value: 0.01 },
      { version: 'v3', kind: 'latency', percentile: 'p99', value: 250 },
      { version: 'all', kind: 'error-rate', value: 0.02 },
    ]);
    expect(data.changes).toEqual([]);
  });

  it('draws nothing for a run without timeline data', () => {
    const bare = { ...result, steps: result.steps.map((s) => ({ ...s, timeline: [] })) };
    expect(buildChartData(bare)).toMatchObject({ x: [], versions: [] });
  });
});

describe('trafficChanges', () => {
  const withFault = (patch: Partial<RunResult> = {}): RunResult => {
    const r = { ...loadRunResult(), ...patch };
    const traffic = (r.experiment as { spec: { traffic: Record<string, unknown> } }).spec.traffic;
    traffic['fault'] = { delay: { fixedDelay: 150, percentage: 50 }, match: [{ headers: { 'end-user': { exact: 'jason' } } }] };
    traffic['mirror'] = { subset: 'v3', percentage: 100 };
    return r;
  };

  it('has each fault and mirror from the first step to the restore', () => {
    const r = withFault();
    const restored = r.events.find((e) => e.message.startsWith('Restored'))!.time;
    expect(trafficChanges(r)).toEqual([
      { kind: 'fault', label: 'fault delay 150ms on 50% for end-user=jason', appliedAt: r.steps[0]!.startedAt, removedAt: restored },
      { kind: 'mirror', label: 'mirror 100% to v3', appliedAt: r.steps[0]!.startedAt, removedAt: restored },
    ]);
    expect(buildChartData(r).changes[0]).toEqual({ kind: 'fault', label: 'fault delay 150ms on 50% for end-user=jason', from: 1.2, to: (restored - r.startedAt) / 1000 });
  });

  it('says a change was never removed when the restore failed, and ends at the run end without the event', () => {
    expect(trafficChanges(withFault({ restored: false }))[0]!.removedAt).toBeNull();
    const r = withFault({ events: [] });
    expect(trafficChanges(r)[0]!.removedAt).toBe(r.endedAt);
  });

  it('shows no band for a result.json whose experiment is not an experiment', () => {
    expect(trafficChanges({ ...result, experiment: 'hand-written' })).toEqual([]);
    expect(trafficChanges({ ...result, experiment: { spec: { traffic: { fault: 7 } } } })).toEqual([]);
  });
});

describe('chart page pieces', () => {
  it('the chart script is valid JavaScript (it is inlined as text, so nothing else would parse it)', () => {
    expect(() => new Function(CHART_SCRIPT)).not.toThrow();
  });

  it('embeds JSON that no string can break out of', () => {
    const text = embedJson({ s: '</script><!-- & \u2028' });
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual({ s: '</script><!-- & \u2028' });
  });
});
