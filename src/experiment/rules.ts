/**
 * Cross-field rules: what the schema cannot say field by field, checked before anything runs.
 * Rules are pure: they see the spec sections that parsed cleanly and return problems with the
 * data path they are about; the caller locates them in the file. A rule whose sections did not
 * parse is skipped (their own problems are reported already).
 *
 * Decisions worth knowing:
 * - Target and provider rules are in target-rules.ts; those of the mesh-view SLOs in mesh-slo-rules.ts.
 * - `spec.local` with a Kubernetes provider is an ERROR, not a warning: a section that is silently
 *   ignored reads as if it did something.
 * - `local.attach` (act on a running `mesh-exp mesh`) excludes what only an in-process mesh uses:
 *   manifests, backends, listen and admin; without attach, manifests are required.
 * - Provider local sends load through the embedded mesh, so `load.url` is refused there;
 *   providers istio and gateway-api need `load.url` (the gateway or a port-forward) unless generator is none.
 * - SLO subject "canary" needs a change that routes requests to the canary (a shift, an A/B
 *   match, or a fault sent to the canary subset). Mirrored requests do not count: their
 *   responses are discarded, so the load generator never sees them. Subject "stable" is always
 *   meaningful (the stable route keeps its traffic), so it is not restricted.
 */
import { experimentSpecSchema, type Experiment, type LoadSpec, type SloSpec, type TargetSpec, type TrafficSpec } from './schema.js';
import { PARSE_ONCE } from '../input/schema-walk.js';
import { formatDuration } from '../input/units.js';
import { TEMPLATE_VARIABLES, unknownTemplateNames } from './promql-template.js';
import { formatPath, type PathSegment } from '../input/locate.js';
import type { RuleInput, RuleProblem, SpecSections } from './rule-types.js';
import { providerRules, targetRules } from './target-rules.js';
import { loadStagesRules } from './load-stages-rules.js';
import { loadDistributedRules } from './load-distributed-rules.js';
import { meshSloRules } from './mesh-slo-rules.js';
import { sequentialRules } from './sequential-rules.js';
import { MAX_SHIFT_STEPS, shiftStepCount } from './step-plan.js';

type Rule = (input: RuleInput) => RuleProblem[];

const SECTIONS = Object.keys(experimentSpecSchema.shape) as (keyof typeof experimentSpecSchema.shape)[];

/** The rules' input for a spec that passed the schema: every section is valid. `data`: the document as written. */
export function ruleInputFromSpec(spec: Experiment['spec'], data?: unknown): RuleInput {
  const written = (data as { spec?: unknown } | null | undefined)?.spec;
  return { spec, valid: new Set(SECTIONS), ...(written !== undefined ? { written } : {}) };
}

/**
 * The rules' input for a document that failed the schema: each spec section is parsed on its
 * own, so the rules still run on the sections that are fine and all problems come out at once.
 */
export function ruleInputFromData(data: unknown): RuleInput {
  const spec: Record<string, unknown> = {};
  const valid = new Set<string>();
  const raw = (data as { spec?: unknown } | null)?.spec;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { spec: {}, valid };
  const written = raw;
  for (const key of SECTIONS) {
    const parsed = experimentSpecSchema.shape[key].safeParse((raw as Record<string, unknown>)[key], PARSE_ONCE);
    if (parsed.success) {
      spec[key] = parsed.data;
      valid.add(key);
    }
  }
  return { spec: spec as SpecSections, valid, written };
}

const P = (...rest: PathSegment[]): PathSegment[] => ['spec', ...rest];

/** The step length and where it comes from: the shift interval, else the fault/mirror duration. */
export function stepDurationOf(traffic: TrafficSpec): { ms: number; path: PathSegment[] } | undefined {
  if (traffic.shift) return { ms: traffic.shift.interval, path: P('traffic', 'shift', 'interval') };
  const candidates = [
    traffic.fault && { ms: traffic.fault.duration, path: P('traffic', 'fault', 'duration') },
    traffic.mirror && { ms: traffic.mirror.duration, path: P('traffic', 'mirror', 'duration') },
    traffic.policy && { ms: traffic.policy.duration, path: P('traffic', 'policy', 'duration') },
  ].filter((c): c is { ms: number; path: PathSegment[] } => Boolean(c));
  return candidates.sort((a, b) => a.ms - b.ms)[0];
}

