/**
 * One vegeta attack: `vegeta attack -lazy -format=json` reading targets from a pipe, its binary
 * results piped into `vegeta encode --to json`, whose lines become samples. The targets are fed
 * as vegeta reads them (back-pressure bounds memory): endlessly for a constant rate (the attack's
 * `-duration` ends it), or exactly `count` of them for a segment of a ramp (vegeta stops when they
 * run out, so the segment sends exactly `count`; the tick that found none is not a request and
 * is skipped).
 */
import type { ResultPromise } from 'execa';
import { RuntimeError } from '../../errors.js';
import { forEachLine, LineTooLongError } from '../line-reader.js';
import type { Sample } from '../types.js';
import { createStderrTail } from './stderr-tail.js';
import { parseVegetaResult } from './vegeta-result.js';
import { createVegetaScanner } from './vegeta-scan.js';

/** A vegeta child as spawned by the generator (detached, its group tracked). */
export type VegetaChild = ResultPromise<{ detached: true; buffer: false; reject: false }>;

/** Options of {@link runVegetaAttack}. */
export interface VegetaAttackOptions {
  /** Starts one vegeta process (the generator's spawn: it tracks the process group). */
  spawn(args: string[]): VegetaChild;
  /** The attack's arguments (`attack -lazy -format=json …`). */
  args: string[];
  /**
   * The next `count` target lines (newline-terminated): the plan's one request repeated, or the
   * request picker's next choices, each naming its request in the URL fragment.
   */
  targets(count: number): string;
  /** Request names by index (the fragment's number); empty when the plan has one unnamed request. */
  names: readonly string[];
  /** Targets to feed, then end the input. @default endless */
  count?: number;
  /** Response header naming the version (lowercase). */
  versionHeader: string;
  /** Receives each request's sample. */
  onSample(sample: Sample): void;
  /** Whether the run was aborted (then a killed child is expected, not an error). */
  aborted(): boolean;
}

// vegeta's result for a tick that found no target left: not a request.
const NO_TARGETS = '"error":"no targets to attack"';

/** Runs one attack to its end; rejects with vegeta's stderr when a child fails (unless aborted). */
export async function runVegetaAttack(options: VegetaAttackOptions): Promise<void> {
  const attack = options.spawn(options.args);
  const encode = options.spawn(['encode', '--to', 'json']);
  const children = [attack, encode];
  const tails = [createStderrTail(attack.stderr), createStderrTail(encode.stderr)];

  let left = options.count ?? Infinity;
  let feeding = true;
  const feed = (): void => {
    while (feeding && left > 0) {
      const n = Math.min(32, left);
      left -= n;
      if (left === 0) {
        attack.stdin.end(options.targets(n));
        return;
      }
      if (!attack.stdin.write(options.targets(n))) return;
    }
  };
  attack.stdin.on('error', () => (feeding = false)); // EPIPE once the attack is over
  attack.stdin.on('drain', feed);
  attack.stdout.on('error', () => {});
  encode.stdin.on('error', () => {});
  attack.stdout.pipe(encode.stdin);
  feed();

  const scan = createVegetaScanner(options.versionHeader, options.names);
  try {
    await forEachLine(encode.stdout, (line) => {
      // The common line takes the scanner's fast path; the rest (errors, blank lines, vegeta's
      // "no targets" tick, odd shapes) the full parser.
      let sample: Sample | undefined = scan(line);
      if (sample === undefined) {
        if (line.trim() === '' || line.includes(NO_TARGETS)) return;
        try {
          sample = parseVegetaResult(line, options.versionHeader, options.names);
        } catch (err) {
          throw new RuntimeError(`vegeta wrote a line mesh-exp cannot read: ${(err as Error).message}`, { cause: err });
        }
      }
      options.onSample(sample);
    }).catch((err: unknown) => {
      throw err instanceof LineTooLongError ? new RuntimeError(`vegeta wrote a line mesh-exp cannot read: ${err.message}`, { cause: err }) : err;
    });
    const results = await Promise.all(children);
    if (options.aborted()) return;
    results.forEach((r, i) => {
      if (r.exitCode === 0) return;
      const why = r.exitCode !== undefined ? `exited with code ${r.exitCode}` : r.signal !== undefined ? `was killed by ${r.signal}` : r.shortMessage;
      const tail = tails[i]!.text();
      throw new RuntimeError(`vegeta ${i === 0 ? 'attack' : 'encode'} ${why}${tail ? `; its last stderr lines:\n${tail}` : ' (no stderr)'}`, {
        hint: 'check the load section (url, rate, timeout); or use load.generator: builtin',
      });
    });
  } finally {
    feeding = false;
  }
}
