/**
 * Reads Istio manifests (VirtualService, DestinationRule, Gateway) from files and directories, the same
 * YAML the user applies to a cluster. Directories contribute their `*.yaml` / `*.yml` files
 * (not recursive), in sorted order; multi-document files are split; empty documents skipped.
 * Every problem is located (`file:line:col path: message`); nothing is thrown mid-way, so one
 * run reports them all.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError, type Problem } from '../errors.js';
import { parseYamlStream, readYamlText, type YamlSafetyOptions, type YamlSource } from '../input/load-yaml.js';
import { positionOf } from '../input/locate.js';
import { problemsFromIssues } from '../input/issues.js';
import { destinationRuleSchema, gatewaySchema, ISTIO_KINDS, manifestHeadSchema, virtualServiceSchema } from './manifest-schema.js';
import { PARSE_ONCE, type AnySchema } from '../input/schema-walk.js';
import type { DestinationRule, Gateway, IstioObject, VirtualService } from './types.js';

/** The Istio objects of an experiment's manifests. */
export interface ManifestSet {
  /** VirtualServices, in file order; `metadata.namespace` filled in ("default" when absent). */
  virtualServices: VirtualService[];
  /** DestinationRules, in file order; `metadata.namespace` filled in. */
  destinationRules: DestinationRule[];
  /** Gateways, in file order; `metadata.namespace` filled in. (Additive.) @default [] */
  gateways?: Gateway[];
  /** Absolute paths of the files read, in the order read. */
  files: string[];
}

/** Where an object was defined, for messages. */
export interface ManifestOrigin {
  /** File as shown to the user. */
  file: string;
  /** 1-based line of the object's start. */
  line: number;
}

/** Options of {@link readManifests}. */
export interface ReadManifestsOptions extends YamlSafetyOptions {
  /**
   * Directory used when printing file names in problems, as the user would write it (e.g. the
   * experiment file's directory as given on the command line).
   * @default baseDir
   */
  displayDir?: string;
}

/** A manifest path that could not be read at all (so the caller can point at where it is named). */
export interface UnreadableManifestPath {
  /** Index of the path in the list given. */
  index: number;
  /** The path as given. */
  path: string;
  /** Why, e.g. "manifest file not found: istio/vs.yaml". */
  message: string;
  /** What to do about it. */
  hint?: string;
}

/** Everything {@link readManifests} found. */
export interface ReadManifestsResult {
  /** The objects that are valid. */
  set: ManifestSet;
  /** Located problems inside the manifest files. */
  problems: Problem[];
  /** Paths that do not exist or hold no YAML files. */
  unreadable: UnreadableManifestPath[];
  /** Where each object came from. */
  origins: Map<IstioObject, ManifestOrigin>;
}

const YAML_FILE = /\.ya?ml$/i;

/** Expands the given paths to YAML files: files as given, directories to their sorted *.yaml/*.yml. */
async function expandPaths(paths: readonly string[], baseDir: string, displayDir: string) {
  const files: { abs: string; display: string }[] = [];
  const unreadable: UnreadableManifestPath[] = [];
  const seen = new Set<string>();
  const add = (abs: string, display: string) => {
    if (!seen.has(abs)) files.push({ abs, display });
    seen.add(abs);
  };
  for (const [index, p] of paths.entries()) {
    const abs = path.resolve(baseDir, p);
    const display = path.isAbsolute(p) ? p : path.join(displayDir, p);
    const info = await stat(abs).catch(() => undefined);
    if (!info) {
      unreadable.push({ index, path: p, message: `manifest file not found: ${display}`, hint: 'manifest paths are relative to the experiment file' });
    } else if (info.isDirectory()) {
      const entries = (await readdir(abs, { withFileTypes: true })).filter((e) => e.isFile() && YAML_FILE.test(e.name));
      if (entries.length === 0) unreadable.push({ index, path: p, message: `no .yaml or .yml files in directory ${display}` });
      for (const name of entries.map((e) => e.name).sort()) add(path.join(abs, name), path.join(display, name));
    } else {
      add(abs, display);
    }
  }
  return { files, unreadable };
}

/** The files `paths` name (files as given, directories expanded to their sorted *.yaml/*.yml), absolute, as the manifest reader reads them. */
export async function manifestFiles(paths: readonly string[], baseDir: string): Promise<string[]> {
  return (await expandPaths(paths, baseDir, baseDir)).files.map((f) => f.abs);
}

type Checked = { object: IstioObject; source: YamlSource } | { problems: Problem[] };

