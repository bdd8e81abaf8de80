/**
 * Collects the problems found while compiling Istio objects: errors (the config is refused with a
 * ValidationError listing all of them) and warnings (fields the local mesh cannot honour, reported
 * rather than silently ignored). Each problem names the object it is in.
 */
import type { Problem } from '../../errors.js';

/** A sink for problems of one object; `path` is the dotted field path inside the object. */
export interface Diagnostics {
  /** Records an error: the configuration is refused. */
  error(path: string, message: string, hint?: string): void;
  /** Records a warning: the field is reported and not applied (or applied approximately). */
  warn(path: string, message: string, hint?: string): void;
  /** Diagnostics for another object, sharing the same lists. */
  forObject(label: string): Diagnostics;
  /** Errors so far, in order. */
  readonly errors: Problem[];
  /** Warnings so far, in order. */
  readonly warnings: Problem[];
}

/** Where an object was defined (file as the user named it, 1-based line of its start). */
export interface ObjectOrigin {
  /** File as the user named it. */
  file: string;
  /** 1-based line the object starts on. */
  line?: number;
}

/**
 * Creates a sink; `label` (e.g. `VirtualService default/reviews`) prefixes every message so the
 * user knows which object is meant even when several come from one file. `origins` maps labels to
 * where the objects were read, so problems carry the file (and the line the object starts on).
 */
export function createDiagnostics(label = '', errors: Problem[] = [], warnings: Problem[] = [], origins?: ReadonlyMap<string, ObjectOrigin>): Diagnostics {
  const make = (message: string) => (label ? `${label}: ${message}` : message);
  const origin = label ? origins?.get(label) : undefined;
  const problem = (path: string, message: string, hint?: string): Problem => {
    const p: Problem = { path, message: make(message) };
    if (origin) {
      p.file = origin.file;
      if (origin.line !== undefined) p.line = origin.line;
    }
    if (hint !== undefined) p.hint = hint;
    return p;
  };
  return {
    errors,
    warnings,
    error: (path, message, hint) => void errors.push(problem(path, message, hint)),
    warn: (path, message, hint) => void warnings.push(problem(path, message, hint)),
    forObject: (other) => createDiagnostics(other, errors, warnings, origins),
  };
}

/** "VirtualService default/reviews" for messages. */
export function objectLabel(kind: string, namespace: string, name: string): string {
  return `${kind} ${namespace}/${name}`;
}
