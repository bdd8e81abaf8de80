/**
 * The experiment file's one schema (apiVersion mesh-exp.dev/v1alpha1, kind Experiment).
 * Every field has a description and, where it has one, a default; `schema/experiment.schema.json`
 * is generated from this file (`npm run schema`) and a test checks it is current. The SLOs are in
 * `slo-schema.ts`, the unit field builders in `schema-fields.ts`.
 *
 * Durations are written as strings ("10s", "500ms", "1m30s") and parsed to milliseconds;
 * percentages of traffic are numbers 0–100 (as in Istio); error-rate limits are strings like "1%".
 */
import { z } from 'zod';
import { fetchUrlProblem } from '../input/fetch-url.js';
import { matchListSchema } from './istio-schema.js';
import { DEFAULT_PROVIDER, PROVIDER_NAMES } from './provider-names.js';
import {
  duration,
  headerName,
  headerValue,
  k8sName,
  labelMap,
  listenAddress,
  percentString,
  POLL_INTERVAL,
  REQUEST_DURATION,
  requestHeaders,
  STEP_DURATION,
  trafficPercent,
  WAIT_DURATION,
} from './schema-fields.js';
import { abortConditionSchema, sloSchema } from './slo-schema.js';
import { loadStagesFields } from './load-stages-schema.js';
import { HTTP_METHODS, loadDataSchema, loadRequestsSchema, loadSeedSchema, templatedPath } from './load-scenario-schema.js';
import { loadDistributedSchema } from './load-distributed-schema.js';
import { notifySchema } from './notify-schema.js';
import { policySchema, retriesSchema } from './policy-schema.js';
import { formatDuration } from '../input/units.js';
import { sequentialAnalysisFields } from './sequential-schema.js';

export {
  abortConditionSchema,
  errorRateSloSchema,
  latencySloSchema,
  prometheusSloSchema,
  relativeErrorRateSloSchema,
  relativeLatencySloSchema,
  sloSchema,
} from './slo-schema.js';

export const metadataSchema = z
  .strictObject({
    name: k8sName('Name of the experiment; names the report directory reports/<name>-<timestamp>/.'),
    description: z.string().optional().describe('Free text shown at the top of the report.'),
    labels: labelMap('Labels copied into result.json; any keys. @default {}').prefault({}),
  })
  .describe('Who this experiment is.');

export const targetSchema = z
  .strictObject({
    provider: z
      .enum(PROVIDER_NAMES)
      .default(DEFAULT_PROVIDER)
      .describe(
        'Where the traffic change is made: the embedded local mesh, an Istio VirtualService via the Kubernetes API, or a Gateway API HTTPRoute via the Kubernetes API. @default "local"',
      ),
    namespace: k8sName('Namespace of the VirtualService (or HTTPRoute). @default "default"').default('default'),
    virtualService: k8sName('Name of the VirtualService to act on (providers local and istio; the user owns it: only the named parts change).').optional(),
    httpRoute: k8sName('Name of the Gateway API HTTPRoute to act on (provider gateway-api; the user owns it: only the named parts change).').optional(),
    route: z
      .string()
      .optional()
      .describe(
        'Name of the http route (VirtualService) or rule (HTTPRoute) to act on. @default the route whose destinations are the stable/canary subsets of `host` (HTTPRoute: the rule whose backendRefs are the two Services)',
      ),
    host: z.string().min(1).describe('Destination host (service) whose subsets are shifted, e.g. "reviews" (gateway-api: the Service clients call).'),
    stable: z.string().min(1).describe('Version serving production traffic now, e.g. "v1": the DestinationRule subset, and what the version header and destination_version say.'),
    canary: z.string().min(1).describe('Version under test, e.g. "v2".'),
    stableService: k8sName('Provider gateway-api: the Service of the stable version, a backendRef of the rule. @default "<host>-<stable>" (e.g. reviews-v1)').optional(),
    canaryService: k8sName('Provider gateway-api: the Service of the canary version, a backendRef of the rule. @default "<host>-<canary>" (e.g. reviews-v2)').optional(),
  })
  .describe('What the experiment acts on.');