/** Whether the traffic change sends any request to the canary subset. */
export function sendsTrafficToCanary(traffic: TrafficSpec, target: TargetSpec): boolean {
  const shift = traffic.shift;
  if (shift?.stepWeight !== undefined) return true;
  if (shift?.steps?.some((w) => w > 0)) return true;
  if (traffic.match) return true;
  return traffic.fault?.subset === target.canary;
}

const shiftRules: Rule = ({ spec, valid }) => {
  const shift = valid.has('traffic') ? spec.traffic?.shift : undefined;
  if (!shift) return [];
  const out: RuleProblem[] = [];
  const at = (...k: PathSegment[]) => P('traffic', 'shift', ...k);
  if (shift.steps && shift.stepWeight !== undefined) {
    out.push({
      path: at('stepWeight'),
      message: 'give either steps or stepWeight, not both',
      hint: 'steps lists every canary weight; stepWeight (with maxWeight) adds the same amount at each step',
      pointAt: 'key',
    });
  }
  if (!shift.steps && shift.stepWeight === undefined) {
    out.push({ path: at(), message: 'a shift needs steps or stepWeight', hint: 'e.g. "steps: [10, 50, 100]" or "stepWeight: 20"' });
  }
  shift.steps?.forEach((w, i) => {
    const before = shift.steps![i - 1];
    if (before !== undefined && w < before) {
      out.push({
        path: at('steps', i),
        message: `steps must not decrease: ${w} comes after ${before}`,
        hint: 'list the canary weights in increasing order, e.g. [5, 25, 50, 100]',
      });
    }
  });
  // Route weights are integers in Istio, the Gateway API and the local mesh: a fractional one
  // would be refused by the mesh at the step that applies it, after the run changed the route.
  const fractional = (w: number | undefined) => w !== undefined && !Number.isInteger(w);
  const whole = (w: number) => ({ message: `canary weights are whole percentages (route weights are integers), got ${w}`, hint: `e.g. ${Math.max(1, Math.round(w))}` });
  shift.steps?.forEach((w, i) => {
    if (fractional(w)) out.push({ path: at('steps', i), ...whole(w) });
  });
  for (const key of ['stepWeight', 'maxWeight'] as const) if (fractional(shift[key])) out.push({ path: at(key), ...whole(shift[key]!) });
  // With whole weights of at most 100, only an explicit list can be longer than the limit.
  if (shift.steps && shiftStepCount(shift) > MAX_SHIFT_STEPS) {
    out.push({ path: at('steps'), message: `the shift lists ${shift.steps.length.toLocaleString('en-US')} steps, more than the ${MAX_SHIFT_STEPS.toLocaleString('en-US')} allowed`, hint: 'list fewer canary weights' });
  }
  if (shift.maxWeight !== undefined && shift.steps) {
    out.push({ path: at('maxWeight'), message: 'maxWeight applies only with stepWeight', hint: 'with steps, the last entry is the last weight', pointAt: 'key' });
  } else if (shift.maxWeight !== undefined && shift.stepWeight !== undefined && shift.maxWeight < shift.stepWeight) {
    out.push({
      path: at('maxWeight'),
      message: `maxWeight (${shift.maxWeight}) is below stepWeight (${shift.stepWeight}), so no step could be taken`,
      hint: 'raise maxWeight or lower stepWeight',
    });
  }
  return out;
};

/** Defaults of the fields an attached run does not use (a value other than these was written on purpose). */
const IN_PROCESS_DEFAULTS = { listen: '127.0.0.1:0', admin: '127.0.0.1:0' } as const;

