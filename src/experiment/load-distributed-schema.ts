/**
 * `load.distributed`: load generated inside the cluster (providers istio and gateway-api) instead
 * of by this process — an indexed Job of vegeta pods (generator vegeta) or a k6-operator TestRun
 * (generator k6). The cross-field rules (provider, generator, rate per pod) are in
 * `load-distributed-rules.ts`.
 */
import { z } from 'zod';

/** Most pods one run may start: beyond this the API server and Prometheus are the bottleneck, not the load. */
export const MAX_DISTRIBUTED_REPLICAS = 1000;

/**
 * An image reference as the container runtime parses it: `[registry[:port]/]path[:tag][@digest]`,
 * lowercase path components (docker/distribution's reference grammar, without its length quirks).
 */
export const IMAGE_REFERENCE =
  // The first component is a registry only with a dot, a port or as "localhost" (as Docker decides).
  /^(?:(?:localhost|[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)+)(?::[0-9]+)?\/|[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?:[0-9]+\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$/;

/** A Kubernetes resource quantity (apimachinery's `resource.Quantity` syntax): "500m", "1", "256Mi", "1.5Gi", "2e3". */
export const QUANTITY = /^[+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

/** A DNS-1123 label: what Kubernetes accepts as a namespace name. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const quantity = (description: string) =>
  z.string().regex(QUANTITY, 'expected a Kubernetes quantity such as "500m", "1", "256Mi" or "1Gi"').describe(description);

const resourceList = (what: string) =>
  z
    .strictObject({
      cpu: quantity(`CPU ${what} per pod, e.g. "500m" (half a core). @default absent`).optional(),
      memory: quantity(`Memory ${what} per pod, e.g. "256Mi". @default absent`).optional(),
    })
    .describe(`CPU and memory ${what} of each load pod.`);


/** `load.distributed`: replicas, image, namespace, url, resources (see the field descriptions). */
export const loadDistributedSchema = z
  .strictObject({
    replicas: z
      .number()
      .int()
      .min(1)
      .max(MAX_DISTRIBUTED_REPLICAS)
      .describe('Pods sending load in parallel, 1 to 1000; each sends load.rate / replicas requests per second. Required.'),
    image: z
      .string()
      .max(512)
      .regex(IMAGE_REFERENCE, 'expected an image reference such as "registry.example.com/tools/vegeta:12.13.0"')
      .optional()
      .describe('Image of the load pods. Generator vegeta: required, an image with `vegeta` v12.13.0 or later on PATH (e.g. built from vegeta\'s own Dockerfile). Generator k6: the runner image. @default none for vegeta (required); for k6 the k6-operator\'s own runner image'),
    namespace: z
      .string()
      .max(63)
      .regex(DNS_LABEL, 'expected a namespace name (a DNS label: a-z, 0-9 and "-", at most 63 characters)')
      .optional()
      .describe('Namespace the Job (or TestRun) and its ConfigMap are created in. @default target.namespace'),
    url: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('URL the pods send to, as seen from inside the cluster. @default "http://<target.host>.<target.namespace>.svc.cluster.local<load.path>" (target.host as is when it has a dot)'),
    resources: z
      .strictObject({
        requests: resourceList('requested').optional(),
        limits: resourceList('limit').optional(),
      })
      .optional()
      .describe('Kubernetes resources of each load pod (requests and limits of cpu and memory). @default none (the namespace\'s defaults)'),
  })
  .describe('Send the load from inside the cluster (providers istio and gateway-api; generator vegeta: an indexed Job; k6: a k6-operator TestRun). Judged on Prometheus. @default absent (load from this process)');

/** `load.distributed` as parsed. */
export type LoadDistributedSpec = z.output<typeof loadDistributedSchema>;
