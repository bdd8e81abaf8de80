/** Whole-process wall time of commands, interleaved round by round so drift hits every command alike. */
import { spawn } from 'node:child_process';

/** A command the benchmark times. */
export interface StartupCommand {
  /** Short name, the row of the table (e.g. "--help"). */
  name: string;
  /** The command line as the README and the table print it. */
  shown: string;
  /** Program and arguments. */
  argv: string[];
  /** Exit codes that count as a correct run (a run that fails is not timed: it may have stopped early). */
  okCodes?: number[];
}

/** Runs `argv` once with its output discarded; resolves to its wall time in ms, spawn to exit. */
export function timeOnce(argv: string[], cwd: string, okCodes: readonly number[] = [0]): Promise<number> {
  const [cmd, ...args] = argv;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd!, args, { cwd, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const ms = performance.now() - t0;
      if (code !== null && okCodes.includes(code)) resolve(ms);
      else reject(new Error(`${argv.join(' ')} ended with ${signal ?? `exit ${code}`}`));
    });
  });
}

/**
 * Times every command `rounds` times after one unmeasured warm-up round (page cache, disk). Each
 * round runs every command once, one after the other, the order rotated by one each round.
 */
export async function timeCommands(commands: readonly StartupCommand[], rounds: number, cwd: string, log: (msg: string) => void = () => {}): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = Object.fromEntries(commands.map((c) => [c.name, []]));
  for (let round = -1; round < rounds; round++) {
    const order = commands.map((_, i) => commands[(i + Math.max(round, 0)) % commands.length]!);
    for (const c of order) {
      const ms = await timeOnce(c.argv, cwd, c.okCodes);
      if (round >= 0) out[c.name]!.push(ms);
    }
    if (round >= 0 && (round + 1) % 10 === 0) log(`  ${round + 1}/${rounds} rounds`);
  }
  return out;
}
