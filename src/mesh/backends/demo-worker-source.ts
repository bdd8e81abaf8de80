/**
 * JavaScript source of the demo backends' worker thread. Demo servers run in a worker so that
 * their work (timers, JSON, sockets) does not share the proxy's event loop: measured on 2 cores
 * with an earlier build of the proxy, ~7.5k req/s with demo backends on the proxy's thread and
 * ~10k with them in a worker.
 * The source is a plain string (evaluated with `new Worker(src, { eval: true })`) so it runs the
 * same from TypeScript sources (tsx, vitest) and from the compiled build, with no file to locate.
 * The latency sampler is shared with the main thread (see demo-backend.ts), so one code is tested.
 */

/**
 * `createLatencySampler(medianMs, p99Ms, random)`: log-normal with the given median and p99
 * (sigma = ln(p99/median) / z(0.99), z(0.99) = 2.3263); 0 when the median is 0; the median when
 * p99 <= median. One standard normal per draw by Box–Muller (1 − u keeps log away from 0).
 */
export const LATENCY_SAMPLER_JS = `
function createLatencySampler(medianMs, p99Ms, random) {
  if (!(medianMs > 0)) return () => 0;
  const mu = Math.log(medianMs);
  const sigma = p99Ms > medianMs ? Math.log(p99Ms / medianMs) / 2.3263 : 0;
  if (sigma === 0) return () => medianMs;
  return () => {
    const u1 = 1 - random();
    const u2 = random();
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return Math.exp(mu + sigma * z);
  };
}
`;

/**
 * The worker: messages `{ op: 'start', key, service, version, instance, median, p99, errorRate, errorStatus }`
 * (or `{ op: 'start', key, tcpEcho: prefix }` for a TCP echo server) answer `{ key, port }` (or `{ key, error }`); `{ op: 'stop', key, target }` stops the server started
 * by message `target` and answers `{ key, stopped: true }`.
 */
export const DEMO_WORKER_JS = `
const { parentPort } = require('node:worker_threads');
const { createServer } = require('node:http');
const net = require('node:net');
${LATENCY_SAMPLER_JS}
const servers = new Map();
// Istio's tcp-echo (samples/tcp-echo/src/main.go): reads lines, writes back "<prefix> <line>";
// at the client's end of input it ends its side too (a line without newline is echoed first).
function startTcpEcho(m) {
  const conns = new Set();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    conns.add(socket);
    socket.on('close', () => conns.delete(socket));
    let pending = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      pending += chunk;
      let nl;
      while ((nl = pending.indexOf('\\n')) >= 0) {
        socket.write(m.tcpEcho + ' ' + pending.slice(0, nl + 1));
        pending = pending.slice(nl + 1);
      }
    });
    socket.on('end', () => {
      if (pending) socket.write(m.tcpEcho + ' ' + pending);
      socket.end();
    });
    socket.on('error', () => socket.destroy());
  });
  server.closeAllConnections = () => { for (const s of conns) s.destroy(); };
  listen(server, m);
}
function listen(server, m) {
  server.once('error', (err) => parentPort.postMessage({ key: m.key, error: String(err && err.message || err) }));
  server.listen(0, '127.0.0.1', () => {
    servers.set(m.key, server);
    parentPort.postMessage({ key: m.key, port: server.address().port });
  });
}
function start(m) {
  if (m.tcpEcho !== undefined) return startTcpEcho(m);
  const latency = createLatencySampler(m.median, m.p99, Math.random);
  const head = '{"service":' + JSON.stringify(m.service) + ',"version":' + JSON.stringify(m.version) +
    ',"instance":' + JSON.stringify(m.instance) + ',"path":';
  const server = createServer((req, res) => {
    req.resume();
    const respond = () => {
      const fail = m.errorRate > 0 && Math.random() < m.errorRate;
      const body = head + JSON.stringify(req.url || '/') + '}';
      res.writeHead(fail ? m.errorStatus : 200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'x-version': m.version,
        'x-instance': m.instance,
      });
      res.end(body);
    };
    const ms = latency();
    if (ms >= 0.5) setTimeout(respond, ms);
    else respond();
  });
  // Longer than the proxy's idle-connection timeout: the proxy closes idle sockets first.
  server.keepAliveTimeout = 65000;
  server.headersTimeout = 66000;
  listen(server, m);
}
function stop(m) {
  const server = servers.get(m.target);
  servers.delete(m.target);
  if (!server) return parentPort.postMessage({ key: m.key, stopped: true });
  server.close(() => parentPort.postMessage({ key: m.key, stopped: true }));
  server.closeAllConnections();
}
parentPort.on('message', (m) => (m.op === 'start' ? start(m) : stop(m)));
`;
