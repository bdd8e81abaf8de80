/**
 * Istio objects as they come from a Kubernetes API server, turned into what the local mesh
 * serves (pure): server-side metadata stripped — so a re-list after an outage, a status update by
 * istiod or a no-op apply compares equal to what is in force — with the resourceVersion and the
 * creation time kept beside the object (the version for /config_dump, the time for Istio's
 * "oldest object wins" order).
 */
import type { DestinationRule, Gateway, VirtualService } from '../../istio/types.js';
import { objectLabel } from '../config/diagnostics.js';
import type { MeshConfig } from '../types.js';

/** API group the mesh watches. */
export const ISTIO_GROUP = 'networking.istio.io';
/** API version the mesh watches (Istio's storage version). */
export const ISTIO_VERSION = 'v1';

/** The kinds the mesh watches. */
export type WatchedKind = 'VirtualService' | 'DestinationRule' | 'Gateway';

/** Resource (plural) name of each kind, as in the API path. */
export const PLURALS: Readonly<Record<WatchedKind, string>> = { VirtualService: 'virtualservices', DestinationRule: 'destinationrules', Gateway: 'gateways' };

/** Metadata fields the API server writes: never compared, never served. */
export const SERVER_METADATA = ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const;

/** One object as the mesh keeps it. */
export interface KubeRecord {
  /** "VirtualService ns/name", the label problems and /config_dump use. */
  label: string;
  /** Its kind. */
  kind: WatchedKind;
  /** The object without server-side metadata and status. */
  object: VirtualService | DestinationRule | Gateway;
  /** The API server's resourceVersion of this state of the object. */
  resourceVersion: string;
  /** metadata.creationTimestamp ("" when absent). */
  createdAt: string;
}

/** A copy of `obj` without server-side metadata ({@link SERVER_METADATA}) and without `status`. */
export function stripServerMetadata<T extends { metadata?: object }>(obj: T): T {
  const { status: _status, ...rest } = structuredClone(obj) as T & { status?: unknown };
  const meta = rest.metadata as Record<string, unknown> | undefined;
  if (meta) for (const k of SERVER_METADATA) delete meta[k];
  return rest as T;
}

/** The record of an object read from the API server (`kind` fills in a missing `kind`/`apiVersion`). */
export function recordOf(raw: unknown, kind: WatchedKind, namespace: string): KubeRecord {
  const o = (raw ?? {}) as { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string; resourceVersion?: string; creationTimestamp?: string | Date } };
  const object = stripServerMetadata({ ...o, apiVersion: o.apiVersion ?? `${ISTIO_GROUP}/${ISTIO_VERSION}`, kind: o.kind ?? kind }) as unknown as VirtualService;
  const created = o.metadata?.creationTimestamp;
  return {
    label: objectLabel(kind, o.metadata?.namespace ?? namespace, o.metadata?.name ?? '?'),
    kind,
    object,
    resourceVersion: o.metadata?.resourceVersion ?? '',
    createdAt: created instanceof Date ? created.toISOString() : (created ?? ''),
  };
}

/** Istio's order: oldest first, then by namespace/name (the older of two VirtualServices for a host wins). */
export function byAge(a: KubeRecord, b: KubeRecord): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.label < b.label ? -1 : a.label > b.label ? 1 : 0;
}

/** The mesh configuration of a set of records, in Istio's order. */
export function configOf(records: Iterable<KubeRecord>): MeshConfig {
  const sorted = [...records].sort(byAge);
  return {
    virtualServices: sorted.filter((r) => r.kind === 'VirtualService').map((r) => r.object as VirtualService),
    destinationRules: sorted.filter((r) => r.kind === 'DestinationRule').map((r) => r.object as DestinationRule),
    gateways: sorted.filter((r) => r.kind === 'Gateway').map((r) => r.object as Gateway),
  };
}
