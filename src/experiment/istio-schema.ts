/**
 * Zod schemas for the Istio fragments an experiment file may contain (request matches), mirroring
 * Istio's `HTTPMatchRequest` so that what a user writes here is exactly what lands in the VirtualService.
 */
import { z } from 'zod';
import { compileRe2 } from '../istio/re2.js';

/** `StringMatch`: exactly one of exact / prefix / regex; `{}` (no key) means "present" for headers. */
export const stringMatchSchema = z
  .strictObject({
    exact: z.string().optional().describe('Matches the whole value exactly.'),
    prefix: z.string().optional().describe('Matches values that start with this string.'),
    regex: z
      .string()
      // The mesh compiles it when the step applies it: a bad pattern must be found here, before
      // the run has changed anything, not halfway through it.
      .superRefine((pattern, ctx) => {
        const compiled = compileRe2(pattern);
        if (!compiled.ok) ctx.addIssue({ code: 'custom', message: `${compiled.error} (Istio uses RE2 syntax)` });
      })
      .optional()
      .describe('RE2 regular expression matched against the whole value.'),
  })
  .refine((m) => Object.keys(m).length <= 1, {
    message: 'a string match takes exactly one of exact, prefix, regex',
  })
  .describe('Istio StringMatch: one of exact, prefix or regex ({} for "header present").');

const stringMatchMap = z.record(z.string(), stringMatchSchema);

// Istio's HTTPMatchRequest.queryParams: "Currently, only exact and regex are supported"; the mesh refuses prefix.
const queryParamMatchMap = z.record(
  z.string(),
  stringMatchSchema.refine((m) => m.prefix === undefined, {
    message: 'prefix is not supported for a query parameter (only exact and regex, as in Istio)',
    path: ['prefix'],
  }),
);

/** Istio `HTTPMatchRequest` (the per-request fields the local mesh and Istio both honour). */
export const httpMatchRequestSchema = z
  .strictObject({
    name: z.string().optional().describe('Name of the match, shown in logs.'),
    uri: stringMatchSchema.optional().describe('Match on the request path (without query string).'),
    scheme: stringMatchSchema.optional().describe('Match on the URI scheme (http, https).'),
    method: stringMatchSchema.optional().describe('Match on the HTTP method.'),
    authority: stringMatchSchema.optional().describe('Match on the Host/:authority header.'),
    headers: stringMatchMap
      .optional()
      .describe('Header matches; keys must be lowercase. {} means the header must be present.'),
    withoutHeaders: stringMatchMap
      .optional()
      .describe('Headers that must NOT match; a missing header counts as the empty string.'),
    queryParams: queryParamMatchMap.optional().describe('Query parameter matches (exact or regex).'),
    ignoreUriCase: z.boolean().optional().describe('Case-insensitive uri exact/prefix match. @default false'),
    port: z.number().int().min(1).max(65535).optional().describe('Match on the destination port.'),
  })
  .describe('Istio HTTPMatchRequest: all conditions of one entry must hold (AND).');

/** A list of `HTTPMatchRequest`; the entries OR together. */
export const matchListSchema = z
  .array(httpMatchRequestSchema)
  .min(1)
  .describe('Istio match list: a request matches when any entry matches (OR).');

/** Typed form of an experiment's match entry. */
export type MatchRequestSpec = z.output<typeof httpMatchRequestSchema>;
