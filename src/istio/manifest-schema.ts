/**
 * The checks mesh-exp makes on the Istio objects it reads (VirtualService, DestinationRule). They
 * are loose on purpose: the user owns these objects and Istio validates them in the cluster; we
 * check what mesh-exp relies on (identity, hosts, subsets, routes, weights) and keep every other
 * field untouched.
 */
import { z } from 'zod';

/** API versions of networking.istio.io that mesh-exp reads. */
export const ISTIO_API_VERSIONS = ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'] as const;

/** Kinds mesh-exp reads from manifests. */
export const ISTIO_KINDS = ['VirtualService', 'DestinationRule'] as const;

const objectMeta = z
  .looseObject({
    name: z.string().min(1).describe('Name of the object.'),
    namespace: z.string().min(1).optional().describe('Namespace of the object. @default "default"'),
  })
  .describe('Kubernetes object metadata.');

const destination = z
  .looseObject({
    host: z.string().min(1).describe('Destination service host.'),
    subset: z.string().min(1).optional().describe('Subset of the host, as named in a DestinationRule.'),
  })
  .describe('Istio Destination.');

const routeDestination = z
  .looseObject({
    destination,
    weight: z.number().int().min(0).optional().describe('Relative weight; omitted counts as 0 (or 100% when alone).'),
  })
  .describe('Istio HTTPRouteDestination.');

const httpRoute = z
  .looseObject({
    name: z.string().optional().describe('Route name.'),
    match: z.array(z.record(z.string(), z.unknown())).optional().describe('Request matches (OR).'),
    route: z.array(routeDestination).optional().describe('Weighted destinations.'),
    mirror: destination.optional().describe('Mirror destination.'),
  })
  .describe('Istio HTTPRoute.');

/** The checked shape of a VirtualService. */
export const virtualServiceSchema = z.looseObject({
  apiVersion: z.enum(ISTIO_API_VERSIONS).describe('networking.istio.io version.'),
  kind: z.literal('VirtualService').describe('Object kind.'),
  metadata: objectMeta,
  spec: z
    .looseObject({
      hosts: z.array(z.string()).optional().describe('Hosts this VirtualService routes.'),
      http: z.array(httpRoute).optional().describe('HTTP routes, first match wins.'),
    })
    .describe('VirtualService spec.'),
});

/** The checked shape of a DestinationRule. */
export const destinationRuleSchema = z.looseObject({
  apiVersion: z.enum(ISTIO_API_VERSIONS).describe('networking.istio.io version.'),
  kind: z.literal('DestinationRule').describe('Object kind.'),
  metadata: objectMeta,
  spec: z
    .looseObject({
      host: z.string().min(1).describe('Service host the rule applies to.'),
      subsets: z
        .array(
          z.looseObject({
            name: z.string().min(1).describe('Subset name, referenced from VirtualService destinations.'),
            labels: z.record(z.string(), z.string()).optional().describe('Pod labels selecting the subset.'),
          }),
        )
        .optional()
        .describe('Named subsets.'),
    })
    .describe('DestinationRule spec.'),
});

/** Head of any manifest: checked first, so a wrong kind is reported as such and nothing more. */
export const manifestHeadSchema = z.looseObject({
  apiVersion: z.enum(ISTIO_API_VERSIONS).describe('networking.istio.io version.'),
  kind: z.enum(ISTIO_KINDS).describe('Object kind.'),
});
