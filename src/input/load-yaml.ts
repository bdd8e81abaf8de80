/**
 * Safe YAML reading for everything mesh-exp loads from users (experiment files, Istio manifests):
 * a size limit, an alias-expansion limit against "billion laughs" documents, duplicate keys
 * rejected, and every syntax error turned into a located {@link Problem}. The parsed documents
 * keep their node ranges so later checks can point at the exact line and column.
 */
import { isScalar, LineCounter, parseAllDocuments, visit, type Document } from 'yaml';
import { MAX_PROBLEMS, moreProblems, type Problem } from '../errors.js';
import { duplicateKeyErrors } from './duplicate-keys.js';
import { DEFAULT_MAX_BYTES, oversizeProblem, readUserText } from './read-user-file.js';
import { describeYamlError, significantErrors } from './yaml-errors.js';

/** Limits applied to every YAML file mesh-exp reads. */
export interface YamlSafetyOptions {
  /**
   * Largest file accepted, in bytes; experiment files and manifests are small, so anything
   * bigger is a mistake (or an attack) and is refused before it is parsed. Enforced while
   * reading (at most this + 1 bytes are read), whatever the file system says the size is.
   * @default 1048576 (1 MiB)
   */
  maxBytes?: number;
  /**
   * Most alias expansions allowed while building the data (yaml's `maxAliasCount`); a few
   * aliases are fine, exponential expansion ("billion laughs") is refused.
   * @default 100
   */
  maxAliasCount?: number;
}

/** Default {@link YamlSafetyOptions.maxAliasCount}. */
export const DEFAULT_MAX_ALIAS_COUNT = 100;

/** One parsed YAML document with what is needed to locate its nodes. */
export interface YamlSource {
  /** The document, with node ranges (offsets into the file's text). */
  doc: Document.Parsed;
  /** Turns offsets into 1-based line and column. */
  lineCounter: LineCounter;
  /** The document as plain data (aliases expanded). */
  data: unknown;
  /** File name used in problems (as the user named it). */
  file: string;
  /** Where `data` sits in the document when it is a part of it (see `Locatable.base`). @default [] */
  base?: readonly PropertyKey[];
}

// Kept here too: callers that parse YAML know these names from this module.
export { DEFAULT_MAX_BYTES, formatBytes } from './read-user-file.js';

/** Result of parsing: the documents that parsed cleanly, and every problem found. */
export interface ParsedYamlStream {
  /** Non-empty documents without errors, in file order. */
  docs: YamlSource[];
  /** Located problems (syntax errors, duplicate keys, alias bombs, size). */
  problems: Problem[];
}

/**
 * Parses every document of a YAML stream safely. Empty documents (nothing but comments, or a
 * trailing `---`) are skipped. A document with syntax errors yields problems and no data, since
 * checking half-parsed data would only add confusing follow-up errors.
 */
export function parseYamlStream(text: string, file: string, options: YamlSafetyOptions = {}): ParsedYamlStream {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const size = Buffer.byteLength(text, 'utf8');
  if (size > maxBytes) return { docs: [], problems: [oversizeProblem(file, size, maxBytes)] };

  const lineCounter = new LineCounter();
  // A duplicate key is an error, never "last one wins" (a silent source of surprises): found by
  // duplicateKeyErrors in linear time, since the library's own uniqueKeys check is quadratic.
  // merge: `<<: *defaults` works as in kubectl (go-yaml), so files behave the same in both tools.
  // stringKeys: keys are read as the strings a JS object holds anyway (so `1:` and `"1":` are the
  // duplicate they become), and a map or list as a key is an error (NON_STRING_KEY) instead of a
  // process warning from toJS followed by a key like "{ host: V }".
  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: false, prettyErrors: false, version: '1.2', merge: true, stringKeys: true });
  const documents = Array.isArray(parsed) ? parsed : [];
  const docs: YamlSource[] = [];
  const problems: Problem[] = [];
  for (const doc of documents) {
    const errors = [...doc.errors, ...doc.warnings, ...duplicateKeyErrors(doc, { merge: true })];
    if (errors.length > 0) {
      // Describing an error walks the document: only the listed ones are described (see MAX_PROBLEMS).
      const significant = significantErrors(errors);
      for (const e of significant.slice(0, MAX_PROBLEMS)) problems.push({ file, ...describeYamlError(e, doc, lineCounter) });
      const more = significant.length - MAX_PROBLEMS;
      if (more > 0) {
        problems.push(moreProblems(more, 'YAML error', { file, ...lineCounter.linePos(significant[MAX_PROBLEMS]!.pos[0]) }));
      }
      continue;
    }
    if (isEmptyDocument(doc)) continue;
    const data = toData(doc, lineCounter, file, options.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT, problems);
    if (data.ok) docs.push({ doc, lineCounter, data: data.value, file });
  }
  return { docs, problems: dedupe(problems) };
}

