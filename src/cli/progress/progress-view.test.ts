import { describe, expect, it } from 'vitest';
import { createCaptureStream, createContext, type Clock } from '../../context.js';
import { createProgressView } from './index.js';
import { renderPlainLine } from './render.js';
import type { RunProgress } from '../../model/progress.js';

const ESC = '\u001b';
const SGR = /\u001b\[\d+m/; // colour codes
const CURSOR_UP = /\u001b\[\d+A/;

/** A clock the test moves by hand, so rate limits are exact and never flaky. */
function manualClock(): Clock & { advance(ms: number): void } {
  let t = 1_000;
  return { now: () => 1_747_215_000_000 + t, monotonic: () => t, advance: (ms) => void (t += ms) };
}

function snapshot(overrides: Partial<RunProgress> = {}): RunProgress {
  return {
    stepIndex: 1,
    stepCount: 4,
    label: 'canary 25%',
    elapsedMs: 12_000,
    stepDurationMs: 20_000,
    rate: 98.74,
    perVersion: [
      { version: 'v1', count: 1481, errorRate: 0.0014, p99: 19.4 },
      { version: 'v3', count: 512, errorRate: 0.041, p99: 412.3 },
      { version: 'all', count: 1993, errorRate: null, p99: null },
    ],
    ...overrides,
  };
}

function setup(opts: { tty: boolean; env?: Record<string, string>; color?: boolean; columns?: number }) {
  const stderr = createCaptureStream(opts.tty);
  if (opts.columns) stderr.columns = opts.columns;
  const clock = manualClock();
  const controller = new AbortController();
  const ctx = createContext({ stderr, clock, env: opts.env ?? {}, color: opts.color ?? true, signal: controller.signal });
  return { stderr, clock, view: createProgressView(ctx), abort: () => controller.abort() };
}

describe('progress view, not a TTY (CI logs)', () => {
  it('prints plain lines without any escape code, rate-limited to one per 5 s within a step', () => {
    const { stderr, clock, view } = setup({ tty: false });
    view.update(snapshot({ elapsedMs: 1000 }));
    clock.advance(1000);
    view.update(snapshot({ elapsedMs: 2000 })); // held back: 1 s after the last line
    clock.advance(4000);
    view.update(snapshot({ elapsedMs: 6000 })); // 5 s after the first line: printed
    const lines = stderr.text().trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('0:01/0:20');
    expect(lines[1]).toContain('0:06/0:20');
    expect(stderr.text()).not.toContain(ESC);
  });

  it('prints a new step at once, every event, and the held-back snapshot on done', () => {
    const { stderr, clock, view } = setup({ tty: false });
    view.update(snapshot({ stepIndex: 0, label: 'canary 5%' }));
    clock.advance(100);
    view.event('Traffic: v1 75% / v3 25%');
    view.update(snapshot({ stepIndex: 1, elapsedMs: 0 }));
    clock.advance(100);
    view.update(snapshot({ stepIndex: 1, elapsedMs: 100 }));
    view.done();
    view.update(snapshot({ stepIndex: 2 })); // ignored after done
    const lines = stderr.text().trimEnd().split('\n');
    expect(lines).toEqual([
      renderPlainLine(snapshot({ stepIndex: 0, label: 'canary 5%' })),
      'Traffic: v1 75% / v3 25%',
      renderPlainLine(snapshot({ stepIndex: 1, elapsedMs: 0 })),
      renderPlainLine(snapshot({ stepIndex: 1, elapsedMs: 100 })),
    ]);
  });

  it("prints a held-back snapshot before the next event, so a step's last figures precede its verdict", () => {
    const { stderr, clock, view } = setup({ tty: false });
    view.update(snapshot({ stepIndex: 0, elapsedMs: 0 }));
    clock.advance(2000);
    view.update(snapshot({ stepIndex: 0, elapsedMs: 2000 })); // held back: inside the 5 s interval
    view.event('step 1/4: 2/2 checks passed → promote');
    view.event('promoted: canary at 100%');
    view.done();
    expect(stderr.text().trimEnd().split('\n')).toEqual([
      renderPlainLine(snapshot({ stepIndex: 0, elapsedMs: 0 })),
      renderPlainLine(snapshot({ stepIndex: 0, elapsedMs: 2000 })),
      'step 1/4: 2/2 checks passed → promote',
      'promoted: canary at 100%',
    ]);
  });

  it('writes one readable line per snapshot', () => {
    expect(renderPlainLine(snapshot())).toBe(
      '[step 2/4 canary 25%] 0:12/0:20, 98.7 req/s; v1: 1481 req, 0.14% err, p99 19.4ms; v3: 512 req, 4.10% err, p99 412ms; all: 1993 req, — err, p99 —',
    );
  });

  it('shows the current target rate of a ramp (load.stages) beside the achieved rate', () => {
    expect(renderPlainLine(snapshot({ targetRate: 120, perVersion: [] }))).toBe('[step 2/4 canary 25%] 0:12/0:20, 98.7 req/s (target 120.0)');
  });

  it('says the load runs in the cluster instead of showing a local rate of 0 (load.distributed)', () => {
    expect(renderPlainLine(snapshot({ rate: 0, inCluster: { pods: 3, rate: 30 }, perVersion: [] }))).toBe(
      '[step 2/4 canary 25%] 0:12/0:20, load in the cluster: 3 pods, 30.0 req/s in all (judged on Prometheus)',
    );
  });

  it('names the mesh\'s fault aborts for what they are, and keeps "unknown" distinct', () => {
    const line = renderPlainLine(snapshot({ perVersion: [
      { version: 'v1', count: 443, errorRate: 0, p99: 23.1 },
      { version: 'mesh:fault-abort', count: 57, errorRate: 1, p99: 14.9 },
      { version: 'unknown', count: 1, errorRate: 1, p99: 2000 },
    ] }));
    expect(line).toContain('; answered by the mesh (fault abort): 57 req, 100.00% err, p99 14.9ms; unknown: 1 req,');
  });

  it('strips control characters from events and labels', () => {
    const { stderr, view } = setup({ tty: false });
    view.event(`evil ${ESC}[2J${ESC}[31mred\nsecond line`);
    view.update(snapshot({ label: `x${ESC}[1A` }));
    expect(stderr.text()).not.toContain(ESC);
    expect(stderr.text().split('\n')).toHaveLength(3);
  });

  it('drops a held-back line when the run is interrupted, and prints nothing of its own after', () => {
    const { stderr, clock, view, abort } = setup({ tty: false });
    view.update(snapshot({ elapsedMs: 1000 }));
    clock.advance(1000);
    view.update(snapshot({ elapsedMs: 2000 })); // held back
    abort();
    clock.advance(10_000);
    view.update(snapshot({ elapsedMs: 12_000 })); // the load window's last tick, after the abort
    view.event('restored the original VirtualService (interrupted)');
    view.done();
    expect(stderr.text().trimEnd().split('\n')).toEqual([renderPlainLine(snapshot({ elapsedMs: 1000 })), 'restored the original VirtualService (interrupted)']);
  });

  it('treats TERM=dumb like a pipe', () => {
    const { stderr, view } = setup({ tty: true, env: { TERM: 'dumb' } });
    view.update(snapshot());
    expect(stderr.text()).not.toContain(ESC);
  });
});

describe('progress view on a TTY', () => {
  it('draws a coloured block, then redraws it in place at most every 250 ms', () => {
    const { stderr, clock, view } = setup({ tty: true });
    view.update(snapshot({ elapsedMs: 1000 }));
    const first = stderr.text();
    expect(first).toMatch(SGR);
    expect(first).not.toMatch(CURSOR_UP);
    expect(first.split('\n')).toHaveLength(5); // header + 3 versions + trailing newline

    clock.advance(100);
    view.update(snapshot({ elapsedMs: 1100 }));
    expect(stderr.text()).toBe(first); // too soon: held back

    clock.advance(150);
    view.update(snapshot({ elapsedMs: 1250 }));
    const redraw = stderr.text().slice(first.length);
    expect(redraw.startsWith(`\r${ESC}[4A${ESC}[J`)).toBe(true); // up over the 4 drawn lines, clear
    expect(redraw).toContain(`${ESC}[2K`);
    expect(redraw.split('\n')).toHaveLength(5);
  });

  it('prints events above the block and redraws the block under them', () => {
    const { stderr, view } = setup({ tty: true, color: false });
    view.update(snapshot());
    const before = stderr.text().length;
    view.event('Traffic: v1 75% / v3 25%');
    const after = stderr.text().slice(before);
    const eventAt = after.indexOf('Traffic: v1 75% / v3 25%\n');
    expect(after.startsWith(`\r${ESC}[4A${ESC}[J`)).toBe(true);
    expect(eventAt).toBeGreaterThan(0);
    expect(after.indexOf('step 2/4')).toBeGreaterThan(eventAt);
  });

  it('draws a held-back snapshot on done and nothing after', () => {
    const { stderr, clock, view } = setup({ tty: true });
    view.update(snapshot({ elapsedMs: 1000 }));
    clock.advance(10);
    view.update(snapshot({ elapsedMs: 19_990 }));
    view.done();
    expect(stderr.text()).toContain('0:19 / 0:20');
    const length = stderr.text().length;
    view.update(snapshot({ stepIndex: 3 }));
    view.done();
    expect(stderr.text().length).toBe(length);
  });

  it('takes its block away as soon as the run is interrupted and never draws it again', () => {
    const { stderr, clock, view, abort } = setup({ tty: true, color: false });
    view.update(snapshot());
    const drawn = stderr.text().length;
    abort();
    expect(stderr.text().slice(drawn)).toBe(`\r${ESC}[4A${ESC}[J`); // up over the block, cleared
    clock.advance(1000);
    view.update(snapshot({ elapsedMs: 13_000 }));
    view.event('restored the original VirtualService (interrupted)');
    view.done();
    expect(stderr.text().slice(drawn)).toBe(`\r${ESC}[4A${ESC}[Jrestored the original VirtualService (interrupted)\n`);
  });

  it('draws a hostile label as visible escapes: only its own colour and cursor codes reach the terminal', () => {
    const { stderr, view } = setup({ tty: true });
    view.update(snapshot({ label: `x${ESC}[2J${ESC}]0;pwned\u0007\u202e` }));
    view.event(`evil${ESC}[1A`);
    const ours = /\u001b\[(?:\d+[mAK]|J)|\r/g; // colours, cursor up, clear; \r starts a redraw
    expect(stderr.text().replace(ours, '')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(stderr.text()).toContain('x\\u001b[2J\\u001b]0;pwned\\u0007\\u202e');
  });

  it('uses no colour codes when NO_COLOR is set (cursor movement only)', () => {
    const { stderr, clock, view } = setup({ tty: true, env: { NO_COLOR: '1' }, color: true });
    view.update(snapshot());
    clock.advance(300);
    view.update(snapshot({ elapsedMs: 12_300 }));
    expect(stderr.text()).not.toMatch(SGR);
    expect(stderr.text()).toMatch(CURSOR_UP);
  });

  it('cuts lines to the terminal width so the block never wraps', () => {
    const { stderr, view } = setup({ tty: true, color: false, columns: 30 });
    view.update(snapshot({ label: 'a very long label that would wrap the terminal line' }));
    const visible = stderr.text().replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '');
    for (const line of visible.split('\n')) expect([...line].length).toBeLessThanOrEqual(29);
  });
});