export const shiftSchema = z
  .strictObject({
    steps: z
      .array(trafficPercent('Canary weight at this step, 0–100.'))
      .min(1)
      .optional()
      .describe('Canary weights, one per step, e.g. [5, 25, 50, 100]. Give either steps or stepWeight.'),
    stepWeight: z
      .number()
      .gt(0)
      .max(100)
      .optional()
      .describe('Canary weight added at each step (with maxWeight), like Flagger.'),
    maxWeight: trafficPercent('Last canary weight when stepping by stepWeight. @default 100').optional(),
    interval: duration('How long each step runs (load and analysis window). @default "10s"', STEP_DURATION).prefault('10s'),
    promote: z
      .boolean()
      .default(true)
      .describe('On success, leave 100% on the canary (true) or restore the original weights (false). @default true'),
  })
  .describe('Progressive weight shift from stable to canary.');

export const faultSchema = z
  .strictObject({
    delay: z
      .strictObject({
        fixedDelay: duration('Delay added before the request is forwarded, e.g. "2s".', REQUEST_DURATION),
        percentage: trafficPercent('Share of requests delayed, 0–100 (float). @default 100').default(100),
      })
      .optional()
      .describe('Istio delay fault.'),
    abort: z
      .strictObject({
        httpStatus: z.number().int().min(200).max(599).describe('Status code returned instead of forwarding, e.g. 503.'),
        percentage: trafficPercent('Share of requests aborted, 0–100 (float). @default 100').default(100),
      })
      .optional()
      .describe('Istio abort fault.'),
    subset: z
      .string()
      .optional()
      .describe('Send the faulted requests to this subset of target.host. @default the route\'s own destinations'),
    match: matchListSchema
      .optional()
      .describe('Only requests matching this Istio match get the fault (a route is inserted before the target route).'),
    duration: duration('How long the fault stays applied. @default "30s"', STEP_DURATION).prefault('30s'),
  })
  .refine((f) => f.delay !== undefined || f.abort !== undefined, {
    message: 'a fault needs a delay, an abort, or both',
  })
  .describe('Fault injection on the target route (delay and/or abort).');

export const mirrorSchema = z
  .strictObject({
    subset: z.string().min(1).describe('Subset of target.host that receives a copy of the traffic.'),
    percentage: trafficPercent('Share of requests mirrored, 0–100 (float). @default 100').default(100),
    duration: duration('How long mirroring stays applied. @default "30s"', STEP_DURATION).prefault('30s'),
  })
  .describe('Mirror (shadow) traffic to a subset; responses from the mirror are discarded.');

export const trafficSchema = z
  .strictObject({
    shift: shiftSchema.optional(),
    fault: faultSchema.optional(),
    mirror: mirrorSchema.optional(),
    match: matchListSchema
      .optional()
      .describe('A/B: only requests matching this go to the canary (a route is inserted before the target route).'),
    retries: retriesSchema.optional(),
    policy: policySchema.optional(),
  })
  .refine((t) => t.shift || t.fault || t.mirror || t.match || t.retries || t.policy, {
    message: 'traffic needs at least one of shift, fault, mirror, match, retries, policy',
  })
  .describe('The traffic change to make: any combination of shift, fault, mirror, A/B match, retries and DestinationRule policy.');

