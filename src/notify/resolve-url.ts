/**
 * Reads each target's secret URL from where `urlFrom` says (an environment variable or a file),
 * once, before the run changes anything: a missing variable, an unreadable file or something that
 * is not an http(s) URL is the user's mistake, reported at the target's `urlFrom`. No message
 * here ever contains the URL, nor any part of what the variable or file holds.
 */
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { NotifyTargetSpec } from '../experiment/notify-schema.js';
import { readUserText } from '../input/read-user-file.js';
import type { ResolvedTarget } from './types.js';

/** A URL file is one line: 64 KiB is far beyond any webhook URL. */
const MAX_URL_FILE_BYTES = 64 * 1024;

/** What the secret's source is called in messages: never the URL. */
export function urlLabel(urlFrom: NotifyTargetSpec['urlFrom']): string {
  return urlFrom.env !== undefined ? `<url from $${urlFrom.env}>` : `<url from file ${urlFrom.file}>`;
}

/**
 * `env` without the variables notify targets read their URL from: what processes mesh-exp starts
 * for the user (backend commands) get, so the webhook URL stays mesh-exp's.
 */
export function withoutNotifySecrets(env: Readonly<Record<string, string | undefined>>, targets: readonly Pick<NotifyTargetSpec, 'urlFrom'>[] | undefined): Record<string, string | undefined> {
  const out = { ...env };
  for (const t of targets ?? []) if (t.urlFrom.env !== undefined) delete out[t.urlFrom.env];
  return out;
}

/** A problem with one target's secret. */
export interface NotifyTargetProblem {
  /** Index of the target in `spec.notify`. */
  index: number;
  /** The `urlFrom` field the problem is about. */
  field: 'env' | 'file';
  /** What is wrong (never the secret). */
  message: string;
  /** What to do. */
  hint?: string;
}

/** Outcome of {@link resolveNotifyTargets}. */
export interface ResolvedTargets {
  /** The targets, when there is no problem. */
  targets: ResolvedTarget[];
  /** Every problem, one per target at most. */
  problems: NotifyTargetProblem[];
}

/** Where relative files resolve, and the environment variables are read from. */
export interface ResolveOptions {
  /** The context's environment. */
  env: Readonly<Record<string, string | undefined>>;
  /** Directory of the experiment file. */
  dir: string;
}

/** Why `text` is not a URL a notification can go to, or undefined. The text is never quoted. */
function urlProblem(text: string): string | undefined {
  if (text === '') return 'is empty';
  if (/\s/.test(text)) return 'holds whitespace inside the URL';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'does not hold a URL';
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : `holds a ${url.protocol.replace(/:$/, '')} URL, not http or https`;
}

async function resolveOne(spec: NotifyTargetSpec, options: ResolveOptions): Promise<{ url: string } | { message: string; hint?: string }> {
  const { env, file } = spec.urlFrom;
  if (env !== undefined) {
    const value = options.env[env];
    if (value === undefined) return { message: `environment variable ${env} is not set`, hint: `export ${env}=<the webhook URL> before running (the URL is a secret: it stays out of the experiment file)` };
    const problem = urlProblem(value.trim());
    return problem ? { message: `environment variable ${env} ${problem}`, hint: 'it must hold the webhook URL, http:// or https://' } : { url: value.trim() };
  }
  const read = await readUserText(path.resolve(options.dir, file!), file!, { maxBytes: MAX_URL_FILE_BYTES });
  if (read.text === undefined) {
    // Only the first problem's message: a decoding problem may point into the file, never quote it.
    return { message: `cannot read the URL file ${file}: ${read.problems[0]?.message ?? 'unreadable'}`, hint: 'give a readable file holding the webhook URL, relative to the experiment file' };
  }
  const line = read.text.trim().split('\n')[0]!.trim();
  const problem = urlProblem(line);
  return problem ? { message: `the URL file ${file} ${problem}`, hint: 'its first line must be the webhook URL, http:// or https://' } : { url: line };
}

/** Resolves every target's URL; problems for each one that cannot be. */
export async function resolveNotifyTargets(specs: readonly NotifyTargetSpec[], options: ResolveOptions): Promise<ResolvedTargets> {
  const targets: ResolvedTarget[] = [];
  const problems: NotifyTargetProblem[] = [];
  for (const [index, spec] of specs.entries()) {
    const got = await resolveOne(spec, options);
    if ('url' in got) targets.push({ type: spec.type, url: got.url, label: urlLabel(spec.urlFrom), on: spec.on, timeoutMs: spec.timeout, retries: spec.retries });
    else problems.push({ index, field: spec.urlFrom.env !== undefined ? 'env' : 'file', ...got });
  }
  return { targets, problems };
}

/** Like {@link resolveNotifyTargets}, throwing a UsageError (exit 2) for the first problem. */
export async function requireNotifyTargets(specs: readonly NotifyTargetSpec[], options: ResolveOptions): Promise<ResolvedTarget[]> {
  const { targets, problems } = await resolveNotifyTargets(specs, options);
  const first = problems[0];
  if (first) throw new UsageError(`spec.notify[${first.index}].urlFrom.${first.field}: ${first.message}`, first.hint ? { hint: first.hint } : {});
  return targets;
}