/** A document with nothing in it: only comments, or a bare `---` (yaml gives it a null scalar). */
function isEmptyDocument(doc: Document.Parsed): boolean {
  const c = doc.contents;
  return c === null || (isScalar(c) && c.value === null && !c.source && !c.anchor && !c.tag);
}

/** Builds plain data from a document, turning alias trouble into a problem at the first alias. */
function toData(
  doc: Document.Parsed,
  lineCounter: LineCounter,
  file: string,
  maxAliasCount: number,
  problems: Problem[],
): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount }) };
  } catch (err) {
    let offset = doc.contents?.range?.[0] ?? 0;
    visit(doc, {
      Alias(_, node) {
        offset = node.range?.[0] ?? offset;
        return visit.BREAK;
      },
    });
    const { line, col } = lineCounter.linePos(offset);
    const message = err instanceof Error ? err.message : String(err);
    const bomb = /excessive alias count/i.test(message);
    problems.push({
      file,
      line,
      col,
      path: '',
      message: bomb
        ? `aliases expand to too much data (more than ${maxAliasCount} expansions): refusing a possible "billion laughs" document`
        : `YAML alias error: ${message.replace(/\.$/, '')}`,
      hint: bomb ? 'write the values out instead of nesting aliases' : 'define each &anchor before its *alias',
    });
    return { ok: false };
  }
}

/** Parses a file that must hold exactly one YAML document (an experiment file). */
export function parseYamlDocument(
  text: string,
  file: string,
  options: YamlSafetyOptions = {},
): { source?: YamlSource; problems: Problem[] } {
  const { docs, problems } = parseYamlStream(text, file, options);
  if (problems.length > 0) return { problems };
  if (docs.length === 0) {
    return {
      problems: [
        {
          file,
          line: 1,
          col: 1,
          path: '',
          message: 'the file is empty',
          hint: 'an experiment starts with "apiVersion: mesh-exp.dev/v1alpha1" and "kind: Experiment"',
        },
      ],
    };
  }
  if (docs.length > 1) {
    const second = docs[1]!;
    const { line } = second.lineCounter.linePos(second.doc.range[0]);
    return {
      problems: [
        {
          file,
          line,
          col: 1,
          path: '',
          message: `an experiment file holds one YAML document, but this one has ${docs.length}`,
          hint: 'put each experiment in its own file (every "---" line starts a new document)',
        },
      ],
    };
  }
  return { source: docs[0]!, problems };
}

/**
 * Reads a YAML file for parsing through {@link readUserText}: a regular file, at most `maxBytes`
 * (enforced while reading), in UTF-8. Every failure is a problem located at the file (line 1, or
 * the first byte that is not UTF-8), never an exception.
 */
export async function readYamlText(
  absPath: string,
  file: string,
  options: YamlSafetyOptions = {},
): Promise<{ text?: string; problems: Problem[] }> {
  return readUserText(absPath, file, options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes });
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    // yaml sometimes reports one mistake twice at the same spot; print it once.
    const key = `${p.line}:${p.col}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
