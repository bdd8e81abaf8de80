/**
 * Weighted choice among a route's destinations, as Istio translates `route[].weight` to Envoy's
 * weighted clusters: share = weight / sum of weights (the sum need not be 100), an omitted weight is
 * 0, and a route with a single destination sends it 100% whatever its weight.
 *
 * All-zero weights with several destinations: Envoy refuses a weighted-cluster config whose total
 * is 0, so no upstream is ever selected; the local mesh answers 503 "no healthy upstream" with
 * response flag UH for such a route (and the compiler warns about it).
 */

/** Picks one item with a uniform draw in [0,1); undefined when nothing has weight. */
export type WeightedPicker<T> = (random: () => number) => T | undefined;

/** Builds a picker over `(item, weight)` pairs; weights must be finite and >= 0. */
export function createWeightedPicker<T>(choices: ReadonlyArray<{ item: T; weight: number }>): WeightedPicker<T> {
  if (choices.length === 0) return () => undefined;
  if (choices.length === 1) {
    const only = choices[0]!.item;
    return () => only;
  }
  const live = choices.filter((c) => c.weight > 0);
  if (live.length === 0) return () => undefined;
  if (live.length === 1) {
    const only = live[0]!.item;
    return () => only;
  }
  const items = live.map((c) => c.item);
  const cumulative = new Float64Array(live.length);
  let total = 0;
  live.forEach((c, i) => {
    total += c.weight;
    cumulative[i] = total;
  });
  const last = items.length - 1;
  return (random) => {
    const x = random() * total;
    for (let i = 0; i < last; i++) if (x < cumulative[i]!) return items[i];
    return items[last];
  };
}

/** The share (0–1) each choice receives, for reports and tests. */
export function weightShares(weights: readonly number[]): number[] {
  if (weights.length === 1) return [1];
  const total = weights.reduce((a, w) => a + (w > 0 ? w : 0), 0);
  return weights.map((w) => (total > 0 && w > 0 ? w / total : 0));
}
