/**
 * The mesh's admin endpoints (like Envoy's admin port and istio-agent's 15020):
 * GET /ready (200 "ready" once every backend is up, 503 before), GET /stats/prometheus (also
 * /metrics) with the Istio metrics, GET /config_dump with the VirtualServices and DestinationRules
 * in force as JSON. Anything else is 404.
 */
import { createServer, type Server } from 'node:http';

/** What the admin server reads. */
export interface AdminSource {
  /** True once all backends are up. */
  ready(): boolean;
  /** Prometheus text exposition. */
  metricsText(): string;
  /** The configuration as a JSON-serialisable object. */
  configDump(): unknown;
}

/** Creates (does not start) the admin server. */
export function createAdminServer(src: AdminSource): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    req.resume();
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed\n');
    switch (path) {
      case '/ready':
        return src.ready() ? send(200, 'text/plain', 'ready\n') : send(503, 'text/plain', 'not ready\n');
      case '/stats/prometheus':
      case '/metrics':
        return send(200, 'text/plain; version=0.0.4; charset=utf-8', src.metricsText());
      case '/config_dump':
        return send(200, 'application/json', `${JSON.stringify(src.configDump(), null, 2)}\n`);
      default:
        return send(404, 'text/plain', 'not found: try /ready, /stats/prometheus, /config_dump\n');
    }
  });
}
