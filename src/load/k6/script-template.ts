/**
 * The fixed part of every generated k6 script: plain k6 JavaScript that reads its whole
 * configuration from one `SPEC` object literal (written by `script.ts` with JSON.stringify), so no
 * user string is ever spliced into code. It runs standalone too: `k6 run script.js` with the
 * MESH_EXP_TARGET / MESH_EXP_RATE / MESH_EXP_DURATION environment overrides. The request part
 * (which request, which row) is in `script-requests-template.ts`.
 */

/** Code after `const SPEC = {...};` and `const DATA = ...;`: env overrides and the scenario. */
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
// MESH_EXP_RATE scales every step of a stepped run alike, and every stage of a profile (SPEC.rate
// is then its peak rate).
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

// A k6 duration ("1m30s", "500ms", "2h") in ms; NaN when it is not one.
function durationMs(text) {
  const units = { ms: 1, s: 1000, m: 60000, h: 3600000 };
  const parts = /^(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h))+$/.test(text) ? text.match(/\\d+(?:\\.\\d+)?(?:ms|s|m|h)/g) : null;
  return parts ? parts.reduce((sum, p) => sum + Number(/^[\\d.]+/.exec(p)[0]) * units[/[a-z]+$/.exec(p)[0]], 0) : NaN;
}

// One load window of ms: its start rate and its ramps ({rate, ms}), scaled. A profile (load.stages)
// restarts in every window: a window shorter than its stages cuts the ramp where the window ends;
// a longer one holds the last rate to its end, as mesh-exp's own generators do.
function windowOf(stepRate, ms) {
  if (!SPEC.profile) return { start: stepRate * SCALE, ramps: [{ rate: stepRate * SCALE, ms }] };
  const start = SPEC.profile.startRate * SCALE;
  const ramps = [];
  let t = 0;
  let rate = start;
  for (const s of SPEC.profile.stages) {
    if (t >= ms) break;
    const d = Math.min(s.durationMs, ms - t);
    const end = d === s.durationMs ? s.rate * SCALE : rate + ((s.rate * SCALE - rate) * d) / s.durationMs;
    ramps.push({ rate: end, ms: d });
    t += d;
    rate = end;
  }
  if (t < ms) ramps.push({ rate, ms: ms - t });
  return { start, ramps };
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

// One ramping-arrival-rate run of windows, each {window, idleMs}: a zero-length stage jumps to a
// window's start rate (k6's documented instant jump), its ramps follow, then rate 0 while idle.
function rampingScenario(windows) {
  const rates = windows.flatMap(({ window }) => [window.start, ...window.ramps.map((r) => r.rate)]);
  const unit = unitOf(rates);
  const stages = [];
  for (const { window, idleMs } of windows) {
    stages.push({ target: perUnit(window.start, unit), duration: '0s' });
    for (const r of window.ramps) stages.push({ target: perUnit(r.rate, unit), duration: r.ms + 'ms' });
    if (idleMs > 0) stages.push({ target: 0, duration: '0s' }, { target: 0, duration: idleMs + 'ms' });
  }
  return {
    executor: 'ramping-arrival-rate',
    startRate: stages[0].target,
    timeUnit: unit + 's',
    stages,
    ...vus(Math.max(...rates)),
  };
}

// MESH_EXP_DURATION asks for one load window of that length (how mesh-exp runs k6, once per
// step): at a constant rate, or the stages restarted; without it, the steps of the experiment.
const DURATION = env('MESH_EXP_DURATION');
if (DURATION && SPEC.profile && !(durationMs(DURATION) > 0)) {
  throw new Error('MESH_EXP_DURATION must be a k6 duration such as "30s" or "1m30s", got ' + DURATION);
}
const scenario = DURATION
  ? SPEC.profile
    ? rampingScenario([{ window: windowOf(SPEC.rate, durationMs(DURATION)), idleMs: 0 }])
    : constantScenario(DURATION)
  : SPEC.steps.length > 1 || SPEC.profile
    ? rampingScenario(SPEC.steps.map((s) => ({ window: windowOf(s.rate, s.loadMs), idleMs: s.idleMs })))
    : constantScenario(SPEC.steps[0].loadMs + 'ms');

export const options = {
  scenarios: { [SPEC.scenario]: scenario },
  thresholds: SPEC.thresholds,
  // Only status and headers are read; bodies would cost memory per VU.
  discardResponseBodies: true,
};
`;
