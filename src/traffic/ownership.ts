/**
 * The ownership mark: the annotation `mesh-exp.dev/journal: <absolute journal path>` a run writes
 * on the object it acts on (its first change), so another run refuses to start on it and a restore
 * overwrites only an object carrying this run's mark. Shared by every provider that marks objects.
 */
/** The annotation that names the journal of the run owning the object. */
export const OWNER_ANNOTATION = 'mesh-exp.dev/journal';

/** Any Kubernetes object's metadata, as far as the mark is concerned. */
export interface Annotated {
  /** Only the annotations matter here. */
  metadata: { annotations?: Record<string, string> };
}

/** The ownership mark on `vs` (a VirtualService, an HTTPRoute...), if any. */
export function markOf(vs: Annotated | undefined): string | undefined {
  return vs?.metadata.annotations?.[OWNER_ANNOTATION];
}

/** A deep copy of `vs` (a VirtualService, a DestinationRule...) carrying the mark `owner`. */
export function withMark<T extends Annotated>(vs: T, owner: string): T {
  const out = structuredClone(vs);
  out.metadata.annotations = { ...out.metadata.annotations, [OWNER_ANNOTATION]: owner };
  return out;
}

/** A deep copy of `vs` without the ownership mark (and without `annotations` when that was the only one). */
export function withoutMark<T extends Annotated>(vs: T): T {
  const out = structuredClone(vs);
  const annotations = out.metadata.annotations;
  if (annotations) {
    delete annotations[OWNER_ANNOTATION];
    if (Object.keys(annotations).length === 0) delete out.metadata.annotations;
  }
  return out;
}
