/**
 * Maps an SLO subject ("canary", "stable", "all") to the stats entry that holds its requests.
 */
import type { VersionStats } from '../model/result.js';
import type { CheckOptions } from './types.js';

/** Whose responses an SLO judges. */
export type Subject = 'canary' | 'stable' | 'all';

/** `VersionStats.version` of requests that came back without a version header. */
export const UNKNOWN_VERSION = 'unknown';

/** `VersionStats.version` of the entry that counts every request of the window. */
export const ALL_VERSION = 'all';

/**
 * `VersionStats.version` of requests the mesh answered itself with a fault-injection abort
 * (Envoy's fault filter: body "fault filter abort", response flag FI). No backend was reached, so
 * no version header came back; the ":" keeps it apart from any subset name (a DNS label).
 */
export const FAULT_ABORT_VERSION = 'mesh:fault-abort';

/** True for the entries that name no version: requests without a version header, and "all". */
export function isPseudoVersion(version: string): boolean {
  return version === UNKNOWN_VERSION || version === FAULT_ABORT_VERSION || version === ALL_VERSION;
}

/** How an entry's version is shown to people: a subset name as is, the mesh's own answers explained. */
export function versionLabel(version: string): string {
  return version === FAULT_ABORT_VERSION ? 'answered by the mesh (fault abort)' : version;
}

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

/** How a step's mirrored copies to `version` are shown: they are no answer anyone saw. */
export function mirroredLabel(version: string): string {
  return `${version}: mirrored (shadow) traffic, measured by the mesh`;
}

/** ", 38 aborted by the mesh's fault injection, 7 without a version header", or "" when there are none. */
export function unattributedNote(stats: readonly VersionStats[]): string {
  const count = (version: string) => stats.find((s) => s.version === version)?.count ?? 0;
  const aborted = count(FAULT_ABORT_VERSION);
  const unknown = count(UNKNOWN_VERSION);
  return `${aborted > 0 ? `, ${aborted} aborted by the mesh's fault injection` : ''}${unknown > 0 ? `, ${unknown} without a version header` : ''}`;
}
