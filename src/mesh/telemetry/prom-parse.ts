/**
 * A strict reader of the Prometheus text format (the subset this project writes: HELP/TYPE
 * comments and `name{labels} value` samples). Used to check the mesh's own exposition and by
 * anything that wants the local mesh's metrics without a Prometheus server.
 */
import { RuntimeError } from '../../errors.js';

/** One sample line. */
export interface PromSample {
  /** Metric name, e.g. "istio_requests_total" or "..._bucket". */
  name: string;
  /** Labels. */
  labels: Record<string, string>;
  /** Value. */
  value: number;
}

/** Parsed exposition: samples plus the declared TYPE of each family. */
export interface PromText {
  /** Samples in order. */
  samples: PromSample[];
  /** Family name → "counter" | "histogram" | ... */
  types: Map<string, string>;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/y;

/**
 * A line the exposition parser cannot read. The text comes from a running mesh (its metrics
 * endpoint), not from the user's files, so it is a runtime error (exit 3).
 */
function badLine(index: number, what: string): RuntimeError {
  return new RuntimeError(`line ${index + 1}: ${what}`, { hint: 'the mesh served metrics that are not valid Prometheus text exposition' });
}

/** Parses `text`; throws a RuntimeError naming the line when it is not valid exposition. */
export function parsePrometheusText(text: string): PromText {
  const samples: PromSample[] = [];
  const types = new Map<string, string>();
  text.split('\n').forEach((line, i) => {
    if (line === '') return;
    if (line.startsWith('#')) {
      const t = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
      if (t) types.set(t[1]!, t[2]!);
      else if (!/^# HELP \S+ /.test(line)) throw badLine(i, `bad comment: ${line}`);
      return;
    }
    const m = LINE.exec(line);
    if (!m) throw badLine(i, `not a sample: ${line}`);
    const labels: Record<string, string> = {};
    const body = m[2] ?? '';
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < body.length) {
      const l = LABEL.exec(body);
      if (!l) throw badLine(i, `bad labels: ${body}`);
      labels[l[1]!] = l[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
    const value = m[3] === '+Inf' ? Infinity : m[3] === '-Inf' ? -Infinity : Number(m[3]);
    if (Number.isNaN(value) && m[3] !== 'NaN') throw badLine(i, `bad value: ${m[3]}`);
    samples.push({ name: m[1]!, labels, value });
  });
  return { samples, types };
}

/** Sum of the values of samples named `name` whose labels include all of `match`. */
export function sumSamples(samples: readonly PromSample[], name: string, match: Record<string, string> = {}): number {
  let total = 0;
  for (const s of samples) {
    if (s.name !== name) continue;
    if (Object.entries(match).every(([k, v]) => s.labels[k] === v)) total += s.value;
  }
  return total;
}
