/**
 * Maps an SLO subject ("canary", "stable", "all") to the stats entry that holds its requests.
 */
import type { VersionStats } from '../runner/result.js';
import type { CheckOptions } from './types.js';

/** Whose responses an SLO judges. */
export type Subject = 'canary' | 'stable' | 'all';

/** `VersionStats.version` of requests that came back without a version header. */
export const UNKNOWN_VERSION = 'unknown';

/** `VersionStats.version` of the entry that counts every request of the window. */
export const ALL_VERSION = 'all';

/**
 * The `VersionStats.version` a subject is judged on: the canary or stable subset name, or "all".
 *
 * Requests with version "unknown" (no version header came back: connection errors, timeouts,
 * aborts before any backend answered) cannot be attributed to canary or stable, so they count
 * only toward subject "all".
 */
export function versionOfSubject(subject: Subject, options: Pick<CheckOptions, 'stable' | 'canary'>): string {
  if (subject === 'canary') return options.canary;
  if (subject === 'stable') return options.stable;
  return ALL_VERSION;
}

/** The stats entry of a subject, or undefined when the window holds no request of it. */
export function statsOfSubject(
  subject: Subject,
  stats: readonly VersionStats[],
  options: Pick<CheckOptions, 'stable' | 'canary'>,
): VersionStats | undefined {
  const version = versionOfSubject(subject, options);
  return stats.find((s) => s.version === version);
}

/** Requests of the window that carried no version header (0 when there is no "unknown" entry). */
export function unattributedCount(stats: readonly VersionStats[]): number {
  return stats.find((s) => s.version === UNKNOWN_VERSION)?.count ?? 0;
}
