/**
 * The data `mesh-exp plan` prints (and emits with --output json): per step its label, state,
 * rendered VirtualService and diff against the current one. Pure.
 */
import type { JsonPatchOp } from '../kube/custom-objects.js';
import type { VirtualService } from '../istio/types.js';
import type { PlannedStep, StepPlan } from './steps.js';
import type { Experiment } from '../spec/schema.js';
import { formatDuration } from '../spec/units.js';
import type { TargetRoute } from '../traffic/target-route.js';
import type { TrafficState } from '../traffic/types.js';

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
  /** The VirtualService as the step would apply it. */
  virtualService: VirtualService;
  /** Unified YAML diff against the current VirtualService. */
  diff: string;
  /** The exact JSON patch the step sends (provider istio, planned against the live cluster). @default absent */
  patch?: JsonPatchOp[];
}

/** The whole plan as printed. */
export interface PlanView {
  /** Experiment name. */
  name: string;
  /** One line: steps, load, provider. */
  headline: string;
  /** One line: the VirtualService, route and subsets. */
  target: string;
  /** Steps in order. */
  steps: PlanStepView[];
  /** The promotion (shift with promote: true), else null. */
  promotion: { state: TrafficState; virtualService: VirtualService; diff: string; patch?: JsonPatchOp[] } | null;
  /** The JSON patch of a restore after the last step (provider istio). @default absent */
  restorePatch?: JsonPatchOp[];
}

/** Builds the plan view from the plan, the current VirtualService and a renderer/differ. */
export function buildPlanView(
  experiment: Experiment,
  plan: StepPlan,
  current: VirtualService,
  route: TargetRoute,
  render: (state: TrafficState) => VirtualService,
  diff: (a: VirtualService, b: VirtualService, label: string) => string,
): PlanView {
  const { target, load } = experiment.spec;
  const step = (s: PlannedStep): PlanStepView => {
    const vs = render(s.state);
    return {
      index: s.index,
      label: s.label,
      durationMs: s.durationMs,
      loadDurationMs: s.loadDurationMs,
      state: s.state,
      virtualService: vs,
      diff: diff(current, vs, `step ${s.index + 1}`),
    };
  };
  const total = plan.steps.reduce((sum, s) => sum + s.durationMs, 0);
  const loadText = load.generator === 'none' ? 'live traffic (no load generated)' : `${load.rate} req/s (${load.generator})`;
  const promoted = plan.promote ? render(plan.promotionState) : undefined;
  return {
    name: experiment.metadata.name,
    headline: `${plan.steps.length} step(s), ${formatDuration(total)} in all, load ${loadText}, provider ${target.provider}`,
    target: `VirtualService ${target.namespace}/${target.virtualService}, route ${route.route.name ? `"${route.route.name}"` : `#${route.index}`}, ${target.host} ${target.stable} → ${target.canary}`,
    steps: plan.steps.map(step),
    promotion: promoted ? { state: plan.promotionState, virtualService: promoted, diff: diff(current, promoted, 'promoted') } : null,
  };
}
