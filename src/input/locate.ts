/**
 * Maps a data path (as zod reports it, e.g. `['spec', 'slos', 1, 'max']`) back to the YAML node
 * it came from, and so to a line and column, and prints paths the way users read them:
 * `spec.slos[1].max`.
 */
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/** One step of a data path: a map key or a list index. */
export type PathSegment = string | number;

/** A 1-based line and column. */
export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  col: number;
}

/** What {@link positionOf} needs from a parsed document. */
export interface Locatable {
  /** The parsed document (with node ranges). */
  doc: Document.Parsed;
  /** Converts offsets to line and column. */
  lineCounter: LineCounter;
  /**
   * Where the checked data sits in the document, when it is a part of it (a game day's inline
   * experiment): paths are looked up below it. @default [] (the whole document)
   */
  base?: readonly PropertyKey[];
}

/**
 * Where a path points:
 * - `value`: the value (for a scalar) or the key that introduces it (for a map or list, whose
 *   own start is the first child, one line below where the reader looks);
 * - `key`: always the key (used for unknown keys).
 * A path that does not exist in the file (a missing required key) points at the deepest
 * existing parent, i.e. at the map the key should be added to.
 */
export type PointAt = 'value' | 'key';

const SIMPLE_KEY = /^[A-Za-z_$][\w$-]*$/;

/** Prints a path as users read it: `spec.slos[1].max`; odd keys are quoted: `headers["x.y"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const key = String(seg);
      out += SIMPLE_KEY.test(key) ? (out ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

const PATH_SEGMENT = /\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;

/**
 * The inverse of {@link formatPath}: `spec.slos[1]["x.y"]` back to `['spec', 'slos', 1, 'x.y']`;
 * undefined for text formatPath cannot have written.
 */
export function parsePath(text: string): PathSegment[] | undefined {
  const out: PathSegment[] = [];
  PATH_SEGMENT.lastIndex = 0;
  while (PATH_SEGMENT.lastIndex < text.length) {
    const at = PATH_SEGMENT.lastIndex;
    const m = PATH_SEGMENT.exec(text);
    if (!m || (m[1] !== undefined && text[at] !== '.' && at > 0)) return undefined;
    out.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3]!) as string)));
  }
  return out;
}

/** The scalar text of a map key (`null` keys and complex keys compare as their string form). */
export function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

function resolve(node: unknown, doc: Document.Parsed): unknown {
  // Follow aliases so `load: *defaults` still resolves paths below it (to the anchor's text).
  let n = node;
  for (let i = 0; i < 16 && isAlias(n); i++) n = n.resolve(doc);
  return n;
}

function startOf(node: unknown): number | undefined {
  return (node as Node | undefined)?.range?.[0];
}

function isEmptyScalar(node: unknown): boolean {
  // `fault:` with nothing after it parses to a null scalar positioned at the end of the line.
  return isScalar(node) && node.value === null && (node.source === '' || node.source === undefined);
}

/** Finds the offset a path points at, see {@link PointAt}. */
export function offsetOf(doc: Document.Parsed, path: readonly PropertyKey[], pointAt: PointAt = 'value'): number {
  let node: unknown = doc.contents;
  let keyNode: unknown;
  let resolved = true;
  for (const seg of path) {
    node = resolve(node, doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(seg));
      if (!pair) {
        resolved = false;
        break;
      }
      keyNode = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
      keyNode = undefined;
      node = node.items[seg];
    } else {
      resolved = false;
      break;
    }
  }
  const keyStart = startOf(keyNode);
  const nodeStart = startOf(node);
  if (!resolved) return keyStart ?? nodeStart ?? 0;
  if (pointAt === 'key' && keyStart !== undefined) return keyStart;
  const target = resolve(node, doc);
  if (keyStart !== undefined && (node === null || isCollection(target) || isEmptyScalar(target))) return keyStart;
  return nodeStart ?? keyStart ?? 0;
}

/** The 1-based line and column a path points at. */
export function positionOf(src: Locatable, path: readonly PropertyKey[], pointAt: PointAt = 'value'): Position {
  const { line, col } = src.lineCounter.linePos(offsetOf(src.doc, src.base ? [...src.base, ...path] : path, pointAt));
  return { line, col };
}

/** The 1-based position of an offset. */
export function positionAt(src: Pick<Locatable, 'lineCounter'>, offset: number): Position {
  const { line, col } = src.lineCounter.linePos(offset);
  return { line, col };
}

/**
 * The data path of the map key starting exactly at `offset` (e.g. the second of two duplicate
 * keys), or undefined when no key starts there. Walks down through the nodes that contain it.
 */
export function keyPathAt(doc: Document.Parsed, offset: number): { path: PathSegment[]; key: string; firstOffset?: number } | undefined {
  const path: PathSegment[] = [];
  let node: unknown = doc.contents;
  for (let depth = 0; depth < 256 && isCollection(node); depth++) {
    const items = node.items as unknown[];
    let next: unknown;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (isPair(item)) {
        if (startOf(item.key) === offset) {
          const key = keyText(item.key);
          const first = items.find((p) => isPair(p) && keyText(p.key) === key);
          return { path: [...path, key], key, firstOffset: isPair(first) ? startOf(first.key) : undefined };
        }
        const range = (item.value as Node | null)?.range;
        if (range && offset >= range[0] && offset < range[2]) {
          path.push(keyText(item.key));
          next = item.value;
          break;
        }
      } else {
        const range = (item as Node | null)?.range;
        if (range && offset >= range[0] && offset < range[2]) {
          path.push(i);
          next = item;
          break;
        }
      }
    }
    if (next === undefined) return undefined;
    node = next;
  }
  return undefined;
}
