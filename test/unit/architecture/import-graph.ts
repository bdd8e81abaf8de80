/**
 * The import graph of src/, as the layer test reads it: every relative import (static, dynamic,
 * re-export, type-only) of every non-test source file, resolved to the file it names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One import: from a file to a file, both relative to the source root, '/'-separated. */
export interface ImportEdge {
  from: string;
  to: string;
  /** 1-based line of the import in `from`. */
  line: number;
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

/** Source files under `root` (relative paths), tests excluded. */
export function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(child);
      else if (/\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name)) out.push(child);
    }
  };
  walk('');
  return out.sort();
}

/** Every relative import of the files, resolved (`x.js` names `x.ts`). */
export function importEdges(root: string, files: string[] = sourceFiles(root)): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const from of files) {
    const lines = readFileSync(path.join(root, from), 'utf8').split('\n');
    lines.forEach((text, i) => {
      for (const m of text.matchAll(SPECIFIER)) {
        const to = path.posix.normalize(path.posix.join(path.posix.dirname(from), m[1]!)).replace(/\.js$/, '.ts');
        edges.push({ from, to, line: i + 1 });
      }
    });
  }
  return edges;
}

/** The unit a file belongs to: its top folder under the root, or the file itself at the top. */
export const unitOf = (file: string): string => (file.includes('/') ? file.slice(0, file.indexOf('/')) : file);

/** File cycles (strongly connected components of more than one file, or a file importing itself). */
export function fileCycles(edges: ImportEdge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!next.has(e.from)) next.set(e.from, new Set());
    next.get(e.from)!.add(e.to);
  }
  // Tarjan's algorithm, iterative enough for a few hundred files.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of next.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || next.get(v)?.has(v)) cycles.push(scc.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!idx.has(v)) visit(v);
  return cycles;
}
