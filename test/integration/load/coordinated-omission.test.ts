import { describe, expect, it } from 'vitest';
import { createBuiltinGenerator } from '../../../src/load/builtin/builtin-generator.js';
import { createSampleRecorder } from '../../../src/load/recorder.js';
import type { Sample } from '../../../src/load/types.js';
import { alternatingVersions, useTestServer } from '../../support/load-test-server.js';

const servers = useTestServer();

describe('builtin generator and coordinated omission', () => {
  it('(b) shows a 1 s stall in the latencies of every request scheduled during it', async () => {
    // From its 100th request on (~1 s into the run) the server holds EVERY request until 1 s
    // after the stall began, then answers normally.
    let stallUntil = 0;
    const server = await servers.start((req, res, i) => {
      const now = performance.now();
      if (i === 100) stallUntil = now + 1000;
      if (now < stallUntil) servers.later(stallUntil - now, () => alternatingVersions(req, res, i));
      else alternatingVersions(req, res, i);
    });
    const samples: Sample[] = [];
    const recorder = createSampleRecorder();
    const summary = await createBuiltinGenerator().run(
      {
        url: server.url,
        method: 'GET',
        headers: {},
        rate: 100,
        durationMs: 3000,
        timeoutMs: 5000,
        maxInFlight: 1000,
        versionHeader: 'x-version',
      },
      (s) => {
        samples.push(s);
        recorder.record(s);
      },
      new AbortController().signal,
    );
    expect(summary).toMatchObject({ scheduled: 300, completed: 300, dropped: 0 });
    // The open model keeps sending 100/s through the stall, and each latency runs from the intended
    // send time: the ~100 requests scheduled during the stall wait 1 s down to ~0 s, so ~50 of them
    // exceed 500 ms. A closed-model tool (a few workers each waiting for its response) would have
    // sent only one request per worker during the stall and recorded a handful of slow samples.
    const slow = samples.filter((s) => s.latencyMs > 500).length;
    expect(slow).toBeGreaterThanOrEqual(40);
    // Nothing can be slower than the stall plus scheduling noise, and most requests are fast.
    expect(slow).toBeLessThan(150);
    const all = recorder.stats(0, Number.MAX_SAFE_INTEGER).find((s) => s.version === 'all')!;
    // p99 is the 297th of 300 latencies: among the first requests of the stall, ~970 ms.
    expect(all.latency.p99!).toBeGreaterThan(800);
    expect(all.latency.p50!).toBeLessThan(500);
    recorder.close();
  });
});
