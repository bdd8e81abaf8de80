/**
 * Mutations of a YAML file's text that no data can express: duplicate keys, anchors and aliases
 * (billion laughs, undefined aliases, merge keys), tags, deep nesting, huge flow arrays, many keys,
 * CRLF line ends, tabs, and text spliced in anywhere.
 */

/** One text-level mutation. */
export type TextOp =
  | { op: 'duplicate-key'; pick: number }
  | { op: 'billion-laughs'; levels: number }
  | { op: 'alias'; pick: number; kind: 'undefined' | 'merge' | 'self' }
  | { op: 'tag'; pick: number; tag: string }
  | { op: 'nest'; pick: number; depth: number; style: 'flow-seq' | 'flow-map' | 'block' }
  | { op: 'flow-array'; pick: number; length: number }
  | { op: 'many-keys'; count: number; duplicate: boolean }
  | { op: 'crlf' }
  | { op: 'tab'; pick: number }
  | { op: 'splice'; at: number; text: string };

/** Tags YAML libraries give meaning to, and some they should refuse. */
export const TAGS = ['!!binary', '!!js/function', '!!js/undefined', '!!js/regexp', '!!python/object/apply:os.system', '!!set', '!!omap', '!!pairs', '!!timestamp', '!!float', '!!int', '!!str', '!!null', '!!map', '!!seq', '!<tag:yaml.org,2002:str>', '!custom', '!', '!!merge'];

// `key: value` lines (not list items, not comments): where a value can be replaced.
const KEY_VALUE = /^(\s*)([A-Za-z_][\w.-]*):[ ](?!\s*#)(\S.*)$/;
const KEY_LINE = /^(\s*)([A-Za-z_][\w.-]*):(\s|$)/;

function pickLine(lines: string[], re: RegExp, pick: number): number | undefined {
  const found = lines.flatMap((l, i) => (re.test(l) ? [i] : []));
  return found.length === 0 ? undefined : found[pick % found.length];
}

function replaceValue(lines: string[], pick: number, value: (indent: string) => string): void {
  const i = pickLine(lines, KEY_VALUE, pick);
  if (i === undefined) return;
  const m = KEY_VALUE.exec(lines[i]!)!;
  lines[i] = `${m[1]}${m[2]}: ${value(m[1]!)}`;
}

function nested(depth: number, style: 'flow-seq' | 'flow-map' | 'block', indent: string): string {
  if (style === 'flow-seq') return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
  if (style === 'flow-map') return `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`;
  // Block nesting costs indentation quadratic in the depth: 700 levels are ~0.5 MB, under the 1 MiB
  // read limit (deeper would only test the size check, which flow nesting already reaches).
  const lines = Array.from({ length: Math.min(depth, 700) }, (_, d) => `${indent}${'  '.repeat(d + 1)}a:`);
  return `\n${lines.join('\n')} 1`;
}

function billionLaughs(levels: number): string {
  const out = ['x-lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let l = 1; l < levels; l++) out.push(`x-lol${l}: &l${l} [${Array.from({ length: 9 }, () => `*l${l - 1}`).join(', ')}]`);
  return out.join('\n');
}

/** Applies `ops` in order to `text`. */
export function applyTextOps(text: string, ops: readonly TextOp[]): string {
  let out = text;
  for (const o of ops) {
    const lines = out.split('\n');
    switch (o.op) {
      case 'duplicate-key': {
        const i = pickLine(lines, KEY_LINE, o.pick);
        if (i !== undefined) lines.splice(i + 1, 0, lines[i]!);
        break;
      }
      case 'billion-laughs':
        lines.push(billionLaughs(o.levels));
        break;
      case 'alias':
        if (o.kind === 'undefined') replaceValue(lines, o.pick, () => '*nowhere');
        else if (o.kind === 'self') replaceValue(lines, o.pick, () => '&me [*me]');
        else lines.push('x-base: &base {name: merged, interval: 1ms, extra: [1, 2]}', 'x-merged:', '  <<: *base', '  <<: [*base, *base]');
        break;
      case 'tag':
        replaceValue(lines, o.pick, () => `${o.tag} aGVsbG8=`);
        break;
      case 'nest':
        replaceValue(lines, o.pick, (indent) => nested(o.depth, o.style, indent));
        break;
      case 'flow-array':
        replaceValue(lines, o.pick, () => `[${new Array<string>(o.length).fill('1').join(',')}]`);
        break;
      case 'many-keys':
        for (let k = 0; k < o.count; k++) lines.push(`${o.duplicate ? 'dup' : `k${k}`}: ${k}`);
        break;
      case 'crlf':
        out = out.replace(/\r?\n/g, '\r\n');
        continue;
      case 'tab': {
        const i = pickLine(lines, /^ {2}\S/, o.pick);
        if (i !== undefined) lines[i] = `\t${lines[i]!.slice(2)}`;
        break;
      }
      case 'splice': {
        const at = out.length === 0 ? 0 : o.at % (out.length + 1);
        out = `${out.slice(0, at)}${o.text}${out.slice(at)}`;
        continue;
      }
    }
    out = lines.join('\n');
  }
  return out;
}
