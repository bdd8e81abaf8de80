/**
 * The load-generator extension point: one interface, a registry keyed by name, one folder per
 * implementation (`builtin/`, `vegeta/`).
 */

/** What to send, for how long, at what rate. Fully resolved (no defaults left). */
export interface LoadPlan {
  /** URL requests go to (the mesh listener or a gateway). */
  url: string;
  /** Host header to send (routes the request inside the mesh); absent: the URL's host. */
  hostHeader?: string;
  /** HTTP method. */
  method: string;
  /** Extra request headers. */
  headers: Record<string, string>;
  /** Request body. */
  body?: string;
  /** Open-model arrival rate, requests per second (with `profile`: its start rate). */
  rate: number;
  /**
   * A ramping arrival rate (`load.stages`) for the load window, restarted at each step; it
   * replaces `rate` (see `rate-profile.ts`). @default absent: the constant `rate`
   */
  profile?: RateProfile;
  /** How long to send, ms. */
  durationMs: number;
  /** Per-request timeout, ms. */
  timeoutMs: number;
  /** Most requests in flight; sends beyond it are dropped and counted, never queued. */
  maxInFlight: number;
  /** Response header naming the serving version (lowercase). */
  versionHeader: string;
  /**
   * Chooses each arrival's request among the named ones of `load.requests` / `load.data`
   * (`request-picker.ts`); it keeps its place across steps. Absent: every arrival sends the one
   * request above (url, method, headers, body) and samples carry no request name.
   * @default absent
   */
  picker?: RequestPicker;
}

/** One request as sent: a named request of the scenario with its placeholders filled. */
export interface PickedRequest {
  /** Index of the request in {@link RequestPicker.names}. */
  index: number;
  /** Its name. */
  name: string;
  /** HTTP method. */
  method: string;
  /** Full URL (origin of the plan's url, filled path). */
  url: string;
  /** Headers, filled (the generator adds the plan's hostHeader over them). */
  headers: Record<string, string>;
  /** Body, filled. @default no body */
  body?: string;
}

/** Chooses the request of each arrival, by weight, and the data row filling it. */
export interface RequestPicker {
  /** The request names, in `load.requests` order. */
  readonly names: readonly string[];
  /** The next arrival's request. */
  next(): PickedRequest;
}

/** One stage of a {@link RateProfile}: ramp linearly to `rate` over `durationMs`. */
export interface RateStage {
  /** Rate reached at the stage's end, requests per second (0 allowed). */
  rate: number;
  /** Length of the ramp, ms. */
  durationMs: number;
}

/**
 * A ramping open-model arrival rate, k6's ramping-arrival-rate: `startRate` is its `startRate`,
 * each stage is one of its `stages` (`{target: rate, duration}`), so export-k6 maps it one to one.
 */
export interface RateProfile {
  /** Rate at the window's start, requests per second. */
  startRate: number;
  /** The ramps, in order; after the last one its rate holds. Empty: `startRate` throughout. */
  stages: readonly RateStage[];
}

/** One request's outcome. */
export interface Sample {
  /**
   * Send time, epoch ms. Built-in generator: the INTENDED send time (the schedule, not when the
   * send happened: no coordinated omission). vegeta: when vegeta actually sent the request.
   */
  time: number;
  /**
   * Latency to the response end (or error), ms. Built-in generator: from the intended send time,
   * so its own lateness counts. vegeta: from the actual send (vegeta's own measure), so a request
   * vegeta sent late does not show that lateness.
   */
  latencyMs: number;
  /** HTTP status; 0 when no response (connection error, timeout, dropped). */
  status: number;
  /** Value of the version header, when the response had one. */
  version?: string;
  /** Why there was no response: "timeout", "connect", "reset", "dropped", ... */
  error?: string;
  /**
   * Set when the mesh answered instead of a backend, so no version could answer: "fault-abort"
   * for an Envoy fault-injection abort (its body "fault filter abort", response flag FI).
   */
  meshReply?: 'fault-abort';
  /** Name of the request sent (`load.requests[].name`), when the plan has a picker. @default absent */
  request?: string;
}

/** Totals of one load run. */
export interface LoadSummary {
  /** Requests scheduled by the arrival process. */
  scheduled: number;
  /** Requests that got a response (any status). */
  completed: number;
  /** Requests that failed without a response. */
  failed: number;
  /** Requests not sent because maxInFlight was reached. */
  dropped: number;
  /** Wall time of the run, ms. */
  elapsedMs: number;
  /**
   * Requests still in flight when `signal` aborted the run: cancelled, no sample emitted
   * (so `scheduled = completed + failed + dropped + aborted`). Absent means 0.
   */
  aborted?: number;
  /**
   * What the engine reported that the step should record without failing it (e.g. k6's exit 99,
   * thresholds crossed); each becomes an event of the step. @default none
   */
  notes?: string[];
}

/** Receives samples as they happen (fold them; do not keep them). */
export type SampleSink = (sample: Sample) => void;

/** What every load generator does. */
export interface LoadGenerator {
  /** Registry name, e.g. "builtin". */
  readonly name: string;
  /**
   * Checks, before the run changes anything, that the generator can run (e.g. an external binary
   * is present); throws a UsageError saying what is missing. @default nothing to check
   */
  preflight?(): Promise<void>;
  /** Sends load per `plan`, calling `onSample` for each request; resolves when done or `signal` aborts. */
  run(plan: LoadPlan, onSample: SampleSink, signal: AbortSignal): Promise<LoadSummary>;
}
