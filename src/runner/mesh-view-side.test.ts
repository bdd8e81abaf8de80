import { describe, expect, it } from 'vitest';
import { experimentSpecSchema } from '../experiment/schema.js';
import { counterIncrease, startCounterWindow } from './counter-window.js';
import { watchMeshView, watchOutlierEvents } from './mesh-view-side.js';

const spec = experimentSpecSchema.parse({
  target: { virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' },
  traffic: { shift: { steps: [50] } },
  local: { manifests: ['./istio'] },
  slos: [{ kind: 'error-rate', max: '1%' }, { kind: 'retry-success-rate', min: '90%' }, { kind: 'ejections', min: 1 }],
});
const V2 = 'outbound|80|v2|reviews.default.svc.cluster.local';
const signal = new AbortController().signal;

/** A reader whose stats text is the next of `texts` at each call (the last one repeats). */
function reader(texts: string[], fail?: number) {
  let calls = 0;
  return {
    metrics: async () => '',
    stats: async () => {
      const i = calls++;
      if (i === fail) throw new Error('connection refused');
      return texts[Math.min(i, texts.length - 1)]!;
    },
  };
}

describe('counter window', () => {
  it('reads at start and end; a counter that went down was reset', async () => {
    let n = 5;
    const w = await startCounterWindow({ read: async () => n, signal });
    n = 12;
    expect(await w.end()).toEqual({ before: 5, after: 12 });
    expect(counterIncrease(5, 12)).toBe(7);
    expect(counterIncrease(5, 3)).toBe(3);
  });
});

describe('watchMeshView', () => {
  it('measures only the mesh-view SLOs, from the difference of the two readings', async () => {
    const w = await watchMeshView({ slos: spec.slos, target: spec.target, signal, reader: reader([
      `cluster.${V2}.upstream_rq_retry: 10\ncluster.${V2}.upstream_rq_retry_success: 9\n`,
      `cluster.${V2}.outlier_detection.ejections_enforced_total: 1\ncluster.${V2}.upstream_rq_retry: 30\ncluster.${V2}.upstream_rq_retry_success: 27\n`,
    ]) });
    const m = await w!.end();
    expect([...m.keys()].map((s) => s.kind)).toEqual(['retry-success-rate', 'ejections']);
    expect(m.get(spec.slos[1]!)).toMatchObject({ value: 0.9, counts: { part: 18, whole: 20 } });
    expect(m.get(spec.slos[2]!)).toMatchObject({ value: 1, counts: { part: 1, whole: null } });
  });

  it('gives no data with the reason when a reading fails, at the start or at the end', async () => {
    for (const fail of [0, 1]) {
      const w = await watchMeshView({ slos: spec.slos, target: spec.target, signal, reader: reader([''], fail) });
      const m = await w!.end();
      expect(m.get(spec.slos[1]!)).toMatchObject({ value: null, noDataReason: "could not read the mesh's admin: connection refused" });
    }
  });

  it('leaves an aborted step alone: nothing to judge, nothing thrown', async () => {
    const aborted = AbortSignal.abort();
    expect(await watchMeshView({ slos: spec.slos, target: spec.target, signal: aborted, reader: reader([''], 0) })).toBeUndefined();
    const w = await watchMeshView({ slos: spec.slos, target: spec.target, signal: aborted, reader: reader([''], 1) });
    expect((await w!.end()).size).toBe(0);
  });

  it('does nothing without mesh-view SLOs or without a reader', async () => {
    expect(await watchMeshView({ slos: [spec.slos[0]!], target: spec.target, signal, reader: reader(['']) })).toBeUndefined();
    expect(await watchMeshView({ slos: spec.slos, target: spec.target, signal, reader: undefined })).toBeUndefined();
  });
});

describe('watchOutlierEvents', () => {
  it('lists the events that came after the start, up to ten and a count', () => {
    const events = [{ message: 'old' }];
    const w = watchOutlierEvents(spec.slos, { outlierEvents: () => events })!;
    for (let i = 0; i < 12; i++) events.push({ message: `ejected ${i}` });
    const lines = w.end();
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('ejected 0');
    expect(lines[10]).toBe('2 more outlier events');
  });

  it('is off without an ejections SLO or a mesh that keeps events', () => {
    expect(watchOutlierEvents([spec.slos[0]!], { outlierEvents: () => [] })).toBeUndefined();
    expect(watchOutlierEvents(spec.slos, undefined)).toBeUndefined();
  });
});
