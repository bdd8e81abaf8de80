import { describe, expect, it } from 'vitest';
import { createBuiltinGenerator } from '../../../src/load/builtin/builtin-generator.js';
import { useChildServer } from '../../support/child-server.js';

// The server runs in its own process (its own core), so the test measures the generator.
const server = useChildServer();

describe('builtin generator at 2000 req/s', () => {
  // How fast it can go is a benchmark's question (bench/); this checks that at a high rate nothing
  // is lost or double-counted: every scheduled request ends as exactly one sample or one drop.
  it('accounts for every scheduled request against a fast local server', async () => {
    const target = await server.start();
    let samples = 0;
    const versions = new Map<string, number>();
    const summary = await createBuiltinGenerator().run(
      {
        url: target.url,
        method: 'GET',
        headers: {},
        rate: 2000,
        durationMs: 2000,
        timeoutMs: 5000,
        maxInFlight: 1000,
        versionHeader: 'x-version',
      },
      (sample) => {
        samples++;
        if (sample.version) versions.set(sample.version, (versions.get(sample.version) ?? 0) + 1);
      },
      new AbortController().signal,
    );
    expect(summary.scheduled).toBe(4000);
    expect(samples).toBe(4000);
    expect(summary.completed + summary.failed + summary.dropped + (summary.aborted ?? 0)).toBe(4000);
    // The server alternates versions per response; every completed response carried one.
    expect((versions.get('v1') ?? 0) + (versions.get('v2') ?? 0)).toBe(summary.completed);
    expect(summary.completed).toBeGreaterThan(0);
    // Every request the target answered was scheduled: the generator's JIT warm-up (2000 req/s is
    // above its threshold) talks to a loopback server of its own, never to the target.
    expect((await target.stats()).requests).toBe(summary.completed);
  });
});