const attachRules: Rule = ({ spec, valid }) => {
  const local = valid.has('local') ? spec.local : undefined;
  if (!local || (valid.has('target') && spec.target?.provider !== 'local')) return [];
  if (local.attach === undefined) {
    if (local.manifests) return [];
    return [{
      path: P('local'),
      message: 'needs manifests (the Istio YAML the local mesh serves) or attach (the admin URL of a running `mesh-exp mesh`)',
      hint: 'add "manifests: [./istio/]", or "attach: http://127.0.0.1:15020" to act on a running mesh',
      pointAt: 'key',
    }];
  }
  const unused = (key: string, why: string): RuleProblem => ({
    path: P('local', key),
    message: `not used with local.attach: ${why}`,
    hint: `remove local.${key}, or remove local.attach to start a mesh in-process`,
    pointAt: 'key',
  });
  const out: RuleProblem[] = [];
  if (local.manifests) out.push(unused('manifests', 'the VirtualServices and DestinationRules come from the running mesh'));
  if (local.backends.length) out.push(unused('backends', 'the running mesh has its own backends'));
  for (const key of ['listen', 'admin'] as const) {
    if (local[key] !== IN_PROCESS_DEFAULTS[key]) out.push(unused(key, 'the running mesh has its own addresses (its proxy URL is read from the attach URL\'s /info)'));
  }
  return out;
};

const loadRules: Rule = ({ spec, valid, written }) => {
  if (!valid.has('load') || !spec.load) return [];
  const load: LoadSpec = spec.load;
  const out: RuleProblem[] = [];
  const provider = valid.has('target') ? spec.target?.provider : undefined;
  if (provider === 'local' && load.url !== undefined) {
    out.push({
      path: P('load', 'url'),
      message: 'not used with provider local: requests go through the local mesh',
      hint: 'remove load.url; load.host sets the Host header (default target.host)',
      pointAt: 'key',
    });
  }
  // An attached mesh may carry other clients' traffic; the in-process one has none but ours.
  const attached = valid.has('local') && spec.local?.attach !== undefined;
  if (provider === 'local' && load.generator === 'none' && !attached) {
    out.push({ path: P('load', 'generator'), message: 'the local mesh has no live traffic, so generator none would send nothing', hint: 'use generator builtin, vegeta or k6' });
  }
  if (load.script !== undefined && load.generator !== 'k6') {
    out.push({ path: P('load', 'script'), message: `only generator k6 runs a script; generator ${load.generator} would ignore it`, hint: 'set load.generator: k6, or remove load.script', pointAt: 'key' });
  }
  if (provider !== undefined && provider !== 'local' && load.generator !== 'none' && load.url === undefined && load.distributed === undefined) {
    out.push({
      path: P('load', 'url'),
      message: `required with provider ${provider}: the address requests are sent to`,
      hint: 'set load.url to the ingress gateway, e.g. through "kubectl port-forward": http://127.0.0.1:8080/',
    });
  }
  // Header names ignore case: "X-User" and "x-user" are one header, and only one value would be sent.
  const headerMaps: [Record<string, string>, PathSegment[]][] = [[load.headers, ['load', 'headers']]];
  (load.requests ?? []).forEach((r, i) => r.headers && headerMaps.push([r.headers, ['load', 'requests', i, 'headers']]));
  for (const [headers, at] of headerMaps) {
    const seen = new Map<string, string>();
    for (const name of Object.keys(headers)) {
      const first = seen.get(name.toLowerCase());
      if (first === undefined) seen.set(name.toLowerCase(), name);
      else out.push({ path: P(...at, name), message: `the same header as "${first}" (header names ignore case)`, hint: 'keep one of them', pointAt: 'key' });
    }
  }
  const step = valid.has('traffic') && spec.traffic ? stepDurationOf(spec.traffic) : undefined;
  if (load.duration !== undefined && step && load.duration > step.ms) {
    out.push({
      path: P('load', 'duration'),
      message: `load runs ${formatDuration(load.duration)}, longer than the step (${formatDuration(step.ms)}, ${formatPath(step.path)})`,
      hint: 'load runs inside each step: shorten load.duration or lengthen the step',
    });
  }
  const window = step && (load.duration !== undefined && load.duration < step.ms ? { ms: load.duration, path: P('load', 'duration') } : step);
  out.push(...loadStagesRules(load, (written as { load?: unknown } | undefined)?.load, window));
  return out;
};

function sloSignature(slo: SloSpec): string {
  if (slo.kind === 'latency') return `${slo.kind} ${slo.percentile} of the ${slo.subject}`;
  if (slo.kind === 'prometheus') return `prometheus ${slo.builtin ?? JSON.stringify(slo.query)} of the ${slo.subject}`;
  if (slo.kind === 'relative-latency' || slo.kind === 'relative-error-rate') return `${slo.kind} of canary vs stable`;
  if (slo.kind === 'response-flag') return `response-flag ${slo.flag} of the ${slo.subject}`;
  return `${slo.kind} of the ${slo.subject}`;
}

