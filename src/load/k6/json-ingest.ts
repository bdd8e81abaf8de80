/**
 * Folds k6's `--out json` stream (a file, or a child's stdout) into samples for the recorder,
 * chunk by chunk: memory is one chunk plus one partial line, whatever the number of lines.
 * Lines are read from the bytes by `point-scan.ts` and only what it does not vouch for goes
 * through JSON.parse (`point-json.ts`); malformed lines are counted, never fatal. Per chunk, the
 * scanner gets one DataView of it, to compare a line's fixed anchors four bytes at a time; a chunk
 * is searched natively for newlines only (the scanner finds escapes as it reads).
 */
import type { Sample, SampleSink } from '../types.js';
import { DROPPED_METRIC, LATENCY_METRIC, describeK6ErrorCode } from './k6-names.js';
import { LineKind, type K6PointFields } from './point-fields.js';
import { parsePointJson } from './point-json.js';
import { scanPointLine } from './point-scan.js';

/** Options of {@link ingestK6Json}. */
export interface K6IngestOptions {
  /** Receives one sample per request (and per dropped iteration); the object is reused: fold it. */
  onSample: SampleSink;
  /** The Trend holding each request's latency, tagged version and status. @default "mesh_exp_latency" */
  latencyMetric?: string;
  /** A longer line is counted malformed and skipped, so one endless line cannot take the memory. @default 1048576 */
  maxLineBytes?: number;
  /** Read lines from the bytes where possible; false: JSON.parse every line (the reference). @default true */
  fastPath?: boolean;
}

/** What one ingest read. */
export interface K6IngestStats {
  /** Bytes read. */
  bytes: number;
  /** Non-empty lines. */
  lines: number;
  /** Point lines, of any metric. */
  points: number;
  /** Metric declaration lines (skipped). */
  declarations: number;
  /** Samples passed to `onSample`: latency points plus dropped iterations. */
  samples: number;
  /** Iterations k6 dropped (no free VU), recorded as samples with error "dropped". */
  dropped: number;
  /** Latency points without a usable status tag (recorded with status 0). */
  withoutStatus: number;
  /** Lines that are not k6 JSON (or longer than `maxLineBytes`). */
  malformed: number;
  /** Lines read with JSON.parse because the fast path did not vouch for them. */
  slowPath: number;
}

const NEWLINE = 0x0a;
const MAX_DROPPED_PER_POINT = 1000;

/** Reads the whole stream; resolves with the counts when it ends. */
export async function ingestK6Json(input: AsyncIterable<Buffer | string>, options: K6IngestOptions): Promise<K6IngestStats> {
  const { onSample, maxLineBytes = 1 << 20, fastPath = true } = options;
  const names = [options.latencyMetric ?? LATENCY_METRIC, DROPPED_METRIC];
  const wanted = names.map((n) => Buffer.from(n));
  const stats: K6IngestStats = { bytes: 0, lines: 0, points: 0, declarations: 0, samples: 0, dropped: 0, withoutStatus: 0, malformed: 0, slowPath: 0 };
  const fields: K6PointFields = { metric: -1, time: 0, value: 0, version: undefined, status: undefined, errorCode: undefined, request: undefined };
  const sample: Sample = { time: 0, latencyMs: 0, status: 0, version: undefined, error: undefined, request: undefined };

  function emit(): void {
    if (fields.metric === 0) {
      const usable = fields.status !== undefined && fields.status >= 0;
      if (!usable) stats.withoutStatus++;
      const status = usable ? fields.status! : 0;
      // k6 stamps a sample when it is added, after the response: the request began `value` earlier.
      sample.time = fields.time - fields.value;
      sample.latencyMs = fields.value;
      sample.status = status;
      sample.version = fields.version;
      // A scripted load's script tags each request with its name: figures per request follow.
      sample.request = fields.request;
      // k6 also gives HTTP errors a code (1503 for a 503); only a missing response is an error here.
      sample.error = status === 0 && fields.errorCode !== undefined ? describeK6ErrorCode(fields.errorCode) : undefined;
      stats.samples++;
      onSample(sample);
      return;
    }
    // k6 writes one point of value 1 per dropped iteration; a larger value is not k6's, so capped.
    const n = fields.value > 0 ? Math.min(MAX_DROPPED_PER_POINT, Math.round(fields.value)) : 0;
    Object.assign(sample, { time: fields.time, latencyMs: 0, status: 0, version: undefined, error: 'dropped', request: undefined });
    for (let i = 0; i < n; i++) onSample(sample);
    stats.dropped += n;
    stats.samples += n;
  }

  function line(buf: Buffer, start: number, end: number, view?: DataView): void {
    if (end > start && buf[end - 1] === 0x0d) end--;
    if (end === start) return;
    stats.lines++;
    let kind = fastPath ? scanPointLine(buf, start, end, wanted, fields, view) : LineKind.FALLBACK;
    if (kind === LineKind.FALLBACK) {
      stats.slowPath++;
      kind = parsePointJson(buf.toString('utf8', start, end), names, fields);
    }
    if (kind === LineKind.WANTED || kind === LineKind.OTHER) stats.points++;
    if (kind === LineKind.WANTED) emit();
    else if (kind === LineKind.DECLARATION) stats.declarations++;
    else if (kind === LineKind.MALFORMED) stats.malformed++;
  }

  let carry: Buffer[] = [];
  let carried = 0;
  let skipping = false;

  // One chunk: its lines, and the start of a line it leaves open.
  function feed(buf: Buffer): void {
    let start = 0;
    let nl = buf.indexOf(NEWLINE);
    if (carried > 0 || skipping) {
      // The line began in an earlier chunk: join its parts (or finish skipping an oversize one).
      if (nl < 0) {
        if (!skipping) carry.push(Buffer.from(buf));
        carried += buf.length;
        if (!skipping && carried > maxLineBytes) [carry, skipping, stats.malformed] = [[], true, stats.malformed + 1];
        return;
      }
      if (!skipping) {
        const joined = Buffer.concat([...carry, buf.subarray(0, nl)]);
        line(joined, 0, joined.length);
      }
      [carry, carried, skipping, start] = [[], 0, false, nl + 1];
      nl = buf.indexOf(NEWLINE, start);
    }
    const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    while (nl >= 0) {
      line(buf, start, nl, view);
      start = nl + 1;
      nl = buf.indexOf(NEWLINE, start);
    }
    if (start < buf.length) {
      carried = buf.length - start;
      if (carried > maxLineBytes) [skipping, stats.malformed] = [true, stats.malformed + 1];
      else carry.push(Buffer.from(buf.subarray(start)));
    }
  }

  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    stats.bytes += buf.length;
    feed(buf);
  }
  if (carried > 0 && !skipping) {
    const last = Buffer.concat(carry);
    line(last, 0, last.length);
  }
  return stats;
}
