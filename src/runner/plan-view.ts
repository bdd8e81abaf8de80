/**
 * The data `mesh-exp plan` prints (and emits with --output json): per step its label, state,
 * rendered object (VirtualService, or HTTPRoute with provider gateway-api) and diff against the
 * current one, from the plan the provider computed (see TrafficPlan). Pure.
 */
import type { JsonPatchOp } from '../kube/custom-objects.js';
import type { PlannedStep, StepPlan } from '../experiment/step-plan.js';
import type { Experiment, SloSpec } from '../experiment/schema.js';
import { sequentialAlpha } from '../experiment/sequential-rules.js';
import { DEFAULT_NON_INFERIORITY } from '../experiment/sequential-schema.js';
import { checkName } from '../analysis/evaluate.js';
import { formatPercentPrecise, formatPoints } from '../analysis/format.js';
import { formatDuration } from '../input/units.js';
import { describeRate, loadRateOf } from '../load/rate-profile.js';
import { describeTarget } from '../traffic/target-object.js';
import { diffVirtualService } from '../traffic/diff.js';
import type { PlannedChange, RoutingObject, TrafficPlan, TrafficState } from '../traffic/types.js';
import { createDefaultDistributedRegistry } from '../load/distributed/registry.js';
import { distributedLoadPlan, distributedStepInput } from '../load/distributed/step-input.js';
import type { ClusterObject } from '../load/distributed/types.js';

/** One step of the plan. */
export interface PlanStepView {
  /** 0-based index. */
  index: number;
  /** Label, e.g. "canary 20%". */
  label: string;
  /** Step length, ms. */
  durationMs: number;
  /** Load length in the step, ms. */
  loadDurationMs: number;
  /** Managed state applied. */
  state: TrafficState;
  /** The object (VirtualService or HTTPRoute) as the step would apply it. */
  object: RoutingObject;
  /** Unified YAML diff against the current object. */
  diff: string;
  /** The exact JSON patch the step sends (providers istio and gateway-api, planned against the live cluster). @default absent */
  patch?: JsonPatchOp[];
  /** The exact JSON patch the step sends to the DestinationRule of traffic.policy (istio, gateway-api). @default absent */
  policyPatch?: JsonPatchOp[];
}

/** The whole plan as printed. */
export interface PlanView {
  /** Experiment name. */
  name: string;
  /** One line: steps, load, provider. */
  headline: string;
  /** Kind of the object planned against. */
  kind: RoutingObject['kind'];
  /** One line: the object, route and versions. */
  target: string;
  /** One line: how steps are judged (analysis.mode), and with mode sequential which SLOs are tested every second. */
  analysis: string;
  /**
   * The DestinationRule `traffic.policy` changes ("namespace/name", local providers) and the unified
   * YAML diff against it now of each step and of the promotion ("" for no change). @default absent (no policy)
   */
  destinationRule?: { name: string; steps: string[]; promotion?: string };

  /** Steps in order. */
  steps: PlanStepView[];
  /** The promotion (shift with promote: true), else null. */
  promotion: { state: TrafficState; object: RoutingObject; diff: string; patch?: JsonPatchOp[]; policyPatch?: JsonPatchOp[] } | null;
  /** The JSON patch of a restore after the last step (Kubernetes providers). @default absent */
  restorePatch?: JsonPatchOp[];
  /** The DestinationRule traffic.policy changes and the patch restoring it (istio, gateway-api). @default absent */
  policy?: { rule: string; restorePatch: JsonPatchOp[] };
  /**
   * `load.distributed`: the objects step 1 creates (each step creates its own, named `-<step>`,
   * and deletes them when its load ends), without the ownership mark the run adds. @default absent
   */
  distributed?: ClusterObject[];
}

/** The objects of step 1's distributed load, named with the placeholder run id "runid". */
export function distributedPreview(experiment: Experiment, plan: StepPlan): ClusterObject[] | undefined {
  const { load } = experiment.spec;
  const first = plan.steps[0];
  if (!load.distributed || load.generator === 'none' || !first) return undefined;
  const builder = createDefaultDistributedRegistry().get(load.generator)();
  return builder.build({ ...distributedStepInput(experiment, 'runid', distributedLoadPlan(experiment, first.loadDurationMs), 0), annotations: {} });
}

/** ", 2 requests (read ×4, write ×1), data users.csv (round-robin)" for a scripted load; "" otherwise. */
export function describeScenario(load: Experiment['spec']['load']): string {
  const requests = load.requests ? `, ${load.requests.length} request(s) (${load.requests.map((r) => `${r.name} ×${r.weight}`).join(', ')})` : '';
  const data = load.data ? `, data ${load.data.file} (${load.data.order})` : '';
  return requests + data;
}

