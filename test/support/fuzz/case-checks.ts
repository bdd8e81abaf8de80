/**
 * What every case must satisfy, as a list of violations (empty: the case passed). Generic
 * invariants (documented exit code, no stack trace, ends in time, restores what it changed) and a
 * few oracles where the input alone says what the answer must be (a file that is not UTF-8 is
 * refused, a UTF-16 one with its encoding named).
 */
import { DEFAULT_MAX_BYTES } from '../../../src/input/read-user-file.js';
import { connect } from 'node:net';
import { EXIT_CODE_TABLE } from '../../../src/errors.js';
import { isValidUtf8 } from './mutate-bytes.js';
import { FUZZ_HOOK_URL } from './notify-ops.js';
import type { PhaseOutcome, RunArtifacts } from './run-case.js';

/** Exit codes the CLI documents (src/errors.ts). */
export const DOCUMENTED_CODES: ReadonlySet<number> = new Set(EXIT_CODE_TABLE.map((e) => e.code));

/** A stack frame (`    at fn (/path/file.js:1:2)`) or an internal error leaking to the user. */
export const STACK_TRACE = /^\s*at (?:.+ \()?(?:file:\/\/|node:|\/|<anonymous>)[^\n]*(?::\d+:\d+\)?|\))$|\binternal error:|This is a bug in mesh-exp/m;
/** JavaScript's own error texts: a message that reached the user without being translated. */
export const RAW_JS_ERROR = /\b(?:TypeError|RangeError|ReferenceError|SyntaxError|EvalError|URIError)\b|Cannot read propert(?:y|ies) of (?:undefined|null)|is not a function|is not iterable|Maximum call stack size exceeded/;
// C0 controls but tab and newline, DEL, C1 controls: what a terminal acts on instead of printing.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** The invariants of one CLI invocation: ends in time, a documented exit code, no stack trace, raw JS error or control character in its output. */
export function phaseViolations(name: string, p: PhaseOutcome): string[] {
  const out: string[] = [];
  if (p.timedOutAfterMs !== undefined) out.push(`${name}: did not end within ${p.timedOutAfterMs} ms (hang)`);
  if (p.rejected !== undefined) out.push(`${name}: runCli rejected instead of returning an exit code: ${p.rejected}`);
  if (p.code !== undefined && !DOCUMENTED_CODES.has(p.code)) out.push(`${name}: exit code ${p.code} is not in EXIT_CODE_TABLE`);
  const text = `${p.stdout}\n${p.stderr}`;
  const trace = STACK_TRACE.exec(text);
  if (trace) out.push(`${name}: stack trace or internal error in the output: ${JSON.stringify(trace[0])}`);
  const raw = RAW_JS_ERROR.exec(text);
  if (raw) out.push(`${name}: a raw JavaScript error reached the output: ${JSON.stringify(lineAround(text, raw.index))}`);
  // The notification URL is a secret: no message may quote it (nor its path, where the token is).
  if (text.includes(new URL(FUZZ_HOOK_URL).pathname)) out.push(`${name}: the secret notification URL (${FUZZ_HOOK_URL}) appears in the output`);
  const ctl = CONTROL.exec(text);
  if (ctl) out.push(`${name}: control character U+${ctl[0].codePointAt(0)!.toString(16).padStart(4, '0')} in the terminal output: ${JSON.stringify(lineAround(text, ctl.index))}`);
  return out;
}

function lineAround(text: string, at: number): string {
  const start = text.lastIndexOf('\n', at) + 1;
  const end = text.indexOf('\n', at);
  return text.slice(start, end === -1 ? undefined : end).slice(0, 160);
}

/** What a case produced, for {@link caseViolations}. */
export interface CaseEvidence {
  /** The experiment's bytes, when it is a regular file (else undefined). */
  experimentBytes: Buffer | undefined;
  validate: PhaseOutcome;
  run?: PhaseOutcome;
  artifacts?: RunArtifacts;
}

/** The invariants of one case's two phases and of the input alone. */
export function caseViolations(e: CaseEvidence): string[] {
  const out = [...phaseViolations('validate', e.validate), ...(e.run ? phaseViolations('run', e.run) : [])];
  const result = e.artifacts?.result;
  if (result) {
    if (result.restored !== true) out.push(`run: result.json says restored: ${String(result.restored)} (outcome ${result.outcome})`);
    if (e.run?.code !== undefined && result.exitCode !== e.run.code) out.push(`run: exit code ${e.run.code} but result.json says ${result.exitCode}`);
  }
  const day = e.artifacts?.day;
  if (day) {
    for (const x of day.experiments ?? []) if (x.restored === false) out.push(`run: the game day's result.json says experiment ${x.name} was not restored`);
    for (const r of day.runs) if (r.restored !== true) out.push(`run: a game day's run result.json says restored: ${String(r.restored)} (outcome ${r.outcome})`);
    if (e.run?.code !== undefined && day.exitCode !== e.run.code) out.push(`run: exit code ${e.run.code} but the game day's result.json says ${day.exitCode}`);
  }
  if (e.validate.code === 0 && e.run?.code === 2 && /^error: \d+ problems? found/m.test(e.run.stderr)) {
    out.push('run: found problems in a file that validate accepted');
  }
  const bytes = e.experimentBytes;
  if (bytes && e.validate.code !== undefined) {
    const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    // A file over the read limit is refused for its size before a byte of it is decoded.
    const named = bytes.length > DEFAULT_MAX_BYTES ? /UTF-16|over the .* limit/i : /UTF-16/i;
    if (utf16 && (e.validate.code !== 2 || !named.test(e.validate.stdout + e.validate.stderr))) {
      out.push(`validate: a UTF-16 file (byte-order mark ${bytes.subarray(0, 2).toString('hex')}) must be refused (exit 2) naming UTF-16; exit ${e.validate.code}`);
    } else if (!utf16 && !isValidUtf8(bytes) && e.validate.code !== 2) {
      out.push(`validate: a file that is not valid UTF-8 must be refused (exit 2); exit ${e.validate.code}`);
    }
  }
  return out;
}

/** Whether something still accepts connections at `url`'s host and port (the run's mesh must be gone). */
export function stillListening(url: string, timeoutMs = 1_000): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port) });
    const done = (v: boolean) => {
      socket.destroy();
      resolve(v);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
