/**
 * Rules of the mesh-view SLOs (response-flag, ejections, retry-success-rate):
 * - They need someone to read the mesh: provider local reads its mesh's admin (in-process or
 *   attached); the cluster providers (istio, gateway-api) need spec.metrics.prometheus.
 * - A response flag given before any upstream host is chosen (UO, UH, NR, FI, ...) never carries
 *   a destination version, so subject canary or stable would count nothing and always pass:
 *   refused, with subject "all" as the hint. So are UT, UF and UC with provider local, whose mesh
 *   answers them itself without a version.
 */
import { MESH_VIEW_KINDS } from './mesh-slo-schema.js';
import { FLAGS_BEFORE_A_HOST, FLAGS_LOCAL_ANSWERS, RESPONSE_FLAGS } from './response-flags.js';
import type { RuleInput, RuleProblem } from './rule-types.js';

/** The problems of the mesh-view SLOs of a spec. */
export function meshSloRules({ spec, valid }: RuleInput): RuleProblem[] {
  if (!valid.has('slos') || !spec.slos) return [];
  const out: RuleProblem[] = [];
  const provider = valid.has('target') ? spec.target?.provider : undefined;
  const cluster = provider !== undefined && provider !== 'local';
  const noPrometheus = valid.has('metrics') && spec.metrics?.prometheus === undefined;
  spec.slos.forEach((slo, i) => {
    if (!MESH_VIEW_KINDS.has(slo.kind)) return;
    if (cluster && noPrometheus) {
      out.push({
        path: ['spec', 'slos', i, 'kind'],
        message: `${/^[aeiou]/.test(slo.kind) ? 'an' : 'a'} ${slo.kind} SLO reads the mesh's own metrics, and with provider ${provider} only Prometheus has them`,
        hint: 'add "metrics: { prometheus: { address: http://prometheus.istio-system:9090 } }" under spec (Envoy cluster stats also need Istio\'s proxyStatsMatcher; see README, SLO reference)',
      });
    }
    if (slo.kind !== 'response-flag' || slo.subject === 'all') return;
    const what = `${slo.flag} (${RESPONSE_FLAGS[slo.flag]})`;
    const hint = 'set "subject: all" (the share among all requests to the target host)';
    if (FLAGS_BEFORE_A_HOST.has(slo.flag)) {
      out.push({ path: ['spec', 'slos', i, 'subject'], message: `${what} is given before any ${slo.subject} endpoint is chosen, so the mesh never files it under a version: this check would count nothing`, hint });
    } else if (!cluster && FLAGS_LOCAL_ANSWERS.has(slo.flag)) {
      out.push({ path: ['spec', 'slos', i, 'subject'], message: `the local mesh answers ${what} itself and files that answer under no version: this check would count nothing`, hint });
    }
  });
  return out;
}