const sloRules: Rule = ({ spec, valid }) => {
  if (!valid.has('slos') || !spec.slos) return [];
  const slos = spec.slos;
  const out: RuleProblem[] = [];
  const names = new Map<string, number>();
  const unnamed = new Map<string, number>();
  slos.forEach((slo, i) => {
    if (slo.name !== undefined) {
      const first = names.get(slo.name);
      if (first === undefined) names.set(slo.name, i);
      else out.push({ path: P('slos', i, 'name'), message: `duplicate SLO name "${slo.name}" (also ${formatPath(P('slos', first))})`, hint: 'give each SLO its own name' });
    } else {
      const sig = sloSignature(slo);
      const first = unnamed.get(sig);
      if (first === undefined) unnamed.set(sig, i);
      else out.push({ path: P('slos', i), message: `judges the same as ${formatPath(P('slos', first))} (${sig})`, hint: 'remove one, or name them to keep both' });
    }
  });
  const target = valid.has('target') ? spec.target : undefined;
  const traffic = valid.has('traffic') ? spec.traffic : undefined;
  if (target && traffic && !sendsTrafficToCanary(traffic, target)) {
    slos.forEach((slo, i) => {
      if (slo.kind === 'relative-latency' || slo.kind === 'relative-error-rate') {
        out.push({
          path: P('slos', i, 'kind'),
          message: `${slo.kind} compares the canary with the stable, but the traffic change sends no requests to the canary`,
          hint: 'use an absolute SLO (latency, error-rate) with "subject: all" for a fault or mirror experiment',
        });
        return;
      }
      if (slo.subject !== 'canary') return;
      // The mesh's own metrics do see mirrored requests (reporter="destination" at the mirror).
      if (slo.kind === 'prometheus' && traffic.mirror?.subset === target.canary) return;
      out.push({
        path: P('slos', i, 'subject'),
        message: 'judges the canary, but the traffic change sends no requests to the canary',
        hint: 'set "subject: all" (or stable) for a fault or mirror experiment, or add a shift or match that routes to the canary',
      });
    });
  }
  return out;
};

const prometheusRules: Rule = ({ spec, valid }) => {
  if (!valid.has('slos') || !spec.slos || !valid.has('metrics')) return [];
  const out: RuleProblem[] = [];
  const prometheus = spec.metrics?.prometheus;
  spec.slos.forEach((slo, i) => {
    if (slo.kind !== 'prometheus') return;
    if (!prometheus) {
      out.push({
        path: P('slos', i, 'kind'),
        message: 'a prometheus SLO needs spec.metrics.prometheus (where Prometheus is)',
        hint: 'add "metrics: { prometheus: { address: http://127.0.0.1:9090 } }" under spec',
      });
    }
    const unknown = slo.query === undefined ? [] : unknownTemplateNames(slo.query);
    if (unknown.length) {
      out.push({
        path: P('slos', i, 'query'),
        message: `unknown template variable${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `{{ ${n} }}`).join(', ')}`,
        hint: `known: ${TEMPLATE_VARIABLES.map((n) => `{{ ${n} }}`).join(', ')}`,
      });
    }
  });
  const unknownInWorkload = prometheus ? unknownTemplateNames(prometheus.workload).filter((n) => n === 'target' || !TEMPLATE_VARIABLES.includes(n as never)) : [];
  if (unknownInWorkload.length) {
    out.push({
      path: P('metrics', 'prometheus', 'workload'),
      message: `cannot use ${unknownInWorkload.map((n) => `{{ ${n} }}`).join(', ')} here`,
      hint: 'the workload name may use {{ service }}, {{ version }}, {{ namespace }}, {{ stable }} and {{ canary }}',
    });
  }
  return out;
};

const RULES: readonly Rule[] = [targetRules, providerRules, attachRules, shiftRules, loadRules, loadDistributedRules, sloRules, prometheusRules, meshSloRules, sequentialRules];

/** Runs every rule that does not need the manifests. */
export function checkRules(input: RuleInput): RuleProblem[] {
  return RULES.flatMap((rule) => rule(input));
}
