/**
 * Traffic mirroring (Envoy's request_mirror_policies): `mirror` with `mirrorPercentage` (default 100;
 * the deprecated integer `mirror_percent` too) or `mirrors[]`, each with its own `percentage`
 * (default 100), drawn independently. Mirrors are fire-and-forget: the copy's response is discarded
 * and never affects the client. Istio ≥ 1.28 leaves the Host of a mirrored request unchanged; the
 * older "-shadow" suffix is an option of the proxy. Aborted requests are never mirrored.
 */
import type { Destination, HTTPRoute } from '../../istio/types.js';
import type { Cluster } from './clusters.js';
import type { Diagnostics } from './diagnostics.js';
import { resolveHost } from './host-names.js';

/** One mirror target and the share of requests copied to it. */
export interface CompiledMirror {
  /** Where copies go. */
  cluster: Cluster;
  /** Share of requests copied, 0–1. */
  fraction: number;
}

/** Resolves a destination to a cluster (or an error message). */
export type ResolveDestination = (d: Destination) => Cluster | string;

/** Compiles the mirror settings of `route` found at `path`. */
export function compileMirrors(route: HTTPRoute, path: string, namespace: string, resolve: ResolveDestination, diag: Diagnostics): CompiledMirror[] {
  const out: CompiledMirror[] = [];
  if (route.mirror !== undefined && route.mirrors !== undefined) {
    diag.error(path, 'mirror and mirrors cannot both be set', 'use mirrors[] only');
    return out;
  }
  const add = (dest: Destination | undefined, pct: number | undefined, where: string, pctPath: string) => {
    if (!dest || typeof dest.host !== 'string') return diag.error(where, 'a mirror needs destination.host');
    const value = pct ?? 100;
    if (typeof value !== 'number' || !(value >= 0 && value <= 100)) return diag.error(pctPath, `percentage must be 0–100, got ${String(value)}`);
    const c = resolve({ ...dest, host: resolveHost(dest.host, namespace) });
    if (typeof c === 'string') return diag.error(where, c);
    if (value > 0) out.push({ cluster: c, fraction: value / 100 });
  };
  if (route.mirror !== undefined) {
    const pct = route.mirrorPercentage !== undefined ? route.mirrorPercentage?.value ?? 0 : route.mirror_percent;
    add(route.mirror, pct, `${path}.mirror`, `${path}.mirrorPercentage.value`);
  } else if (route.mirrorPercentage !== undefined || route.mirror_percent !== undefined) {
    diag.warn(`${path}.mirrorPercentage`, 'mirrorPercentage without mirror has no effect');
  }
  if (route.mirrors !== undefined) {
    if (!Array.isArray(route.mirrors)) diag.error(`${path}.mirrors`, 'mirrors must be a list');
    else route.mirrors.forEach((m, i) => {
      const pct = m?.percentage !== undefined ? m.percentage?.value ?? 0 : undefined;
      add(m?.destination, pct, `${path}.mirrors[${i}].destination`, `${path}.mirrors[${i}].percentage.value`);
    });
  }
  return out;
}

/** The mirrors that receive a copy of this request (independent draws, in order). */
export function pickMirrors(mirrors: readonly CompiledMirror[], random: () => number): CompiledMirror[] {
  const out: CompiledMirror[] = [];
  for (const m of mirrors) if (m.fraction >= 1 || random() < m.fraction) out.push(m);
  return out;
}

/** The Host header of a mirrored request: unchanged, or with "-shadow" appended to the host part. */
export function shadowAuthority(authority: string, suffix: boolean): string {
  if (!suffix) return authority;
  const colon = authority.lastIndexOf(':');
  if (colon > 0 && authority.indexOf(']', colon) < 0) return `${authority.slice(0, colon)}-shadow${authority.slice(colon)}`;
  return `${authority}-shadow`;
}