export const loadSchema = z
  .strictObject({
    generator: z
      .enum(['builtin', 'k6', 'vegeta', 'none'])
      .default('builtin')
      .describe('Who sends requests: the built-in open-model generator (latency from the intended send), vegeta (the external open-model engine, v12.13.0, latency from the actual send), k6 (the k6 on PATH, which you install; it runs the generated script or load.script), or none (live traffic). An engine that is not installed stops run at preflight and fails validate; never replaced by another. @default "builtin"'),
    script: z
      .string()
      .min(1)
      .max(4096)
      .optional()
      .describe('generator k6 only: your own k6 script to run instead of the generated one, relative to the experiment file (a regular file, at most 16 MiB). mesh-exp reads its mesh_exp_latency Trend, tagged version and status. @default the script `mesh-exp export-k6` prints'),
    url: z
      .url()
      .optional()
      .describe('Full URL to request (e.g. a gateway). With provider local, omit it and give host instead.'),
    host: headerValue('Host header to send through the mesh. @default target.host').optional(),
    path: templatedPath('Request path (with query), sent as written: "/" first, no spaces, control characters or "#"; may hold {{ field }} placeholders filled from load.data. @default "/"').default('/'),
    method: z.enum(HTTP_METHODS).default('GET').describe('HTTP method. @default "GET"'),
    headers: requestHeaders('Extra request headers: names are RFC 9110 tokens (not Host, Content-Length or hop-by-hop headers), values without CR, LF or NUL. @default {}').prefault({}),
    body: z.string().optional().describe('Request body, for POST/PUT/PATCH.'),
    // One process sends every request: beyond 100,000/s the schedule, not the service, is measured.
    rate: z.number().gt(0).max(100_000).default(50).describe('Open-model arrival rate, requests per second; above 0, at most 100000. Not with stages. @default 50'),
    ...loadStagesFields,
    duration: duration('How long load runs in each step. @default the step duration', STEP_DURATION).optional(),
    timeout: duration('Per-request timeout; a timed-out request counts as an error. @default "5s"', REQUEST_DURATION).prefault('5s'),
    maxInFlight: z
      .number()
      .int()
      .min(1)
      // Each request in flight holds a socket: more than 100,000 would exhaust file descriptors first.
      .max(100_000)
      .default(1000)
      .describe('Requests allowed in flight at once, 1 to 100000; beyond it sends are counted as dropped (not queued). @default 1000'),
    versionHeader: headerName('Response header naming the version that served the request. @default "x-version"').default('x-version'),
    requests: loadRequestsSchema.optional(),
    data: loadDataSchema.optional(),
    seed: loadSeedSchema,
    distributed: loadDistributedSchema.optional(),
  })
  .describe('The load to drive through the mesh.');


