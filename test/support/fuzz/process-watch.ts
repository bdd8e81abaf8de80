/**
 * Watches the test process while cases run: unhandled rejections, uncaught exceptions and process
 * warnings (a TimeoutOverflowWarning is a duration the timers cannot hold), the heap's peak
 * (sampled every 10 ms and at each case's end), and the handles left open after a case. A case
 * starts with at most {@link GC_ABOVE_BYTES} of heap in use.
 */

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Heap in use above which a case starts with a full garbage collection. heapUsed counts garbage
 * V8 has not collected yet, so without it a case would be charged with its predecessors' litter.
 */
export const GC_ABOVE_BYTES = 192 * 1024 * 1024;

/** V8's `gc()`, reachable without starting Node with --expose-gc (the flag is set, then a new context sees it). */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Handle types whose count must be back to the baseline once a case has ended. */
export const WATCHED_HANDLES = ['TCPServerWrap', 'TCPSocketWrap', 'ProcessWrap', 'PipeWrap', 'Timeout', 'UDPWrap'] as const;

// Node's own notices about experimental or deprecated APIs say nothing about the input.
const IGNORED_WARNINGS = new Set(['ExperimentalWarning', 'DeprecationWarning']);

/** Counts of the watched handle types now. */
export function handleCounts(): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(WATCHED_HANDLES.map((t) => [t, 0]));
  for (const t of process.getActiveResourcesInfo()) if (t in counts) counts[t]! += 1;
  return counts;
}

/** Watched handle types above their count in `baseline`, as "Type +n". */
export function leakedHandles(baseline: Record<string, number>, now: Record<string, number> = handleCounts()): string[] {
  return Object.entries(now).flatMap(([t, n]) => (n > (baseline[t] ?? 0) ? [`${t} +${n - (baseline[t] ?? 0)}`] : []));
}

/** Polls until no watched handle is above `baseline`, or `ms` passed; returns what is still open. */
export async function settleHandles(baseline: Record<string, number>, ms: number): Promise<string[]> {
  const until = performance.now() + ms;
  let leaked = leakedHandles(baseline);
  while (leaked.length > 0 && performance.now() < until) {
    await new Promise((r) => setTimeout(r, 20));
    leaked = leakedHandles(baseline);
  }
  return leaked;
}

/** The process-level watch; one per suite, {@link ProcessWatch.beginCase} before each case. */
export class ProcessWatch {
  /** What happened since the case began (rejections, exceptions, warnings), one line each. */
  events: string[] = [];
  /** The highest heapUsed seen since the case began, in bytes. */
  peakHeap = 0;
  /** The highest heapUsed seen since the watch started, in bytes. */
  suitePeakHeap = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly gc = exposeGc();
  private readonly onRejection = (reason: unknown) => this.events.push(`unhandledRejection: ${describe(reason)}`);
  private readonly onException = (err: unknown) => this.events.push(`uncaughtException: ${describe(err)}`);
  private readonly onWarning = (w: Error) => {
    if (!IGNORED_WARNINGS.has(w.name)) this.events.push(`process warning ${w.name}: ${w.message}`);
  };

  /** Installs the listeners and the heap sampler. */
  start(): void {
    process.on('unhandledRejection', this.onRejection);
    process.on('uncaughtException', this.onException);
    process.on('warning', this.onWarning);
    this.timer = setInterval(() => this.sample(), 10);
    this.timer.unref();
  }

  /** Removes what {@link start} installed. */
  stop(): void {
    process.off('unhandledRejection', this.onRejection);
    process.off('uncaughtException', this.onException);
    process.off('warning', this.onWarning);
    clearInterval(this.timer);
  }

  /** Clears the case's events and peak; collects garbage first when the heap is above {@link GC_ABOVE_BYTES}. */
  beginCase(): void {
    this.events = [];
    this.peakHeap = 0;
    if (process.memoryUsage().heapUsed > GC_ABOVE_BYTES) this.gc();
    this.sample();
  }

  /** Takes one heap sample. */
  sample(): void {
    const used = process.memoryUsage().heapUsed;
    if (used > this.peakHeap) this.peakHeap = used;
    if (used > this.suitePeakHeap) this.suitePeakHeap = used;
  }
}

function describe(x: unknown): string {
  return x instanceof Error ? `${x.name}: ${x.message}\n${x.stack ?? ''}` : String(x);
}
