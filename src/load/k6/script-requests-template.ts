/**
 * The request part of every generated k6 script (after `script-template.ts`): which request an
 * iteration sends, the data row filling its `{{ field }}` placeholders, and the metrics it adds.
 *
 * k6 runs each VU in its own JavaScript runtime, so no counter or random state is shared between
 * VUs. The choices are therefore functions of the iteration's number in the test
 * (`exec.scenario.iterationInTest`, unique across VUs) plus MESH_EXP_ITERATION_OFFSET: draw n of
 * the seed is mulberry32's n-th output, the very sequence mesh-exp's picker (`request-picker.ts`,
 * `seeded-random.ts`) draws requests from, so the same seed sends the same requests in the same
 * order of iteration numbers. Rows are taken by iteration number too: round-robin takes row
 * n mod rows, random the n-th draw of the row stream (mesh-exp's picker advances its row only for
 * requests that have placeholders; here every iteration counts).
 */

/** Code after the scenario (SPEC and ROWS, the data rows, are defined before): request choice, placeholder filling, metrics, the default function. */
export const K6_REQUESTS_BODY = `
const latency = new Trend(SPEC.names.latency, true);
const errors = new Counter(SPEC.names.errors);
const failed = new Rate(SPEC.names.failed);

// Draw n (n = 0, 1, ...) of seed: mulberry32's n-th output, computed without state.
function draw(seed, n) {
  let t = (seed + Math.imul(n + 1, 0x6d2b79f5)) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
// Rows draw from a second stream, so the requests sent are the same with or without data.
const ROW_SEED = (SPEC.seed ^ 0x9e3779b9) >>> 0;
const OFFSET = Number(env('MESH_EXP_ITERATION_OFFSET') || 0);
if (!Number.isInteger(OFFSET) || OFFSET < 0) {
  throw new Error('MESH_EXP_ITERATION_OFFSET must be a whole number, got ' + env('MESH_EXP_ITERATION_OFFSET'));
}

// Cumulative weights: a draw u in [0, total) picks the first request whose bound exceeds it.
const BOUNDS = [];
let TOTAL = 0;
for (const r of SPEC.requests) BOUNDS.push((TOTAL += r.weight));

function requestIndex(n) {
  if (BOUNDS.length === 1) return 0;
  const u = draw(SPEC.seed, n) * TOTAL;
  let i = 0;
  while (i < BOUNDS.length - 1 && u >= BOUNDS[i]) i++;
  return i;
}

function rowOf(n) {
  const rows = ROWS;
  return SPEC.data.order === 'random' ? rows[Math.floor(draw(ROW_SEED, n) * rows.length)] : rows[n % rows.length];
}

const COLUMN = {};
if (SPEC.data) SPEC.data.columns.forEach((c, i) => { COLUMN[c] = i; });
const HAS_PLACEHOLDER = new RegExp(SPEC.placeholder);
// A field no column names stays as written (validation makes sure there is none).
function fill(text, row) {
  return text.replace(new RegExp(SPEC.placeholder, 'g'), (whole, field) => (COLUMN[field] === undefined ? whole : row[COLUMN[field]]));
}

const ORIGIN = /^[A-Za-z][A-Za-z0-9+.-]*:\\/\\/[^/?#]*/.exec(TARGET);
const REQUESTS = SPEC.requests.map((r) => {
  const texts = [r.path || '', r.body || '', ...Object.values(r.headers)];
  const tags = Object.assign({}, SPEC.tags);
  if (SPEC.tagRequests) tags[SPEC.names.requestTag] = r.name;
  return {
    request: r,
    templated: SPEC.data !== null && texts.some((t) => HAS_PLACEHOLDER.test(t)),
    // No redirects followed and one timeout, as the built-in generator sends.
    params: { headers: r.headers, timeout: SPEC.timeoutMs + 'ms', redirects: 0, tags },
  };
});
if (SPEC.requests.some((r) => r.path !== null) && !ORIGIN) {
  throw new Error('MESH_EXP_TARGET must be an absolute URL such as http://127.0.0.1:8080/, got ' + TARGET);
}

// The request of iteration n: method, URL, body and params, with the row's values filled in.
function requestOf(n) {
  const { request: r, templated, params } = REQUESTS[requestIndex(n)];
  if (!templated) return { r, url: r.path === null ? TARGET : ORIGIN[0] + r.path, body: r.body, params };
  const row = rowOf(n);
  const headers = {};
  for (const k of Object.keys(r.headers)) headers[k] = fill(r.headers[k], row);
  return {
    r,
    url: r.path === null ? TARGET : ORIGIN[0] + fill(r.path, row),
    body: r.body === null ? null : fill(r.body, row),
    params: Object.assign({}, params, { headers }),
  };
}

export default function () {
  const { r, url, body, params } = requestOf(OFFSET + exec.scenario.iterationInTest);
  const res = http.request(r.method, url, body, params);
  const tags = {};
  tags[SPEC.names.versionTag] = res.headers[SPEC.versionHeader] || SPEC.names.unknownVersion;
  tags[SPEC.names.statusTag] = String(res.status);
  if (SPEC.tagRequests) tags[SPEC.names.requestTag] = r.name;
  if (res.error_code) tags[SPEC.names.errorCodeTag] = String(res.error_code);
  const bad = res.status === 0 || res.status >= 500;
  // The whole request as the client waited for it: queueing for a connection, connecting and
  // TLS included (http_req_duration leaves them out).
  const t = res.timings;
  latency.add(t.blocked + t.connecting + t.tls_handshaking + t.duration, tags);
  failed.add(bad, tags);
  if (bad) errors.add(1, tags);
}
`;
