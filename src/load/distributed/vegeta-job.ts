/**
 * Generator vegeta, distributed: a ConfigMap holding the step's one vegeta JSON target, and an
 * indexed Job of `replicas` pods (completions = parallelism = replicas, backoffLimit 0, deadline
 * bounded by the step). Each pod runs
 *
 *   vegeta attack -format=json -targets=/etc/mesh-exp/targets.json -rate=<rate/replicas>
 *     -duration=<load>ms -timeout=<timeout>ms -max-body=0 -prometheus-addr=0.0.0.0:8880
 *     -name=<job>-$(JOB_COMPLETION_INDEX) -output=/dev/null
 *
 * and exposes vegeta's own metrics (request_seconds, request_bytes_in/out, by method, url and
 * status) on port 8880 for the cluster's Prometheus, announced by the prometheus.io/scrape,
 * /port and /path pod annotations. Without a shell: the image needs only `vegeta` on PATH.
 */
import { vegetaRate, vegetaTargetLine } from '../vegeta/vegeta-target.js';
import { deadlineSeconds, podResources } from './pod-resources.js';
import { podMetadata, stepMetadata } from './step-meta.js';
import { type ClusterObject, type DistributedBuilder, type DistributedStepInput, loadObjectRbac, VEGETA_METRICS_PORT } from './types.js';

/** Where the ConfigMap with the targets is mounted in the pods. */
export const TARGETS_DIR = '/etc/mesh-exp';
/** The targets file's name in the ConfigMap. */
export const TARGETS_FILE = 'targets.json';

/** After the pods end, the Job lingers this long before Kubernetes deletes it (a net under mesh-exp's own delete), s. */
const TTL_AFTER_FINISHED_SECONDS = 300;

/** The vegeta command line of each pod (`$(JOB_COMPLETION_INDEX)` is expanded by the kubelet). */
export function vegetaPodArgs(input: DistributedStepInput): string[] {
  const { plan, spec, name } = input;
  return [
    'attack',
    '-format=json',
    `-targets=${TARGETS_DIR}/${TARGETS_FILE}`,
    `-rate=${vegetaRate(plan.rate / spec.replicas)}`,
    `-duration=${plan.durationMs}ms`,
    `-timeout=${plan.timeoutMs}ms`,
    '-max-body=0',
    `-prometheus-addr=0.0.0.0:${VEGETA_METRICS_PORT}`,
    `-name=${name}-$(JOB_COMPLETION_INDEX)`,
    '-output=/dev/null',
  ];
}

/** Builds the ConfigMap and the indexed Job of one step. */
export function buildVegetaJob(input: DistributedStepInput): ClusterObject[] {
  const { name, spec } = input;
  const metadata = stepMetadata(input);
  const configMap: ClusterObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { [TARGETS_FILE]: vegetaTargetLine(input.plan) } };
  const resources = podResources(spec);
  const job: ClusterObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata,
    spec: {
      completionMode: 'Indexed',
      completions: spec.replicas,
      parallelism: spec.replicas,
      // A failed pod is not retried: its share of the step's load cannot be sent again on time.
      backoffLimit: 0,
      activeDeadlineSeconds: deadlineSeconds(input.stepMs),
      ttlSecondsAfterFinished: TTL_AFTER_FINISHED_SECONDS,
      template: {
        metadata: podMetadata(input, { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(VEGETA_METRICS_PORT), 'prometheus.io/path': '/metrics' }),
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'vegeta',
              image: spec.image,
              command: ['vegeta'],
              args: vegetaPodArgs(input),
              ports: [{ name: 'metrics', containerPort: VEGETA_METRICS_PORT }],
              ...(resources ? { resources } : {}),
              volumeMounts: [{ name: 'targets', mountPath: TARGETS_DIR, readOnly: true }],
            },
          ],
          volumes: [{ name: 'targets', configMap: { name } }],
        },
      },
    },
  };
  return [configMap, job];
}

/** The builder registered as "vegeta". */
export function createVegetaJobBuilder(): DistributedBuilder {
  return { generator: 'vegeta', build: buildVegetaJob, rbac: loadObjectRbac({ group: 'batch', plural: 'jobs' }) };
}
