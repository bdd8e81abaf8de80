/**
 * Turns a progress snapshot into text: a compact block for terminals, one line for logs.
 * Pure; colour is applied by the caller through a styler.
 */
import { formatMs, formatPercent } from '../../analysis/format.js';
import { versionLabel } from '../../analysis/subject.js';
import type { RunProgress, VersionProgress } from '../../model/progress.js';
import { terminalSafe } from '../../terminal-text.js';

/** A run of text with an optional style. */
export interface Segment {
  /** Visible text (no control characters). */
  text: string;
  /** Style to paint it with. */
  style?: 'bold' | 'dim' | 'red' | 'yellow' | 'green' | 'blue';
}

/** One line of the block: segments drawn one after another. */
export type Line = Segment[];

/**
 * Makes text one line of the view: controls shown by the terminal rule (the stream would do it
 * anyway; done here too so widths are measured on what is drawn), newlines and tabs as spaces.
 */
export function sanitize(text: string): string {
  return terminalSafe(text).replace(/[\n\t]/g, ' ');
}

/** "0:12" for 12 s; "1:05:00" past an hour. */
export function clockTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

function bar(fraction: number, width = 12): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

const rateNumber = (rate: number) => (Number.isFinite(rate) ? rate.toFixed(1) : '0.0');
// With load.stages the target moves, so it is shown beside the achieved rate.
const rateText = (rate: number, target?: number) => `${rateNumber(rate)} req/s${target === undefined ? '' : ` (target ${rateNumber(target)})`}`;
// Distributed load sends nothing from here: a local "0.0 req/s" would read as a load that failed.
const loadText = (s: RunProgress) =>
  s.inCluster ? `load in the cluster: ${s.inCluster.pods} pods, ${rateNumber(s.inCluster.rate)} req/s in all (judged on Prometheus)` : rateText(s.rate, s.targetRate);
const errText = (v: VersionProgress) => (v.errorRate === null ? '—' : formatPercent(v.errorRate));
const p99Text = (v: VersionProgress) => (v.p99 === null ? '—' : formatMs(v.p99));

/** The block drawn on a terminal: a header line and one line per version. */
export function renderBlock(s: RunProgress): Line[] {
  const header: Line = [
    { text: `step ${s.stepIndex + 1}/${s.stepCount}`, style: 'bold' },
    { text: `  ${sanitize(s.label)}  ` },
    { text: bar(s.stepDurationMs > 0 ? s.elapsedMs / s.stepDurationMs : 0), style: 'blue' },
    { text: `  ${clockTime(s.elapsedMs)} / ${clockTime(s.stepDurationMs)}  ${loadText(s)}` },
  ];
  const name = (v: VersionProgress) => sanitize(versionLabel(v.version));
  const width = Math.max(7, ...s.perVersion.map((v) => name(v).length));
  const rows = s.perVersion.map((v): Line => {
    const dim = v.version === 'all' ? 'dim' : undefined;
    const errStyle = v.errorRate !== null && v.errorRate > 0 ? 'yellow' : dim;
    return [
      { text: `  ${name(v).padEnd(width)}  ${v.count.toLocaleString('en-US').padStart(9)} req  `, style: dim },
      { text: `err ${errText(v).padStart(7)}`, style: errStyle },
      { text: `  p99 ${p99Text(v).padStart(7)}`, style: dim },
    ];
  });
  return [header, ...rows];
}

/** The single line printed to logs: everything in the block, comma-separated. */
export function renderPlainLine(s: RunProgress): string {
  const head = `[step ${s.stepIndex + 1}/${s.stepCount} ${sanitize(s.label)}] ${clockTime(s.elapsedMs)}/${clockTime(s.stepDurationMs)}, ${loadText(s)}`;
  const versions = s.perVersion.map((v) => `${sanitize(versionLabel(v.version))}: ${v.count} req, ${errText(v)} err, p99 ${p99Text(v)}`);
  return [head, ...versions].join('; ');
}

/** Cuts a line to `width` visible characters (keeping styles), so it never wraps and breaks redraws. */
export function fitLine(line: Line, width: number | undefined): Line {
  if (width === undefined || width <= 0) return line;
  let room = width;
  const out: Line = [];
  for (const seg of line) {
    if (room <= 0) break;
    const chars = [...seg.text];
    out.push({ ...seg, text: chars.slice(0, room).join('') });
    room -= Math.min(room, chars.length);
  }
  return out;
}
