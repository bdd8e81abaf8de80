/**
 * The checks mesh-exp makes on the Istio objects it reads (VirtualService, DestinationRule, Gateway). They
 * are loose on purpose: the user owns these objects and Istio validates them in the cluster; we
 * check what mesh-exp relies on (identity, hosts, subsets, routes, weights) and keep every other
 * field untouched.
 */
import { z } from 'zod';

/** API versions of networking.istio.io that mesh-exp reads. */
export const ISTIO_API_VERSIONS = ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'] as const;

/** Kinds mesh-exp reads from manifests. */
export const ISTIO_KINDS = ['VirtualService', 'DestinationRule', 'Gateway'] as const;

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
    port: z
      .looseObject({ number: z.number().int().min(1).max(65535).optional().describe('Port of the destination service.') })
      .optional()
      .describe('Port of the destination; a TCP route without match.port listens on it. @default the service\'s one port'),
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

const tcpRoute = z
  .looseObject({
    match: z
      .array(
        z.looseObject({
          port: z.number().int().min(1).max(65535).optional().describe('Service (or gateway) port the connection is addressed to. @default any port'),
          gateways: z.array(z.string().min(1)).optional().describe('Gateways this match applies on (overrides spec.gateways). @default spec.gateways'),
        }),
      )
      .optional()
      .describe('Connection matches (OR). @default every connection'),
    route: z.array(routeDestination).min(1).optional().describe('Weighted destinations; one is drawn per connection.'),
  })
  .describe('Istio TCPRoute.');

/** The checked shape of a VirtualService. */
export const virtualServiceSchema = z.looseObject({
  apiVersion: z.enum(ISTIO_API_VERSIONS).describe('networking.istio.io version.'),
  kind: z.literal('VirtualService').describe('Object kind.'),
  metadata: objectMeta,
  spec: z
    .looseObject({
      hosts: z.array(z.string()).optional().describe('Hosts this VirtualService routes.'),
      gateways: z
        .array(z.string().min(1))
        .optional()
        .describe('Gateways the routes apply to: "name", "namespace/name", or "mesh" for the sidecars. @default ["mesh"]'),
      http: z.array(httpRoute).optional().describe('HTTP routes, first match wins.'),
      tcp: z.array(tcpRoute).optional().describe('TCP routes, first match wins (per connection).'),
    })
    .describe('VirtualService spec.'),
});

const gatewayServer = z
  .looseObject({
    port: z
      .looseObject({
        number: z.number().int().min(1).max(65535).describe('Port the gateway listens on (the local mesh maps it to a local port).'),
        protocol: z.string().min(1).describe('HTTP, HTTPS, GRPC, HTTP2, MONGO, TCP or TLS (the local mesh serves HTTP and TCP).'),
        name: z.string().optional().describe('Port name. @default none'),
      })
      .describe('Gateway port.'),
    hosts: z.array(z.string().min(1)).min(1).describe('Hosts exposed on the port: "host", "*.suffix", "*", optionally "namespace/host".'),
  })
  .describe('Istio Gateway Server.');

/** The checked shape of a Gateway. */
export const gatewaySchema = z.looseObject({
  apiVersion: z.enum(ISTIO_API_VERSIONS).describe('networking.istio.io version.'),
  kind: z.literal('Gateway').describe('Object kind.'),
  metadata: objectMeta,
  spec: z
    .looseObject({
      selector: z.record(z.string(), z.string()).optional().describe('Gateway workload labels (all Gateways share one local ingress gateway). @default {}'),
      servers: z.array(gatewayServer).min(1).describe('Ports and hosts the gateway exposes.'),
    })
    .describe('Gateway spec.'),
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
