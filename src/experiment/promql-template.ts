/**
 * Query templating in Flagger's syntax: `{{ name }}` (spaces optional) is replaced by the variable's
 * value. Values are inserted as they are — they come from the experiment file, which the user
 * owns, and label values there are quoted by the query itself.
 */

/** The variables every query gets, per version judged. */
export interface QueryVariables {
  /** Namespace of the target (spec.target.namespace). */
  namespace: string;
  /** The workload serving the judged version, e.g. "reviews-v2" (spec.metrics.prometheus.workload rendered). */
  target: string;
  /** The judged version (subset), e.g. "v2". */
  version: string;
  /** The stable subset. */
  stable: string;
  /** The canary subset. */
  canary: string;
  /** The service host (spec.target.host). */
  service: string;
  /** The step's window as a Prometheus duration, e.g. "10s". */
  interval: string;
}

/** Names a template may use. */
export const TEMPLATE_VARIABLES: readonly (keyof QueryVariables)[] = ['namespace', 'target', 'version', 'stable', 'canary', 'service', 'interval'];

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g;

/** The placeholder names a template uses, in order of first use. */
export function templateNames(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** Names used by `template` that are not variables (for validation). */
export function unknownTemplateNames(template: string): string[] {
  return templateNames(template).filter((n) => !(TEMPLATE_VARIABLES as readonly string[]).includes(n));
}

/** Renders a template; an unknown name is left as is (validation reports it before a run). */
export function renderQuery(template: string, vars: QueryVariables): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => (Object.hasOwn(vars, name) ? String(vars[name as keyof QueryVariables]) : whole));
}

/** A window in ms as a Prometheus duration, rounded up to whole seconds (at least 1s). */
export function promDuration(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1000))}s`;
}
