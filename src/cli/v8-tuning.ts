/**
 * V8 settings of the mesh-exp process, applied by the launcher (`bin/mesh-exp.js`) before the CLI
 * is loaded, and by `bench/load` the same way, so what the benchmark measures is what runs.
 *
 * `--no-allocation-site-pretenuring`: V8 watches the objects made at each allocation site and,
 * when most survive a young-generation GC, starts making them in the old generation. The built-in
 * generator's per-request objects die within a millisecond, but V8 still tracked (and, with the
 * whole CLI loaded, kept) them: measured on one core at 8,000 req/s, young GCs took 2.1-2.5 ms
 * instead of 0.6 ms, the old generation grew ~25 MB/s, mark-compacts came every ~2 s, and 5-6% of
 * the sends were more than 1 ms late; with the flag, 0.1-0.5% were, up to 10,000 req/s. Nothing
 * else mesh-exp does allocates at that rate, so nothing else loses by it.
 */
import { setFlagsFromString } from 'node:v8';

/** The flags {@link tuneV8} sets. */
export const V8_FLAGS: readonly string[] = ['--no-allocation-site-pretenuring'];

/** Sets {@link V8_FLAGS}; call before loading the CLI (flags read while objects are made). */
export function tuneV8(): void {
  for (const flag of V8_FLAGS) setFlagsFromString(flag);
}
