/**
 * Structure-aware mutations of a parsed document: delete a field (a random one, or one by path),
 * replace a value, set any field of the schema (creating its parents), add a key no schema has. Ops carry small numbers (`pick`,
 * `index`) that are taken modulo what the document has, so every op applies to every document and
 * fast-check can shrink them.
 */
import { ENTRY, ITEM, type FieldStep } from './schema-fields.js';

/** One structure-aware mutation. */
export type DataOp =
  | { op: 'delete'; pick: number }
  | { op: 'replace'; pick: number; value: unknown }
  | { op: 'set'; path: FieldStep[]; index: number; value: unknown }
  | { op: 'unknown-key'; pick: number; key: string; value: unknown }
  /** Removes the property at `path` (object keys only), when it is there. */
  | { op: 'unset'; path: string[] };

type Container = Record<string, unknown> | unknown[];

const isContainer = (v: unknown): v is Container => v !== null && typeof v === 'object';

/** Sets an own property, even `__proto__` (a plain assignment would change the prototype instead). */
export function setOwn(obj: Container, key: string | number, value: unknown): void {
  if (Array.isArray(obj) && typeof key === 'number') obj[key] = value;
  else Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Every (parent, key) in the document, depth first (the root itself is not one). */
function slots(root: unknown): [Container, string | number][] {
  const out: [Container, string | number][] = [];
  const walk = (node: unknown, depth: number) => {
    if (!isContainer(node) || depth > 16) return;
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i).slice(0, 64) : Object.keys(node);
    for (const k of keys) {
      out.push([node, k]);
      walk((node as Record<string | number, unknown>)[k], depth + 1);
    }
  };
  walk(root, 0);
  return out;
}

/** Every object (not array) in the document, the root first. */
function objects(root: unknown): Record<string, unknown>[] {
  const out = isContainer(root) && !Array.isArray(root) ? [root] : [];
  for (const [parent, key] of slots(root)) {
    const v = (parent as Record<string | number, unknown>)[key];
    if (isContainer(v) && !Array.isArray(v)) out.push(v);
  }
  return out;
}

function setPath(root: Record<string, unknown>, path: readonly FieldStep[], index: number, value: unknown): void {
  let node: Container = root;
  path.forEach((step, i) => {
    const last = i === path.length - 1;
    let key: string | number = step;
    if (step === ITEM) {
      if (!Array.isArray(node)) return;
      key = index % (node.length + 1);
    } else if (step === ENTRY) {
      key = `k${index % 3}`;
    } else if (Array.isArray(node)) {
      return;
    }
    if (last) {
      setOwn(node, key, value);
      return;
    }
    const next = path[i + 1] === ITEM ? [] : {};
    const here = (node as Record<string | number, unknown>)[key];
    const child: Container = isContainer(here) && Array.isArray(here) === Array.isArray(next) ? here : next;
    if (child !== here) setOwn(node, key, child);
    node = child;
  });
}

/** Applies `ops` in order to a copy of `data`; the input is left as it was. */
export function applyDataOps(data: unknown, ops: readonly DataOp[]): unknown {
  const root = structuredClone(data) as Record<string, unknown>;
  for (const o of ops) {
    if (o.op === 'set') {
      setPath(root, o.path, o.index, o.value);
    } else if (o.op === 'unset') {
      const parent = o.path.slice(0, -1).reduce<unknown>((n, k) => (isContainer(n) && !Array.isArray(n) ? n[k] : undefined), root);
      if (isContainer(parent) && !Array.isArray(parent)) delete parent[o.path.at(-1)!];
    } else if (o.op === 'unknown-key') {
      const objs = objects(root);
      if (objs.length > 0) setOwn(objs[o.pick % objs.length]!, o.key, o.value);
    } else {
      const all = slots(root);
      if (all.length === 0) continue;
      const [parent, key] = all[o.pick % all.length]!;
      if (o.op === 'replace') setOwn(parent, key, o.value);
      else if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
    }
  }
  return root;
}
