/**
 * The per-arrival choice of a scripted load, shared by the built-in and the vegeta generator: a
 * request drawn by weight, and (with `load.data`) the row that fills its placeholders, taken in
 * turn or at random. Both draws are seeded, from separate streams, so a run repeats exactly and
 * adding data does not change which requests are sent.
 */
import type { Scenario } from '../experiment/scenario.js';
import { fillTemplate, parseTemplate, type Template } from '../input/placeholders.js';
import { createSeededRandom } from '../seeded-random.js';
import type { PickedRequest, RequestPicker } from './types.js';

/** Options of {@link createRequestPicker}. */
export interface RequestPickerOptions {
  /** The requests and rows (`LoadedExperiment.scenario`). */
  scenario: Scenario;
  /**
   * The URL of request `index` for its filled path (e.g. the mesh's origin + path). Called per
   * arrival with placeholders, once per request without.
   */
  urlOf(path: string, index: number): string;
}

interface Compiled {
  name: string;
  method: string;
  path: Template;
  headers: [string, Template][];
  body: Template | undefined;
  /** The request when nothing in it is a placeholder: built once, sent every time. */
  fixed: PickedRequest | undefined;
}

// A second stream for rows, so the request sequence is the same with or without data.
const ROW_STREAM = 0x9e3779b9;

/** Creates the picker; it keeps its place (next row, random state) for the whole run. */
export function createRequestPicker(options: RequestPickerOptions): RequestPicker {
  const { scenario, urlOf } = options;
  const data = scenario.data;
  const column = new Map((data?.columns ?? []).map((c, i) => [c, i]));
  const compiled: Compiled[] = scenario.requests.map((r, index) => {
    const path = parseTemplate(r.path);
    const headers = Object.entries(r.headers).map(([k, v]) => [k, parseTemplate(v)] as [string, Template]);
    const body = r.body === undefined ? undefined : parseTemplate(r.body);
    const fields = path.fields.length + headers.reduce((n, [, t]) => n + t.fields.length, 0) + (body?.fields.length ?? 0);
    const c: Compiled = { name: r.name, method: r.method, path, headers, body, fixed: undefined };
    if (fields === 0) c.fixed = fill(c, index, () => undefined);
    return c;
  });
  // Cumulative weights: a draw u in [0, total) picks the first request whose bound exceeds it.
  const bounds: number[] = [];
  let total = 0;
  for (const r of scenario.requests) bounds.push((total += r.weight));
  const drawRequest = createSeededRandom(scenario.seed);
  const drawRow = createSeededRandom((scenario.seed ^ ROW_STREAM) >>> 0);
  let nextRow = 0;

  function fill(c: Compiled, index: number, valueOf: (field: string) => string | undefined): PickedRequest {
    const headers: Record<string, string> = {};
    for (const [k, t] of c.headers) headers[k] = fillTemplate(t, valueOf);
    const picked: PickedRequest = { index, name: c.name, method: c.method, url: urlOf(fillTemplate(c.path, valueOf), index), headers };
    if (c.body !== undefined) picked.body = fillTemplate(c.body, valueOf);
    return picked;
  }

  function pickIndex(): number {
    if (bounds.length === 1) return 0;
    const u = drawRequest() * total;
    let i = 0;
    while (i < bounds.length - 1 && u >= bounds[i]!) i++;
    return i;
  }

  function next(): PickedRequest {
    const index = pickIndex();
    const c = compiled[index]!;
    if (c.fixed !== undefined) return c.fixed;
    const rows = data!.rows;
    const row = data!.order === 'random' ? rows[Math.floor(drawRow() * rows.length)]! : rows[nextRow++ % rows.length]!;
    return fill(c, index, (f) => row.values[column.get(f) ?? -1]);
  }

  return { names: scenario.requests.map((r) => r.name), next };
}
