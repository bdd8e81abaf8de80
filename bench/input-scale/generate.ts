/**
 * Wide experiment files for the linear-time bench: the shipped canary experiment with N unknown
 * top-level keys, N repeats of one key, or N broken entries in its SLO list. Each shape makes
 * `validate` find about N problems, the work whose cost must grow linearly.
 */

/** The shapes of wide input the bench measures. */
export const SHAPES = ['unknown-keys', 'duplicate-keys', 'list-problems'] as const;

/** One shape. */
export type Shape = (typeof SHAPES)[number];

/** What each shape adds to the base file, for the report. */
export const SHAPE_TEXT: Record<Shape, string> = {
  'unknown-keys': 'N unknown top-level keys (`k0: 0` … `kN: N`)',
  'duplicate-keys': 'N repeats of one top-level key (`dup: 0` … `dup: N`)',
  'list-problems': 'N SLO entries, each with a bad `max` (`- {kind: error-rate, max: bad}`)',
};

/**
 * The base experiment with `n` items of `shape` added. `base` must be a valid experiment whose
 * `slos:` list is the last thing under `spec:` or followed by another `  key:` line.
 */
export function wideExperiment(base: string, shape: Shape, n: number): string {
  const lines = Array.from({ length: n }, (_, i) => i);
  switch (shape) {
    case 'unknown-keys':
      return `${base.trimEnd()}\n${lines.map((i) => `k${i}: ${i}`).join('\n')}\n`;
    case 'duplicate-keys':
      return `${base.trimEnd()}\n${lines.map((i) => `dup: ${i}`).join('\n')}\n`;
    case 'list-problems': {
      const at = base.indexOf('\n  slos:\n');
      if (at < 0) throw new Error('the base experiment has no "  slos:" list');
      const entries = lines.map(() => '    - {kind: error-rate, max: bad}').join('\n');
      return `${base.slice(0, at)}\n  slos:\n${entries}\n${base.slice(at + '\n  slos:\n'.length).replace(/^(?: {4}.*\n)*/, '')}`;
    }
  }
}
