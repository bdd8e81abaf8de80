/**
 * How fast mesh-exp ingests vegeta's JSON result lines: real lines from a real attack, repeated to
 * `lines`, read by `cat` (the read bound), by mesh-exp (`ingest-child.mjs`) and by `vegeta report`
 * (vegeta's own reader of the same JSON, the named peer), each under GNU time.
 */
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { measure, type Measured } from '../ingest/measure.js';
import { runToEnd, type ProcessGroup } from '../proxy/process-group.js';
import type { TargetServer } from './target-server.js';

/** What the ingest part measured. */
export interface IngestResult {
  /** Lines in the file. */
  lines: number;
  /** File size, bytes. */
  bytes: number;
  /** `cat FILE > /dev/null`. */
  cat: Measured;
  /** mesh-exp: readline + parseVegetaResult + recorder, in a Node process on dist/. */
  ours: Measured & { loopMs: number; recorded: number };
  /** `vegeta report < FILE`: vegeta decoding the same JSON and computing its text report. */
  vegetaReport: Measured;
}

/** Records `seconds` of a real attack as JSON lines, then repeats them into a file of `lines` lines. */
async function writeLines(group: ProcessGroup, vegeta: string, server: TargetServer, dir: string, lines: number): Promise<{ file: string; bytes: number }> {
  const seed = join(dir, 'seed.json');
  await runToEnd(group, ['sh', '-c', `echo "GET ${server.url}/" | "${vegeta}" attack -rate=5000 -duration=4s | "${vegeta}" encode --to json > ${seed}`], { name: 'vegeta seed' });
  const { readFile } = await import('node:fs/promises');
  const seedLines = (await readFile(seed, 'utf8')).split('\n').filter((l) => l !== '');
  await rm(seed, { force: true });
  const file = join(dir, 'vegeta-lines.json');
  const handle = await open(file, 'w');
  let bytes = 0;
  try {
    const block = `${seedLines.join('\n')}\n`;
    for (let written = 0; written < lines; written += seedLines.length) {
      const part = lines - written >= seedLines.length ? block : `${seedLines.slice(0, lines - written).join('\n')}\n`;
      bytes += Buffer.byteLength(part);
      await handle.write(part);
    }
  } finally {
    await handle.close();
  }
  return { file, bytes };
}

/** Runs the ingest comparison; deletes its file. */
export async function measureIngest(group: ProcessGroup, repoRoot: string, dir: string, vegeta: string, server: TargetServer, lines: number): Promise<IngestResult> {
  const { file, bytes } = await writeLines(group, vegeta, server, dir, lines);
  try {
    await measure(`cat ${file} > /dev/null`, dir, repoRoot); // warm the page cache
    const cat = await measure(`cat ${file} > /dev/null`, dir, repoRoot);
    const run = await measure(`${process.execPath} bench/load/ingest-child.mjs ${file}`, dir, repoRoot);
    const child = JSON.parse(run.stdout) as { lines: number; loopMs: number; recorded: number };
    if (child.lines !== lines) throw new Error(`ingest read ${child.lines} lines of ${lines}`);
    const vegetaReport = await measure(`"${vegeta}" report < ${file} > /dev/null`, dir, repoRoot);
    const clean = <T extends Measured>(m: T): T => ({ ...m, command: m.command.replaceAll(file, 'FILE').replaceAll(vegeta, 'vegeta').replaceAll(process.execPath, 'node'), stdout: '' });
    return { lines, bytes, cat: clean(cat), ours: { ...clean(run), loopMs: child.loopMs, recorded: child.recorded }, vegetaReport: clean(vegetaReport) };
  } finally {
    await rm(file, { force: true });
  }
}
