/**
 * The region of a VirtualService the istio provider manages: the routes of `spec.http` it inserts
 * (0–2, see render.ts) followed by the target route. The patches themselves are the shared ones
 * (../region-patch.ts).
 */
import type { HTTPRoute, VirtualService } from '../../istio/types.js';
import type { ItemRegion } from '../region-patch.js';
import { renderVirtualService } from '../render.js';
import { findTargetRoute, type TargetRef } from '../target-route.js';
import type { TrafficState } from '../types.js';

/** The managed routes of one state: `start` is the original target route's index; `items` the inserted routes, then the target route. */
export type Region = ItemRegion<HTTPRoute>;

/** The region `state` renders to on `original` (the empty state: the target route alone). */
export function regionOf(original: VirtualService, target: TargetRef, state: TrafficState): Region {
  const start = findTargetRoute(original, target).index;
  const rendered = renderVirtualService(original, target, state);
  const inserted = (rendered.spec.http?.length ?? 0) - (original.spec.http?.length ?? 0);
  return { start, items: (rendered.spec.http ?? []).slice(start, start + inserted + 1) };
}
