/**
 * The load's scenario, resolved: every named request with the load-level defaults merged in, the
 * body files read, and the data rows parsed. This is the one place both load engines and the k6
 * script exporter take requests and rows from (`LoadedExperiment.scenario`).
 */
import type { PathSegment } from '../input/locate.js';
import type { DataRows } from '../input/data-rows.js';
import { DEFAULT_REQUEST_NAME } from './load-scenario-schema.js';
import type { LoadSpec } from './schema.js';

/** One request, resolved. Text fields are templates: they may hold `{{ field }}` placeholders. */
export interface ScenarioRequest {
  /** Unique name; figures are reported per name. */
  name: string;
  /** HTTP method. */
  method: string;
  /** Path with query (a template), "/" first. */
  path: string;
  /** Headers: load.headers with the request's own over them (values are templates). */
  headers: Record<string, string>;
  /** Body (a template): the request's body or bodyFile's text, else load.body. @default no body */
  body?: string;
  /** Relative share of arrivals. */
  weight: number;
}

/** The rows of `load.data`, parsed. */
export interface ScenarioData extends DataRows {
  /** Path of the data file as the user wrote it (relative to the experiment file). */
  file: string;
  /** How rows are taken. */
  order: 'round-robin' | 'random';
}

/** What the load sends: its requests, the rows filling them, and the seed of every draw. */
export interface Scenario {
  /** At least one request (the load-level one, named "default", when `load.requests` is absent). */
  requests: ScenarioRequest[];
  /** The data rows, when `load.data` is set. */
  data?: ScenarioData;
  /** Seed of the request and row draws (`load.seed`). */
  seed: number;
  /** Whether the experiment names its requests or uses data (`load.requests` or `load.data` set): then figures per request are reported. */
  scripted: boolean;
}

/** A template of a request and the field of the experiment file it was written in. */
export interface TemplateSource {
  /** Index of the request in {@link Scenario.requests}. */
  request: number;
  /** What it fills: "path", "header", "body". */
  place: 'path' | 'header' | 'body';
  /** The template text. */
  text: string;
  /** Where it was written in the experiment file. */
  at: PathSegment[];
  /** For a body read from bodyFile: the file's name as written. */
  bodyFile?: string;
}

const LOAD: PathSegment[] = ['spec', 'load'];

/** Headers `over` put over `base`, a name in any case replacing the same name in another case. */
function mergeHeaders(base: Record<string, string>, over: Record<string, string>): Record<string, string> {
  const lower = new Set(Object.keys(over).map((k) => k.toLowerCase()));
  const kept = Object.entries(base).filter(([k]) => !lower.has(k.toLowerCase()));
  return Object.fromEntries([...kept, ...Object.entries(over)]);
}

/**
 * The requests of `load` with its defaults merged in, and where each template was written.
 * `bodies[i]` is the text of request i's bodyFile (read by the caller), when it has one.
 */
export function resolveRequests(load: LoadSpec, bodies: ReadonlyMap<number, string>): { requests: ScenarioRequest[]; sources: TemplateSource[] } {
  const specs = load.requests ?? [{ name: DEFAULT_REQUEST_NAME, weight: 1 }];
  const requests: ScenarioRequest[] = [];
  const sources: TemplateSource[] = [];
  specs.forEach((r, i) => {
    const own: PathSegment[] = load.requests ? [...LOAD, 'requests', i] : LOAD;
    const path = r.path ?? load.path;
    sources.push({ request: i, place: 'path', text: path, at: r.path !== undefined ? [...own, 'path'] : [...LOAD, 'path'] });
    const headers = mergeHeaders(load.headers, r.headers ?? {});
    for (const [k, v] of Object.entries(headers)) {
      const mine = r.headers !== undefined && Object.hasOwn(r.headers, k);
      sources.push({ request: i, place: 'header', text: v, at: mine ? [...own, 'headers', k] : [...LOAD, 'headers', k] });
    }
    const fromFile = bodies.get(i);
    const body = r.body ?? fromFile ?? load.body;
    if (body !== undefined) {
      const at: PathSegment[] = r.body !== undefined ? [...own, 'body'] : r.bodyFile !== undefined ? [...own, 'bodyFile'] : [...LOAD, 'body'];
      sources.push({ request: i, place: 'body', text: body, at, ...(r.bodyFile !== undefined ? { bodyFile: r.bodyFile } : {}) });
    }
    requests.push({ name: r.name, method: r.method ?? load.method, path, headers, ...(body !== undefined ? { body } : {}), weight: r.weight });
  });
  return { requests, sources };
}
