import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { createBuiltinGenerator } from '../../../src/load/builtin/builtin-generator.js';
import { createSampleRecorder } from '../../../src/load/recorder.js';
import type { Sample } from '../../../src/load/types.js';
import { alternatingVersions, freePort, testLoadPlan, useTestServer } from '../../support/load-test-server.js';

const never = new AbortController().signal;
const servers = useTestServer();
const { holdFor } = servers;

describe('builtin generator against a local server', () => {
  it('(a) sends rate × duration requests on schedule and reads the version header', async () => {
    const arrivals: number[] = [];
    const server = await servers.start((req, res, i) => {
      arrivals.push(performance.now());
      alternatingVersions(req, res, i);
    });
    const samples: Sample[] = [];
    const recorder = createSampleRecorder();
    const summary = await createBuiltinGenerator().run(
      testLoadPlan(`${server.url}/productpage?u=1`, { rate: 200, durationMs: 2000 }),
      (s) => {
        samples.push(s);
        recorder.record(s);
      },
      never,
    );
    // 200/s × 2 s: the schedule holds exactly 400 arrivals; ±2% as the acceptance bound.
    expect(Math.abs(summary.scheduled - 400)).toBeLessThanOrEqual(8);
    expect(summary).toMatchObject({ completed: summary.scheduled, failed: 0, dropped: 0, aborted: 0 });
    expect(samples).toHaveLength(summary.scheduled);
    expect(summary.elapsedMs).toBeGreaterThanOrEqual(1990);
    // Open model: the sends spread over the 2 s (the last is due at 1.995 s), not sent in a burst.
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(1900);
    // Sample.time is the intended send time: exactly 5 ms apart.
    const times = samples.map((s) => s.time).sort((a, b) => a - b);
    times.forEach((t, i) => expect(t - times[0]!).toBeCloseTo(i * 5, 6));
    // The server alternates v1/v2 by arrival, so each version served exactly half.
    const stats = recorder.stats(times[0]! - 1000, times.at(-1)! + 1000);
    const byVersion = Object.fromEntries(stats.map((s) => [s.version, s.count]));
    expect(byVersion).toEqual({ v1: summary.scheduled / 2, v2: summary.scheduled / 2, all: summary.scheduled });
    expect(samples.every((s) => s.status === 200 && s.error === undefined && s.latencyMs >= 0)).toBe(true);
    recorder.close();
  });

  it('(c) drops and counts sends beyond maxInFlight instead of queueing them', async () => {
    const server = await servers.start(holdFor(2000));
    const samples: Sample[] = [];
    const summary = await createBuiltinGenerator().run(
      testLoadPlan(server.url, { rate: 100, durationMs: 1000, maxInFlight: 10 }),
      (s) => samples.push(s),
      never,
    );
    // The server holds each request 2 s, longer than the 1 s run: the first 10 fill every slot and
    // the other 90 scheduled sends find none free.
    expect(summary).toMatchObject({ scheduled: 100, completed: 10, dropped: 90, failed: 0 });
    const dropped = samples.filter((s) => s.error === 'dropped');
    expect(dropped).toHaveLength(90);
    expect(dropped.every((s) => s.status === 0 && s.version === undefined)).toBe(true);
    expect(server.received()).toBe(10);
  });

  it('(d) fails a request that takes longer than timeoutMs with error "timeout"', async () => {
    const server = await servers.start(holdFor(3000));
    const samples: Sample[] = [];
    const summary = await createBuiltinGenerator().run(
      testLoadPlan(server.url, { rate: 20, durationMs: 500, timeoutMs: 200 }),
      (s) => samples.push(s),
      never,
    );
    expect(summary).toMatchObject({ scheduled: 10, completed: 0, failed: 10, dropped: 0 });
    expect(samples.every((s) => s.error === 'timeout' && s.status === 0)).toBe(true);
    // Latency runs from the intended send to the timeout: at least 200 ms, far below the 3 s hold.
    expect(samples.every((s) => s.latencyMs >= 200 && s.latencyMs < 2000)).toBe(true);
    expect(summary.elapsedMs).toBeLessThan(2500);
  });

  it('(e) reports a refused connection as error "connect"', async () => {
    const port = await freePort();
    const samples: Sample[] = [];
    const summary = await createBuiltinGenerator().run(
      testLoadPlan(`http://127.0.0.1:${port}/`, { rate: 20, durationMs: 500, timeoutMs: 2000 }),
      (s) => samples.push(s),
      never,
    );
    expect(summary).toMatchObject({ scheduled: 10, completed: 0, failed: 10 });
    expect(samples.map((s) => s.error)).toEqual(Array(10).fill('connect'));
    expect(samples.every((s) => s.status === 0 && s.version === undefined)).toBe(true);
  });

  it('(f) stops promptly on abort, cancels in-flight requests and resolves with what was done', async () => {
    const server = await servers.start(holdFor(10_000));
    const samples: Sample[] = [];
    const controller = new AbortController();
    const running = createBuiltinGenerator().run(
      testLoadPlan(server.url, { rate: 50, durationMs: 10_000, timeoutMs: 20_000 }),
      (s) => samples.push(s),
      controller.signal,
    );
    await new Promise((r) => setTimeout(r, 500));
    const abortedAt = performance.now();
    controller.abort();
    const summary = await running;
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(summary.scheduled).toBeGreaterThan(5);
    expect(summary.scheduled).toBeLessThan(500);
    expect(summary.aborted).toBeGreaterThan(0);
    expect(summary.completed + summary.failed + summary.dropped + summary.aborted!).toBe(summary.scheduled);
    const seen = samples.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(samples.length).toBe(seen); // nothing arrives after the run resolved

    // Already aborted: nothing is sent at all.
    const before = server.received();
    const none = await createBuiltinGenerator().run(testLoadPlan(server.url), () => {}, AbortSignal.abort());
    expect(none.scheduled).toBe(0);
    expect(server.received()).toBe(before);
  });

  it('(g) sends plan.hostHeader as Host, with the method, headers and body of the plan', async () => {
    const seen: { host?: string; custom?: string; method?: string; url?: string; body: string }[] = [];
    const server = await servers.start((req, res, i) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        seen.push({ host: req.headers.host, custom: req.headers['x-custom'] as string, method: req.method, url: req.url, body });
        alternatingVersions(req, res, i);
      });
    });
    const summary = await createBuiltinGenerator().run(
      testLoadPlan(`${server.url}/reviews/0`, {
        rate: 20,
        durationMs: 250,
        hostHeader: 'reviews.default.svc.cluster.local',
        method: 'POST',
        headers: { 'X-Custom': 'yes' },
        body: 'hello',
      }),
      () => {},
      never,
    );
    expect(summary.completed).toBe(5);
    expect(seen).toHaveLength(5);
    for (const s of seen) {
      expect(s).toEqual({ host: 'reviews.default.svc.cluster.local', custom: 'yes', method: 'POST', url: '/reviews/0', body: 'hello' });
    }
  });

  it('stamps samples from the injected clock: one wall-clock read, then monotonic offsets', async () => {
    const server = await servers.start(alternatingVersions);
    let wallReads = 0;
    const clock = {
      now: () => {
        wallReads++;
        return 1_000_000_000_000;
      },
      monotonic: () => performance.now(),
    };
    const samples: Sample[] = [];
    await createBuiltinGenerator({ clock }).run(testLoadPlan(server.url, { rate: 40, durationMs: 250 }), (s) => samples.push(s), never);
    expect(wallReads).toBe(1);
    expect(samples.map((s) => s.time).sort((a, b) => a - b)).toEqual([0, 25, 50, 75, 100, 125, 150, 175, 200, 225].map((d) => 1_000_000_000_000 + d));
  });

  it('rejects the run when the sample sink throws (a caller bug is not swallowed)', async () => {
    const server = await servers.start(alternatingVersions);
    const boom = new Error('sink broke');
    await expect(
      createBuiltinGenerator().run(testLoadPlan(server.url, { rate: 20, durationMs: 500 }), () => {
        throw boom;
      }, never),
    ).rejects.toBe(boom);
  });
});
