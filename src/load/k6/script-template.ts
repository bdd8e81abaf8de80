/**
 * The fixed part of every generated k6 script: plain k6 JavaScript that reads its whole
 * configuration from one `SPEC` object literal (written by `script.ts` with JSON.stringify), so no
 * user string is ever spliced into code. It runs standalone too: `k6 run script.js` with the
 * MESH_EXP_TARGET / MESH_EXP_RATE / MESH_EXP_DURATION environment overrides.
 */

/** Code after `const SPEC = {...};`: env overrides, the scenario, metrics and the request. */
export const K6_SCRIPT_BODY = `
const env = (name) => (__ENV[name] === undefined || __ENV[name] === '' ? undefined : __ENV[name]);

const TARGET = env('MESH_EXP_TARGET') || SPEC.target;
if (!TARGET) {
  throw new Error('set MESH_EXP_TARGET to the URL to request (the experiment names no fixed URL)');
}
const RATE = env('MESH_EXP_RATE') === undefined ? SPEC.rate : Number(env('MESH_EXP_RATE'));
if (!(RATE > 0) || !Number.isFinite(RATE)) {
  throw new Error('MESH_EXP_RATE must be a positive number of requests per second, got ' + env('MESH_EXP_RATE'));
}
// MESH_EXP_RATE scales every step of a stepped run alike.
const SCALE = RATE / SPEC.rate;

// An iteration lasts at most the timeout, so rate x timeout VUs never run out; capped like the
// built-in generator's maxInFlight (beyond it k6 drops iterations, as the built-in drops sends).
// A quarter second of latency is allocated up front; k6 adds VUs up to maxVUs when needed.
function vus(rate) {
  const maxVUs = Math.max(1, Math.min(SPEC.maxInFlight, Math.ceil((rate * SPEC.timeoutMs) / 1000)));
  return { preAllocatedVUs: Math.min(maxVUs, Math.max(1, Math.ceil(rate / 4))), maxVUs };
}

// k6 rates are integers per timeUnit: fractional rates are written per 1000s.
function unitOf(rates) {
  return rates.every((r) => Number.isInteger(r)) ? 1 : 1000;
}

function perUnit(rate, unit) {
  return rate === 0 ? 0 : Math.max(1, Math.round(rate * unit));
}

function constantScenario(duration) {
  const unit = unitOf([RATE]);
  return {
    executor: 'constant-arrival-rate',
    rate: perUnit(RATE, unit),
    timeUnit: unit + 's',
    duration,
    ...vus(RATE),
  };
}

// One long run with the step boundaries of the experiment: a zero-length stage jumps to the
// step's rate and the next holds it (k6's documented instant jump); rate 0 where load pauses.
function steppedScenario() {
  const rates = SPEC.steps.map((s) => s.rate * SCALE);
  const unit = unitOf(rates);
  const stages = [];
  SPEC.steps.forEach((step, i) => {
    const target = perUnit(rates[i], unit);
    stages.push({ target, duration: '0s' }, { target, duration: step.loadMs + 'ms' });
    if (step.idleMs > 0) stages.push({ target: 0, duration: '0s' }, { target: 0, duration: step.idleMs + 'ms' });
  });
  return {
    executor: 'ramping-arrival-rate',
    startRate: stages[0].target,
    timeUnit: unit + 's',
    stages,
    ...vus(Math.max(...rates)),
  };
}

// MESH_EXP_DURATION asks for one constant-rate run of that length, whatever the steps were.
const DURATION = env('MESH_EXP_DURATION');
const scenario = DURATION
  ? constantScenario(DURATION)
  : SPEC.steps.length > 1
    ? steppedScenario()
    : constantScenario(SPEC.steps[0].loadMs + 'ms');

export const options = {
  scenarios: { [SPEC.scenario]: scenario },
  thresholds: SPEC.thresholds,
  // Only status and headers are read; bodies would cost memory per VU.
  discardResponseBodies: true,
};

const latency = new Trend(SPEC.names.latency, true);
const errors = new Counter(SPEC.names.errors);
const failed = new Rate(SPEC.names.failed);
// No redirects followed and one timeout, as the built-in generator sends.
const params = { headers: SPEC.headers, timeout: SPEC.timeoutMs + 'ms', redirects: 0, tags: SPEC.tags };

export default function () {
  const res = http.request(SPEC.method, TARGET, SPEC.body, params);
  const tags = {};
  tags[SPEC.names.versionTag] = res.headers[SPEC.versionHeader] || SPEC.names.unknownVersion;
  tags[SPEC.names.statusTag] = String(res.status);
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
