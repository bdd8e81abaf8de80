import { beforeEach, describe, expect, it, vi } from 'vitest';

// The warm-up runs once per process: each test gets a fresh copy of the module.
let warmUp: typeof import('./jit-warm-up.js').warmUpRequestPath;
beforeEach(async () => {
  vi.resetModules();
  ({ warmUpRequestPath: warmUp } = await import('./jit-warm-up.js'));
});

describe('JIT warm-up of the built-in generator', () => {
  it('does nothing below the rate where the cold path matters', async () => {
    expect(await warmUp({ peakRate: 999, signal: new AbortController().signal })).toBe(0);
  });

  it('sends its requests to a loopback server of its own, all answered, once per process', async () => {
    const signal = new AbortController().signal;
    const first = warmUp({ peakRate: 5000, signal, requests: 100 });
    expect(await first).toBe(100);
    // A second run (and a lower rate) waits for the same warm-up instead of running another.
    expect(warmUp({ peakRate: 9000, signal, requests: 100 })).toBe(first);
    expect(await warmUp({ peakRate: 10, signal })).toBe(100);
  });

  it('stops early when the run is aborted', async () => {
    const controller = new AbortController();
    const running = warmUp({ peakRate: 5000, signal: controller.signal, requests: 100_000 });
    setTimeout(() => controller.abort(), 50);
    expect(await running).toBeLessThan(100_000);
  });
});