/** Checks one document: head first (apiVersion, kind), then the kind's own shape. */
function checkDocument(source: YamlSource): Checked {
  const issueSource = (schema: AnySchema) => ({ ...source, schema });
  const head = manifestHeadSchema.safeParse(source.data, PARSE_ONCE);
  if (!head.success) {
    const kind = (source.data as { kind?: unknown } | null)?.kind;
    if (typeof kind === 'string' && !(ISTIO_KINDS as readonly string[]).includes(kind)) {
      return {
        problems: [{
          file: source.file,
          ...positionOf(source, ['kind']),
          path: 'kind',
          message: `mesh-exp reads only ${ISTIO_KINDS.join(', ')} objects, not ${kind}`,
          hint: 'keep other objects (ServiceEntry, Deployment, ...) out of the manifests listed in spec.local.manifests',
        }],
      };
    }
    return { problems: problemsFromIssues(head.error.issues, issueSource(manifestHeadSchema)) };
  }
  const schema = head.data.kind === 'VirtualService' ? virtualServiceSchema : head.data.kind === 'Gateway' ? gatewaySchema : destinationRuleSchema;
  const parsed = schema.safeParse(source.data, PARSE_ONCE);
  if (!parsed.success) return { problems: problemsFromIssues(parsed.error.issues, issueSource(schema)) };
  const object = parsed.data as unknown as IstioObject;
  object.metadata.namespace ??= 'default';
  const problems = object.kind === 'DestinationRule' ? duplicateSubsets(object, source) : [];
  return problems.length > 0 ? { problems } : { object, source };
}

function duplicateSubsets(rule: DestinationRule, source: YamlSource): Problem[] {
  const seen = new Set<string>();
  return (rule.spec.subsets ?? []).flatMap((s, i) => {
    if (!seen.has(s.name)) {
      seen.add(s.name);
      return [];
    }
    const p = ['spec', 'subsets', i, 'name'];
    return [{ file: source.file, ...positionOf(source, p), path: `spec.subsets[${i}].name`, message: `duplicate subset name "${s.name}"` }];
  });
}

/**
 * Reads manifests without throwing: the valid objects, every problem, and the paths that could
 * not be read (returned apart, so an experiment can point at the entry of `spec.local.manifests`).
 */
export async function readManifests(
  paths: readonly string[],
  baseDir: string,
  options: ReadManifestsOptions = {},
): Promise<ReadManifestsResult> {
  const { files, unreadable } = await expandPaths(paths, baseDir, options.displayDir ?? baseDir);
  const gateways: Gateway[] = [];
  const set: ManifestSet = { virtualServices: [], destinationRules: [], gateways, files: [] };
  const problems: Problem[] = [];
  const origins = new Map<IstioObject, ManifestOrigin>();
  const byId = new Map<string, ManifestOrigin>();
  for (const { abs, display } of files) {
    const read = await readYamlText(abs, display, options);
    problems.push(...read.problems);
    if (read.text === undefined) continue;
    set.files.push(abs);
    const stream = parseYamlStream(read.text, display, options);
    problems.push(...stream.problems);
    for (const source of stream.docs) {
      const checked = checkDocument(source);
      if ('problems' in checked) {
        problems.push(...checked.problems);
        continue;
      }
      const { object } = checked;
      const id = `${object.kind} ${object.metadata.namespace}/${object.metadata.name}`;
      const first = byId.get(id);
      if (first) {
        problems.push({
          file: display,
          ...positionOf(source, ['metadata', 'name']),
          path: 'metadata.name',
          message: `${id} is defined twice (first in ${first.file}:${first.line})`,
          hint: 'each object may appear once in the manifests; remove one of them',
        });
        continue;
      }
      const origin = { file: display, line: source.lineCounter.linePos(source.doc.contents?.range?.[0] ?? source.doc.range[0]).line };
      byId.set(id, origin);
      origins.set(object, origin);
      if (object.kind === 'VirtualService') set.virtualServices.push(object);
      else if (object.kind === 'Gateway') gateways.push(object);
      else set.destinationRules.push(object);
    }
  }
  return { set, problems, unreadable, origins };
}

/**
 * Loads manifests for use: files and directories, resolved against `baseDir`.
 * @throws ValidationError listing every problem (including paths that do not exist).
 */
export async function loadManifests(paths: string[], baseDir: string, options: ReadManifestsOptions = {}): Promise<ManifestSet> {
  const result = await readManifests(paths, baseDir, options);
  const missing: Problem[] = result.unreadable.map((u) => ({ path: '', message: u.message, ...(u.hint ? { hint: u.hint } : {}) }));
  const problems = [...missing, ...result.problems];
  if (problems.length > 0) throw new ValidationError(problems);
  return result.set;
}