/** "fixed: …" or "sequential: <SLOs> tested every second[, <prometheus SLOs> on Prometheus's counters every 15s]; …": how the experiment's steps are judged. */
export function describeAnalysis(experiment: Experiment): string {
  const { analysis, slos } = experiment.spec;
  if (analysis.mode === 'fixed') return 'fixed (each SLO judged once over each step)';
  const tested = slos.flatMap((s) => {
    const alpha = sequentialAlpha(s, analysis);
    return alpha === undefined ? [] : [{ text: `${checkName(s)} (α ${formatPercentPrecise(alpha)})`, polled: s.kind === 'prometheus' }];
  });
  // The prometheus built-ins are read on Prometheus's counters, once per its scrape interval.
  const every = tested.filter((t) => !t.polled).map((t) => t.text);
  const polled = tested.filter((t) => t.polled).map((t) => t.text);
  const scrape = experiment.spec.metrics?.prometheus?.scrapeInterval;
  const names = [
    ...(every.length ? [`${every.join(', ')} tested every second`] : []),
    ...(polled.length ? [`${polled.join(', ')} on Prometheus's counters every ${scrape === undefined ? 'scrape' : formatDuration(scrape)}`] : []),
  ].join(', ');
  const margins = analysis.nonInferiority ?? DEFAULT_NON_INFERIORITY;
  const early = analysis.promoteEarly
    ? `; promoteEarly: ends a step once every test is certain of non-inferiority (error rate within ${formatPoints(margins.errorRate)}, latency within ${formatPercentPrecise(margins.latency)} slower)`
    : '';
  const others = slos.length > tested.length ? "; the other SLOs judged at the step's end" : '';
  return `sequential: ${names}; a certain regression stops the step and rolls back${early}${others}`;
}

/** Builds the plan view from the step plan and what the provider planned for it (`traffic`: one change per step, in order). */
export function buildPlanView(experiment: Experiment, plan: StepPlan, traffic: TrafficPlan): PlanView {
  const { target, load } = experiment.spec;
  const { current } = traffic;
  const diff = (after: RoutingObject, label: string) => diffVirtualService(current, after, { afterLabel: label });
  const step = (s: PlannedStep, change: PlannedChange): PlanStepView => ({
    index: s.index,
    label: s.label,
    durationMs: s.durationMs,
    loadDurationMs: s.loadDurationMs,
    state: s.state,
    object: change.object,
    diff: diff(change.object, `step ${s.index + 1}`),
    ...(change.patch ? { patch: change.patch } : {}),
    ...(change.policyPatch ? { policyPatch: change.policyPatch } : {}),
  });
  const total = plan.steps.reduce((sum, s) => sum + s.durationMs, 0);
  const where = load.distributed ? `, from ${load.distributed.replicas} pod(s) in the cluster` : '';
  const loadText = load.generator === 'none' ? 'live traffic (no load generated)' : `${describeRate(loadRateOf(load))} (${load.generator}${where})${describeScenario(load)}`;
  const distributed = distributedPreview(experiment, plan);
  const promoted = plan.promote ? traffic.promotion : undefined;
  const rule = traffic.destinationRule;
  const ruleDiff = (change: PlannedChange | undefined, label: string) => (rule && change?.destinationRule ? diffVirtualService(rule, change.destinationRule, { afterLabel: label }) : '');
  return {
    ...(rule
      ? {
          destinationRule: {
            name: `${rule.metadata.namespace ?? target.namespace ?? 'default'}/${rule.metadata.name}`,
            steps: plan.steps.map((s, i) => ruleDiff(traffic.steps[i], `step ${s.index + 1}`)),
            ...(promoted ? { promotion: ruleDiff(promoted, 'promoted') } : {}),
          },
        }
      : {}),
    name: experiment.metadata.name,
    kind: current.kind,
    headline: `${plan.steps.length} step(s), ${formatDuration(total)} in all, load ${loadText}, provider ${target.provider}`,
    analysis: describeAnalysis(experiment),
    target: `${describeTarget(target)}, ${current.kind === 'HTTPRoute' ? 'rule' : 'route'} ${traffic.routeLabel}, ${target.host} ${target.stable} → ${target.canary}`,
    steps: plan.steps.map((s, i) => step(s, traffic.steps[i]!)),
    promotion: promoted
      ? { state: plan.promotionState, object: promoted.object, diff: diff(promoted.object, 'promoted'), ...(promoted.patch ? { patch: promoted.patch } : {}), ...(promoted.policyPatch ? { policyPatch: promoted.policyPatch } : {}) }
      : null,
    ...(traffic.restorePatch ? { restorePatch: traffic.restorePatch } : {}),
    ...(traffic.policy ? { policy: traffic.policy } : {}),
    ...(distributed ? { distributed } : {}),
  };
}
