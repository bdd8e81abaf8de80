/**
 * The metadata the objects and pods of one distributed step carry, for every builder alike: the
 * labels select the run's objects, the annotations are its ownership mark (left out when empty, so
 * the created object reads back as it was built).
 */
import type { DistributedStepInput } from './types.js';

type MetaInput = Pick<DistributedStepInput, 'labels' | 'annotations'>;

/** Labels and (when any) annotations of a pod template, with `extra` annotations added. */
export function podMetadata(input: MetaInput, extra: Record<string, string> = {}): { labels: Record<string, string>; annotations?: Record<string, string> } {
  const annotations = { ...input.annotations, ...extra };
  return { labels: input.labels, ...(Object.keys(annotations).length ? { annotations } : {}) };
}

/** Name, namespace, labels and (when any) annotations of an object of the step. */
export function stepMetadata(input: MetaInput & Pick<DistributedStepInput, 'name' | 'namespace'>): { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string> } {
  return { name: input.name, namespace: input.namespace, ...podMetadata(input) };
}
