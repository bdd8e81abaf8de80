/**
 * A unified YAML diff between two VirtualServices (or HTTPRoutes, or DestinationRules), for
 * `mesh-exp plan` (what a step would change) and for a restore that did not take.
 */
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import type { DestinationRule } from '../istio/types.js';
import type { RoutingObject } from './types.js';

/** Options for {@link diffVirtualService}. */
export interface DiffOptions {
  /** Lines of context around each change. @default 3 */
  context?: number;
  /** Label of the "before" side. @default "current" */
  beforeLabel?: string;
  /** Label of the "after" side. @default "planned" */
  afterLabel?: string;
}

/** Stable YAML text of an object (keys as they are; no line folding so diffs stay line-accurate). */
export function toYaml(obj: unknown): string {
  return stringify(obj, { lineWidth: 0 });
}

/**
 * Unified diff of the YAML of `before` and `after` (header lines `--- current` / `+++ planned`,
 * then hunks). Returns an empty string when they are equal.
 */
export function diffVirtualService(before: RoutingObject | DestinationRule, after: RoutingObject | DestinationRule, options: DiffOptions = {}): string {
  const a = toYaml(before);
  const b = toYaml(after);
  if (a === b) return '';
  const patch = createTwoFilesPatch(
    options.beforeLabel ?? 'current',
    options.afterLabel ?? 'planned',
    a,
    b,
    undefined,
    undefined,
    { context: options.context ?? 3 },
  );
  // Drop the "Index:"/"===" preamble lines some diff versions add; keep ---/+++ and hunks.
  return patch
    .split('\n')
    .filter((line) => !line.startsWith('Index:') && !/^=+$/.test(line))
    .join('\n');
}
