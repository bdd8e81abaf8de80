/**
 * A stand-in for Istio's data plane in the gateway-api tests, where no Envoy can run: an HTTP
 * server that follows one HTTPRoute rule through the API server (re-read every 100 ms, as a proxy
 * would be pushed new weights) and answers each request from a backend picked by the rule's
 * backendRefs weights — relative, default 1, as Gateway API defines them. Each backend answers
 * with `x-version: <version>` and fails the given share of requests with 500. It is test
 * support, not product code: the product's own local mesh serves VirtualServices.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CustomObjects, HTTP_ROUTE } from '../../src/kube/custom-objects.js';

/** One backend: the Service the rule names, the version it reports and its error share (0–1). */
export interface StandInBackend {
  /** backendRef name, e.g. "reviews-v2". */
  service: string;
  /** What x-version says, e.g. "v2". */
  version: string;
  /** Share of requests answered 500. @default 0 */
  errorRate?: number;
}

/** A running stand-in. */
export interface HttpRouteDataPlane {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Requests answered, by version. */
  served: Record<string, number>;
  /** Stops polling and closes the server. */
  close(): Promise<void>;
}

/** Starts the stand-in for rule `rule` of HTTPRoute `namespace/name`. */
export async function startHttpRouteDataPlane(objects: CustomObjects, namespace: string, name: string, rule: string, backends: StandInBackend[]): Promise<HttpRouteDataPlane> {
  let weights = new Map<string, number>();
  const refresh = async () => {
    const route = await objects.get(HTTP_ROUTE, namespace, name).catch(() => undefined);
    const rules = (route?.spec as { rules?: { name?: string; backendRefs?: { name: string; weight?: number }[] }[] } | undefined)?.rules ?? [];
    const target = rules.find((r) => r.name === rule);
    if (target) weights = new Map((target.backendRefs ?? []).map((b) => [b.name, b.weight ?? 1]));
  };
  await refresh();
  const timer = setInterval(() => void refresh(), 100);
  const served: Record<string, number> = {};
  const server = http.createServer((req, res) => {
    req.resume();
    const total = backends.reduce((s, b) => s + (weights.get(b.service) ?? 0), 0);
    let pick = Math.random() * total;
    const backend = backends.find((b) => (pick -= weights.get(b.service) ?? 0) < 0) ?? backends[0]!;
    served[backend.version] = (served[backend.version] ?? 0) + 1;
    // Deterministic error share: every n-th request of the backend fails.
    const fail = (backend.errorRate ?? 0) > 0 && served[backend.version]! % Math.round(1 / backend.errorRate!) === 0;
    res.writeHead(fail ? 500 : 200, { 'x-version': backend.version, 'content-type': 'text/plain' });
    res.end(fail ? 'failed\n' : 'ok\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    async close() {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
