/**
 * The mesh's admin endpoints (like Envoy's admin port and istio-agent's 15020):
 * GET /ready (200 "ready" once every backend is up, 503 before), GET /stats/prometheus (also
 * /metrics) with the Istio metrics, GET /stats with Envoy's per-cluster stats in its text format, GET /config_dump with the VirtualServices and DestinationRules
 * in force as JSON, GET /info (proxy URL, namespace, generation) and, when a store is given, the
 * VirtualService and DestinationRule API under /config/ (`config-api.ts`). Anything else is 404.
 */
import { createServer, type Server } from 'node:http';
import { handleConfigRequest, isConfigPath, sendJson, type VirtualServiceStore } from './config-api.js';

/** What the admin server reads. */
export interface AdminSource {
  /** True once all backends are up. */
  ready(): boolean;
  /** Prometheus text exposition. */
  metricsText(): string;
  /** Envoy's per-cluster stats ("cluster.<name>.<stat>: <value>" lines). @default 404 */
  statsText?(): string;
  /** The configuration as a JSON-serialisable object. */
  configDump(): unknown;
  /** What GET /info answers (e.g. the proxy URL). @default 404 */
  info?(): unknown;
  /** The configuration API's store. @default no /config/ API (404) */
  config?: VirtualServiceStore;
}

/** Creates (does not start) the admin server. */
export function createAdminServer(src: AdminSource): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const head = req.method === 'HEAD';
    if (src.config && isConfigPath(path)) {
      void handleConfigRequest(req, res, path, src.config);
      return;
    }
    req.resume();
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(head ? undefined : body);
    };
    if (req.method !== 'GET' && !head) return send(405, 'text/plain', 'method not allowed\n');
    switch (path) {
      case '/ready':
        return src.ready() ? send(200, 'text/plain', 'ready\n') : send(503, 'text/plain', 'not ready\n');
      case '/stats/prometheus':
      case '/metrics':
        return send(200, 'text/plain; version=0.0.4; charset=utf-8', src.metricsText());
      case '/stats':
        if (src.statsText) return send(200, 'text/plain; charset=utf-8', src.statsText());
        break;
      case '/config_dump':
        return sendJson(res, 200, src.configDump(), head);
      case '/info':
        if (src.info) return sendJson(res, 200, src.info(), head);
        break;
    }
    return send(404, 'text/plain', 'not found: try /ready, /stats, /stats/prometheus, /config_dump, /info\n');
  });
}
