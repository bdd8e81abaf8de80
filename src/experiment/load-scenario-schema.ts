/**
 * The scenario fields of `load` (issue 19): `requests`, a weighted list of named requests, and
 * `data`, a CSV or JSON file whose rows fill `{{ field }}` placeholders, both drawn with `seed`.
 * `schema.ts` adds these fields to `loadSchema`; the files they name are read and checked by
 * `scenario-check.ts` (bodyFile, data file, placeholders against the data's columns).
 */
import { z } from 'zod';
import { requestPathProblem } from '../input/http-syntax.js';
import { withoutPlaceholders } from '../input/placeholders.js';
import { requestHeaders } from './schema-fields.js';

/** The HTTP methods a load may send. */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Most named requests in `load.requests` (each keeps its own histograms per version). */
export const MAX_REQUESTS = 50;

/** Name of the one request of a load without `requests`. */
export const DEFAULT_REQUEST_NAME = 'default';

/** A request path that may hold `{{ field }}` placeholders; the rest is sent as written. */
export const templatedPath = (description: string) =>
  z
    .string()
    .startsWith('/')
    .superRefine((s, ctx) => {
      // Placeholders are checked with every data row (scenario-check.ts); here the literal rest.
      const problem = s.startsWith('/') ? requestPathProblem(withoutPlaceholders(s, 'x')) : undefined;
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    })
    .describe(description);

/** One named request of `load.requests`. */
export const loadRequestSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'expected a name of letters, digits, "_", "-" and "." (it labels figures and reports), e.g. "get-reviews"')
      .max(63)
      .describe('Name of the request, unique in load.requests: figures are reported per name. Letters, digits, "_", "-", "."; at most 63 characters.'),
    method: z.enum(HTTP_METHODS).optional().describe('HTTP method. @default load.method'),
    path: templatedPath('Request path (with query); may hold {{ field }} placeholders filled from load.data. @default load.path').optional(),
    headers: requestHeaders('Headers of this request, over load.headers (same name: this value wins); values may hold {{ field }} placeholders. @default {}').optional(),
    body: z.string().optional().describe('Request body; may hold {{ field }} placeholders. Not with bodyFile. @default load.body'),
    bodyFile: z.string().min(1).optional().describe('File whose text is the request body (relative to the experiment file, at most 1 MiB, UTF-8); may hold {{ field }} placeholders. Not with body.'),
    weight: z.number().gt(0).max(1_000_000).default(1).describe('Relative share of arrivals that send this request: weight / sum of weights. Above 0, at most 1000000. @default 1'),
  })
  .refine((r) => r.body === undefined || r.bodyFile === undefined, { message: 'give body or bodyFile, not both', path: ['bodyFile'] })
  .describe('One named request of the load.');

/** `load.requests`: 1 to 50 requests with unique names. */
export const loadRequestsSchema = z
  .array(loadRequestSchema)
  .min(1, 'give at least one request, or leave requests out')
  // Each name keeps its own histograms per version: the cap bounds the recorder's memory.
  .max(MAX_REQUESTS)
  .superRefine((requests, ctx) => {
    const seen = new Map<string, number>();
    requests.forEach((r, i) => {
      const first = seen.get(r.name);
      if (first !== undefined) ctx.addIssue({ code: 'custom', message: `request name "${r.name}" is already used by requests[${first}]: names must be unique`, path: [i, 'name'] });
      else seen.set(r.name, i);
    });
  })
  .describe(`Named requests to send, one chosen per arrival by weight (seeded by load.seed). Method, path, headers and body default to the load's own. At most ${MAX_REQUESTS}. @default one request named "${DEFAULT_REQUEST_NAME}" made of load.method, load.path, load.headers and load.body`);

/** `load.data`: the rows that fill placeholders. */
export const loadDataSchema = z
  .strictObject({
    file: z.string().min(1).describe('CSV (a header row names the columns; RFC 4180 quoting) or JSON (an array of flat objects) file, relative to the experiment file; at most 8 MiB and 100000 rows.'),
    format: z.enum(['csv', 'json']).optional().describe('Format of the file. @default from the file name\'s extension (.csv or .json)'),
    order: z.enum(['round-robin', 'random']).default('round-robin').describe('Which row each request takes: the next one in file order (wrapping around), or one drawn at random (seeded by load.seed). @default "round-robin"'),
  })
  .refine((d) => d.format !== undefined || /\.(csv|json)$/i.test(d.file), { message: 'the file name ends neither in .csv nor .json: give format: csv or format: json', path: ['format'] })
  .describe('Rows whose columns fill {{ column }} placeholders in the requests\' path, header values and body; one row per request.');

/** `load.seed`: what makes request and row choices reproducible. */
export const loadSeedSchema = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1)
  .default(1)
  .describe('Seed of the random choices of the load (which request by weight, which row with order random): the same seed sends the same sequence. 0 to 2147483647. @default 1');
