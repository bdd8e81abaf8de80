/**
 * The local mesh's own check of a configuration, for callers that do not start a mesh: `validate`
 * (and `run`, `plan` before anything starts) refuse exactly what `createLocalMesh` would refuse,
 * because both call {@link compileConfig} — one code path for refusal (issue 18).
 */
import type { Problem } from '../errors.js';
import type { DestinationRule, Gateway, VirtualService } from '../istio/types.js';
import type { BackendSpec } from '../experiment/schema.js';
import { type ObjectOrigin, objectLabel } from './config/diagnostics.js';
import { compileConfig } from './live-config.js';

/** What {@link checkMeshConfig} checks. */
export interface MeshConfigCheckInput {
  /** The VirtualServices to serve. */
  virtualServices: readonly VirtualService[];
  /** The DestinationRules to serve. */
  destinationRules: readonly DestinationRule[];
  /** The Gateways to serve. (Additive.) @default [] */
  gateways?: readonly Gateway[];
  /** Backend overrides per (host, subset). @default none */
  backends?: readonly BackendSpec[];
  /** Namespace of objects without one. @default "default" */
  namespace?: string;
  /** Where each object was read, so problems name the file and the line it starts on. @default none */
  origins?: ReadonlyMap<object, { file: string; line?: number }>;
}

/** What the mesh would refuse (errors) and what it would report and not honour (warnings). */
export interface MeshConfigCheck {
  /** Problems that refuse the configuration. */
  errors: Problem[];
  /** Fields reported and not applied. */
  warnings: Problem[];
}

/** Object origins keyed by the labels diagnostics use ("VirtualService ns/name"). */
export function originsByLabel(input: MeshConfigCheckInput): Map<string, ObjectOrigin> | undefined {
  if (!input.origins) return undefined;
  const ns = input.namespace ?? 'default';
  const out = new Map<string, ObjectOrigin>();
  for (const o of [...input.virtualServices, ...input.destinationRules, ...(input.gateways ?? [])]) {
    const origin = o ? input.origins.get(o) : undefined;
    if (origin) out.set(objectLabel(o.kind, o.metadata?.namespace ?? ns, o.metadata?.name ?? '?'), origin);
  }
  return out;
}

/** Compiles the configuration as the mesh would at start-up, starting nothing. */
export function checkMeshConfig(input: MeshConfigCheckInput): MeshConfigCheck {
  const compiled = compileConfig(
    { virtualServices: [...input.virtualServices], destinationRules: [...input.destinationRules], gateways: [...(input.gateways ?? [])] },
    { namespace: input.namespace ?? 'default', backends: input.backends ?? [], origins: originsByLabel(input) },
  );
  return { errors: compiled.errors, warnings: compiled.warnings };
}
