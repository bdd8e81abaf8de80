import { describe, expect, it } from 'vitest';
import type { LoadGenerator } from '../load/types.js';
import { runLoadWindow } from './load-window.js';

const timers = () => process.getActiveResourcesInfo().filter((t) => t === 'Timeout').length;
const plan = { url: 'http://127.0.0.1:9/', method: 'GET', headers: {}, rate: 1, durationMs: 60_000, timeoutMs: 1_000, maxInFlight: 1, versionHeader: 'x-version' } as const;

describe('runLoadWindow', () => {
  // Found by the fuzz suite: a load plan refused at step start (timeout 0) ended the run, but the
  // step-long wait beside it stayed armed, so the process lived on for the rest of the step.
  it('rejects at once when the generator fails, leaving no step-long timer behind', async () => {
    const before = timers();
    const failing: LoadGenerator = { name: 'failing', run: () => Promise.reject(new Error('load plan: timeout must be > 0 ms')) } as unknown as LoadGenerator;
    const t0 = performance.now();
    await expect(runLoadWindow({ generator: failing, plan, durationMs: 60_000, signal: new AbortController().signal, onSample: () => {}, onTick: () => {} })).rejects.toThrow(/timeout must be > 0/);
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(timers()).toBe(before);
  });

  it('lasts the window when there is no generator, and ends at once on abort', async () => {
    const controller = new AbortController();
    const ticks: number[] = [];
    const window = runLoadWindow({ generator: undefined, plan, durationMs: 60_000, signal: controller.signal, onSample: () => {}, onTick: () => ticks.push(1), tickMs: 10 });
    setTimeout(() => controller.abort(), 50);
    await window;
    expect(ticks.length).toBeGreaterThan(1);
  });
});
