/** The linear-time bench's figures: medians, ratios to the floor, growth exponents, the BENCHMARKS.md section. */
import type { MachineInfo } from '../proxy/machine-info.js';
import { median } from '../report/measure.js';
import { SHAPE_TEXT, type Shape } from './generate.js';
import type { Sample } from './measure.js';

/** validate's read limit (src/input/load-yaml.ts DEFAULT_MAX_BYTES): a larger file is refused unparsed. */
export const READ_LIMIT_BYTES = 1024 * 1024;

/** The section's heading (the line `publishSection` replaces up to the next `## `). */
export const INPUT_SCALE_HEADING = '## Input scale (validate on wide files)';

/** One shape at one size: every round's sample of mesh-exp and of the floor. */
export interface ScaleRow {
  shape: Shape;
  n: number;
  /** Size of the generated file. */
  bytes: number;
  ours: Sample[];
  floor: Sample[];
}

/** A whole run. */
export interface ScaleBenchResult {
  date: string;
  machine: Pick<MachineInfo, 'nproc' | 'cpuModel' | 'loadavg'> & { node: string };
  rounds: number;
  /** The two commands, as the table names them (`<file>` stands for the generated file). */
  shown: { ours: string; floor: string };
  /** The base experiment as shipped (N = 0): start-up and the fixed work, subtracted for the marginal exponent. */
  baseline: { ours: Sample[]; floor: Sample[] };
  rows: ScaleRow[];
}

/**
 * Slope of ln(y) against ln(n) by least squares: the exponent k of y ∝ nᵏ (1 = linear, 2 =
 * quadratic). Points with y ≤ 0 are left out; NaN with fewer than two points left.
 */
export function growthExponent(points: readonly (readonly [number, number])[]): number {
  const logs = points.filter(([n, y]) => n > 0 && y > 0).map(([n, y]) => [Math.log(n), Math.log(y)] as const);
  if (logs.length < 2) return NaN;
  const mx = logs.reduce((s, [x]) => s + x, 0) / logs.length;
  const my = logs.reduce((s, [, y]) => s + y, 0) / logs.length;
  const sxy = logs.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = logs.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx === 0 ? NaN : sxy / sxx;
}

const wall = (s: readonly Sample[]) => median(s.map((x) => x.wallMs));
const rssMb = (s: readonly Sample[]) => Math.max(...s.map((x) => x.maxRssKiB)) / 1024;

/** The exponents of one shape for one command: of the wall time, and of the time above the N = 0 baseline. */
export function exponents(rows: readonly ScaleRow[], side: 'ours' | 'floor', baselineMs: number): { raw: number; marginal: number } {
  return {
    raw: growthExponent(rows.map((r) => [r.n, wall(r[side])])),
    marginal: growthExponent(rows.map((r) => [r.n, wall(r[side]) - baselineMs])),
  };
}

const f2 = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(2));

/** The markdown section, starting with its heading; `busy` marks figures taken while other work ran. */
export function renderScaleSection(r: ScaleBenchResult, command: string, busy: boolean): string {
  const base = { ours: wall(r.baseline.ours), floor: wall(r.baseline.floor) };
  const shapes = [...new Set(r.rows.map((x) => x.shape))];
  const tables = shapes.flatMap((shape) => {
    const rows = r.rows.filter((x) => x.shape === shape);
    // A file over the read limit is refused before it is parsed: its time says nothing of the growth.
    const parsed = rows.filter((x) => x.bytes <= READ_LIMIT_BYTES);
    const ours = exponents(parsed, 'ours', base.ours);
    const floor = exponents(parsed, 'floor', base.floor);
    return [
      `### ${SHAPE_TEXT[shape]}`,
      '',
      '| N | file | mesh-exp validate | floor (yaml parse) | ratio | mesh-exp peak RSS | floor peak RSS |',
      '|---:|---:|---:|---:|---:|---:|---:|',
      ...rows.map((x) => {
        const over = x.bytes > READ_LIMIT_BYTES ? ' (over the 1 MiB read limit: refused unparsed)' : '';
        return `| ${x.n.toLocaleString('en-US')} | ${(x.bytes / 1024).toFixed(0)} KiB${over} | ${wall(x.ours).toFixed(0)} ms | ${wall(x.floor).toFixed(0)} ms | ${(wall(x.ours) / wall(x.floor)).toFixed(2)}× | ${rssMb(x.ours).toFixed(0)} MB | ${rssMb(x.floor).toFixed(0)} MB |`;
      }),
      '',
      `Growth exponent over the files under the read limit (slope of ln t against ln N; 1 = linear, 2 = quadratic): mesh-exp ${f2(ours.raw)} on the wall time, **${f2(ours.marginal)}** on the time above the N = 0 file; floor ${f2(floor.raw)} and ${f2(floor.marginal)}.`,
      '',
    ];
  });
  const m = r.machine;
  return [
    INPUT_SCALE_HEADING,
    '',
    ...(busy ? ['**Measured on a busy machine** (other test suites ran beside it): the figures show the shape of the growth, not its speed; to be measured again on a quiet machine.', ''] : []),
    `Whole-process wall time (median of ${r.rounds} rounds) and peak RSS (GNU time, the largest of the rounds) of \`${r.shown.ours}\` on generated files, against a floor measured in the same rounds: \`${r.shown.floor}\`, i.e. parsing the same file with the yaml library alone (its quadratic uniqueKeys check off, as mesh-exp has it off: duplicate keys are found by mesh-exp's own linear pass). Each file is \`experiments/canary.yaml\` with the addition named in the heading; validate lists the first 50 problems and counts the rest. The N = 0 file (the base as shipped) takes ${base.ours.toFixed(0)} ms with mesh-exp and ${base.floor.toFixed(0)} ms for the floor (${r.date}).`,
    '',
    `- ${m.nproc} CPUs (nproc), ${m.cpuModel}; load average ${m.loadavg.map((v) => v.toFixed(2)).join(' / ')} before the run; node ${m.node}`,
    '',
    ...tables,
    `Reproduce: \`${command}\``,
    '',
  ].join('\n');
}