export const prometheusSchema = z
  .strictObject({
    address: z
      .url()
      // fetch refuses some URLs on every request; found here, the refusal is located in the file.
      .superRefine((text, ctx) => {
        const problem = fetchUrlProblem(text);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .default('http://127.0.0.1:9090')
      .describe('Base URL of the Prometheus HTTP API (http or https; not a port fetch blocks, e.g. 9 or 6000). @default "http://127.0.0.1:9090"'),
    timeout: duration('Timeout of each request to Prometheus. @default "10s"', REQUEST_DURATION).prefault('10s'),
    workload: z
      .string()
      .min(1)
      .default('{{ service }}-{{ version }}')
      .describe('Name (or regex) of the workload serving a version; it becomes {{ target }} in queries. @default "{{ service }}-{{ version }}" (e.g. reviews-v2)'),
    settle: duration('Wait this long after a step\'s load before querying, so the last scrape of the step is in. @default "0s"', WAIT_DURATION).prefault('0s'),
    scrapeInterval: duration(
      'How often Prometheus scrapes the mesh. With analysis.mode sequential, the canary\'s counters are read this often during a step (reading more often finds nothing new). @default "15s"',
      POLL_INTERVAL,
    ).prefault('15s'),
  })
  .describe('Prometheus, for prometheus SLOs.');

export const metricsSchema = z
  .strictObject({
    prometheus: prometheusSchema.optional(),
  })
  .describe('Where mesh-side metrics come from.');

export const analysisSchema = z
  .strictObject({
    threshold: z
      .number()
      .int()
      .min(1)
      // A threshold no run can reach (there is one check per SLO and step) only hides failures.
      .max(1000)
      .default(1)
      .describe('Failed checks (cumulative over the run) before rolling back, 1 to 1000. @default 1'),
    minSamples: z
      .number()
      .int()
      .min(1)
      // 100,000 requests/s for a 24h step is 8.6e9; a million samples is already a very long window.
      .max(1_000_000)
      .default(20)
      .describe('Fewer samples than this makes a check "no data" (inconclusive), never a pass; 1 to 1000000. @default 20'),
    noDataFails: z
      .boolean()
      .default(true)
      .describe('Count a "no data" check as failed toward the threshold. @default true'),
    abortWhen: z
      .array(abortConditionSchema)
      .default([])
      .describe(
        'Early abort: error-rate or latency conditions (written like SLOs, e.g. {kind: error-rate, subject: canary, max: 20%}) checked four times a second on the step\'s requests so far, once minSamples are in. The first one broken stops the step at once and rolls back, whatever threshold says. @default []',
      ),
    ...sequentialAnalysisFields,
  })
  .describe('How checks turn into decisions.');

/** An HTTP error status a demo backend answers with (4xx or 5xx), default 500. */
const httpErrorStatus = (description: string) => z.number().int().min(400).max(599).default(500).describe(description);

export const demoBackendSchema = z
  .strictObject({
    latency: z
      .strictObject({
        median: duration('Median response time. @default "5ms"', WAIT_DURATION).prefault('5ms'),
        p99: duration('99th percentile response time (log-normal spread). @default "20ms"', WAIT_DURATION).prefault('20ms'),
      })
      // The mesh refuses it when it starts the backend; found here, it is located in the file.
      .superRefine((l, ctx) => {
        // Both must be durations: a bound refused inside leaves a value that means nothing here.
        if (Number.isFinite(l.p99) && Number.isFinite(l.median) && l.p99 < l.median) ctx.addIssue({ code: 'custom', message: `p99 (${formatDuration(l.p99)}) must not be below the median (${formatDuration(l.median)})`, input: undefined });
      })
      .prefault({})
      .describe('Response-time distribution (log-normal with this median and p99).'),
    errorRate: percentString('Share of requests answered with errorStatus. @default "0%"').prefault('0%'),
    errorStatus: httpErrorStatus('HTTP status of the failed answers, e.g. 503 (which Istio\'s default retry policy retries). @default 500'),
    failing: z
      .strictObject({
        replicas: z.number().int().min(1).max(16).describe('How many replicas fail: the first ones (<workload>-0, -1, ...); at most the backend\'s replicas.'),
        errorRate: percentString('Share of requests a failing replica answers with its errorStatus. @default "100%"').prefault('100%'),
        errorStatus: httpErrorStatus('HTTP status of a failing replica\'s failed answers. @default 500'),
      })
      .optional()
      .describe('Some replicas fail more than the others (e.g. one bad pod of three, for outlier detection); the others keep errorRate. @default none'),
  })
  .describe('A built-in demo backend.');

export const backendSchema = z
  .strictObject({
    host: z.string().min(1).describe('Service host, as in the DestinationRule, e.g. "reviews".'),
    subset: z.string().min(1).describe('Subset name, as in the DestinationRule, e.g. "v2".'),
    replicas: z.number().int().min(1).max(16).default(1).describe('Endpoints behind this subset. @default 1'),
    demo: demoBackendSchema.optional(),
    command: z
      .array(z.string())
      .min(1)
      .optional()
      .describe('Start a real process instead: argv, run with $PORT set; it must listen on 127.0.0.1:$PORT.'),
    readyPath: z.string().startsWith('/').default('/').describe('Path polled until the process answers. @default "/"'),
    tcpEcho: z
      .strictObject({
        prefix: z.string().min(1).optional().describe('Word put before each echoed line, followed by a space (Istio\'s tcp-echo: "one" for v1, "two" for v2). @default the subset name'),
      })
      .optional()
      .describe('Serve with a built-in TCP echo server (like Istio\'s tcp-echo sample: each line sent comes back as "<prefix> <line>") instead of the HTTP demo; for VirtualService tcp routes. @default absent (HTTP demo)'),
  })
  .refine((b) => [b.demo, b.command, b.tcpEcho].filter((x) => x !== undefined).length <= 1, { message: 'a backend is one of demo, command or tcpEcho' })
  .refine((b) => (b.demo?.failing?.replicas ?? 0) <= b.replicas, { message: 'demo.failing.replicas is more than the backend\'s replicas', path: ['demo', 'failing', 'replicas'] })
  .describe('What serves one (host, subset) in the local mesh.');

export const localSchema = z
  .strictObject({
    attach: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe(
        'Admin URL of a running `mesh-exp mesh` to act on instead of starting a mesh in this process, e.g. "http://127.0.0.1:15020". ' +
          'The mesh then outlives a crashed run, so `mesh-exp recover` can restore it; manifests and backends come from that mesh. ' +
          '@default absent (the mesh starts in-process from manifests)',
      ),
    manifests: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Istio YAML files or directories (VirtualService, DestinationRule), relative to the experiment file. Required unless attach is set. @default absent'),
    listen: listenAddress('Address the mesh proxy listens on; port 0 picks a free one (not used with attach). @default "127.0.0.1:0"').default('127.0.0.1:0'),
    admin: listenAddress('Admin address (/ready, /stats/prometheus; not used with attach). @default "127.0.0.1:0"').default('127.0.0.1:0'),
    backends: z
      .array(backendSchema)
      .default([])
      .describe('Backends per (host, subset); any subset not listed gets a default demo backend (not used with attach). @default []'),
  })
  .describe('The local mesh (provider local): started in-process from manifests, or a running one to attach to.');

export const experimentSpecSchema = z
  .strictObject({
    target: targetSchema,
    traffic: trafficSchema,
    load: loadSchema.prefault({}),
    slos: z.array(sloSchema).default([]).describe('Service-level objectives judged at every step. @default []'),
    analysis: analysisSchema.prefault({}),
    metrics: metricsSchema.optional(),
    local: localSchema.optional(),
    notify: notifySchema.optional(),
  })
  .describe('What the experiment does: its target, traffic change, load, SLOs, analysis and (provider local) local mesh.');

/** The shape every kind of mesh-exp file shares: apiVersion, kind, metadata and spec (Experiment, GameDay). */
export function fileKindSchema<K extends string, M extends z.ZodType, S extends z.ZodType>(kind: K, metadata: M, spec: S) {
  return z.strictObject({
    apiVersion: z.literal('mesh-exp.dev/v1alpha1').describe('Version of this file format.'),
    kind: z.literal(kind).describe(`Always "${kind}".`),
    metadata,
    spec,
  });
}

export const experimentSchema = fileKindSchema('Experiment', metadataSchema, experimentSpecSchema)
  .describe('A mesh-exp experiment: a traffic change, the load to drive through it, and the SLOs to judge.');

/** A parsed, defaulted experiment (durations in ms, percentages as fractions). */
export type Experiment = z.output<typeof experimentSchema>;
/** The experiment as written in YAML. */
export type ExperimentInput = z.input<typeof experimentSchema>;
export type TargetSpec = Experiment['spec']['target'];
export type TrafficSpec = Experiment['spec']['traffic'];
export type ShiftSpec = NonNullable<TrafficSpec['shift']>;
export type FaultSpec = NonNullable<TrafficSpec['fault']>;
export type MirrorSpec = NonNullable<TrafficSpec['mirror']>;
export type RetriesSpec = NonNullable<TrafficSpec['retries']>;
export type PolicySpec = NonNullable<TrafficSpec['policy']>;
export type LoadSpec = Experiment['spec']['load'];
export type SloSpec = Experiment['spec']['slos'][number];
export type AnalysisSpec = Experiment['spec']['analysis'];
/** An SLO that judges one subject's responses (every kind but the relative ones). */
export type SubjectSloSpec = Extract<SloSpec, { subject: unknown }>;
export type AbortConditionSpec = AnalysisSpec['abortWhen'][number];
export type PrometheusSpec = NonNullable<NonNullable<Experiment['spec']['metrics']>['prometheus']>;
export type LocalSpec = NonNullable<Experiment['spec']['local']>;
type ParsedBackend = LocalSpec['backends'][number];
/**
 * A demo backend as the mesh takes it: as parsed, except that `errorStatus` may be left out (500),
 * so code and tests that build one need not spell out the default.
 */
export type DemoBackendSpec = Omit<NonNullable<ParsedBackend['demo']>, 'errorStatus'> & { errorStatus?: number };
/** A backend of `local.backends` as the mesh takes it (its demo as {@link DemoBackendSpec}). */
export type BackendSpec = Omit<ParsedBackend, 'demo'> & { demo?: DemoBackendSpec };
