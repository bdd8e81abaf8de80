/** The machine and tool versions a benchmark ran on, for the report header. */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';

/** Machine description. */
export interface MachineInfo {
  /** Logical CPUs (nproc). */
  nproc: number;
  /** CPU model from /proc/cpuinfo. */
  cpuModel: string;
  /** 1/5/15-minute load averages when the run started (a busy machine makes numbers noisy). */
  loadavg: [number, number, number];
  /** Tool versions, first line of each. */
  versions: Record<'node' | 'haproxy' | 'wrk' | 'go', string>;
}

/** First output line of `argv` (stdout or stderr; wrk -v exits 1 after printing its version). */
export function firstLine(argv: string[], env: Record<string, string | undefined>): Promise<string> {
  const [cmd, ...args] = argv;
  return new Promise((resolve) => {
    execFile(cmd!, args, { env }, (_err, stdout, stderr) => resolve(`${stdout}${stderr}`.split('\n')[0]?.trim() || 'unknown'));
  });
}

/** The CPUs and how busy they are now (the part of {@link MachineInfo} every benchmark reports). */
export async function collectCpuInfo(): Promise<Pick<MachineInfo, 'nproc' | 'cpuModel' | 'loadavg'>> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const cpuModel = cpuinfo.match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  const [l1, l5, l15] = loadavg();
  return { nproc: cpus().length, cpuModel, loadavg: [l1 ?? 0, l5 ?? 0, l15 ?? 0] };
}

/** Collects the machine description. */
export async function collectMachineInfo(tools: { node: string; haproxy: string; wrk: string; go: string; nodeVersion: string }, env: Record<string, string | undefined>): Promise<MachineInfo> {
  return {
    ...(await collectCpuInfo()),
    versions: {
      node: tools.nodeVersion,
      haproxy: (await firstLine([tools.haproxy, '-v'], env)).replace(/ - https?:\/\/\S+$/, ''),
      wrk: await firstLine([tools.wrk, '-v'], env),
      go: await firstLine([tools.go, 'version'], env),
    },
  };
}
