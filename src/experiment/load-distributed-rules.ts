/**
 * Cross-field rules of `load.distributed` (see rules.ts for the contract):
 * - only with providers istio and gateway-api (the load runs in the cluster the provider acts on);
 * - only with generators vegeta (an indexed Job) and k6 (a k6-operator TestRun);
 * - generator vegeta needs `image`: mesh-exp cannot vouch for a public vegeta image;
 * - each pod sends at least 1 request per second (load.rate / replicas), else the pods mostly idle
 *   and the per-pod schedule rounds badly;
 * - the run is judged on Prometheus (Istio's per-version metrics, the pods' vegeta metrics): no
 *   request passes through this process, so `metrics.prometheus` is required, and SLOs or abort
 *   conditions judged on this process's own samples are refused (they could only say "no data");
 * - the pods run one request at a constant rate: `stages`, `requests` and `data` are refused rather
 *   than silently dropped from the pods' load (not built for distributed load yet).
 */
import { MESH_VIEW_KINDS } from './mesh-slo-schema.js';
import type { PathSegment } from '../input/locate.js';
import type { RuleInput, RuleProblem } from './rule-types.js';

const P = (...rest: PathSegment[]): PathSegment[] => ['spec', 'load', 'distributed', ...rest];

/** Problems of `load.distributed` with the target and the rest of the load section. */
export function loadDistributedRules({ spec, valid }: RuleInput): RuleProblem[] {
  const d = valid.has('load') ? spec.load?.distributed : undefined;
  if (!d || !spec.load) return [];
  const out: RuleProblem[] = [];
  const provider = valid.has('target') ? spec.target?.provider : undefined;
  if (provider !== undefined && provider !== 'istio' && provider !== 'gateway-api') {
    out.push({ path: P(), message: `needs provider istio or gateway-api (the load runs in the cluster), not ${provider}`, hint: 'remove load.distributed, or act on a cluster with target.provider: istio', pointAt: 'key' });
  }
  const { generator, rate } = spec.load;
  if (generator !== 'vegeta' && generator !== 'k6') {
    out.push({ path: P(), message: `needs load.generator vegeta (an indexed Job) or k6 (a k6-operator TestRun), not ${generator}`, hint: 'set load.generator: vegeta', pointAt: 'key' });
  }
  if (generator === 'vegeta' && d.image === undefined) {
    out.push({ path: P(), message: 'image is required with generator vegeta: an image with vegeta v12.13.0 or later on PATH', hint: 'add "image: <registry>/vegeta:12.13.0" (build it from vegeta\'s own Dockerfile)', pointAt: 'key' });
  }
  // The Job's pods and the TestRun's script run one request at load.rate: a ramp, named requests or
  // data rows would be silently dropped, so they are refused until the pods carry them.
  for (const field of ['stages', 'requests', 'data'] as const) {
    if (spec.load[field] !== undefined) {
      out.push({ path: ['spec', 'load', field], message: `is not supported with load.distributed yet: the pods send one request at a constant load.rate`, hint: `remove load.${field}, or load.distributed to run it from this machine`, pointAt: 'key' });
    }
  }
  if (spec.load.stages === undefined && rate / d.replicas < 1) {
    out.push({ path: P('replicas'), message: `${d.replicas} pods at load.rate ${rate} would send ${+(rate / d.replicas).toFixed(3)} requests per second each, below 1`, hint: `use at most ${Math.max(1, Math.floor(rate))} replicas, or raise load.rate` });
  }
  if (valid.has('metrics') && spec.metrics?.prometheus === undefined) {
    out.push({ path: P(), message: 'needs spec.metrics.prometheus: the run is judged on the metrics the cluster\'s Prometheus scrapes', hint: 'add metrics: {prometheus: {address: http://prometheus.istio-system:9090}}', pointAt: 'key' });
  }
  if (valid.has('slos')) {
    (spec.slos ?? []).forEach((slo, i) => {
      // The mesh-view kinds are measured by Prometheus in a cluster, whoever sends the load.
      if (slo.kind !== 'prometheus' && !MESH_VIEW_KINDS.has(slo.kind)) out.push({ path: ['spec', 'slos', i, 'kind'], message: `kind ${slo.kind} judges the requests this process sends, and with load.distributed it sends none`, hint: 'use kind prometheus (builtin request-success-rate or request-duration), or a mesh-view kind (response-flag, ejections, retry-success-rate)' });
    });
  }
  if (valid.has('analysis') && spec.analysis?.abortWhen.length) {
    out.push({ path: ['spec', 'analysis', 'abortWhen'], message: 'early abort reads the requests this process sends, and with load.distributed it sends none', hint: 'remove analysis.abortWhen', pointAt: 'key' });
  }
  return out;
}
