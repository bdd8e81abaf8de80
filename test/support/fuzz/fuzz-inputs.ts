/**
 * What the fuzzer mutates: the shipped experiments and game days (`experiments/*.yaml`), the manifests they
 * reference (`experiments/manifests/`), and the schemas of both, all read when the suite starts,
 * so a new shipped experiment, manifest or schema field is fuzzed without a change to the suite.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { gameDaySchema } from '../../../src/experiment/gameday-schema.js';
import { buildExperimentJsonSchema } from '../../../src/experiment/json-schema.js';
import { connectionPoolSchema, loadBalancerSchema, outlierDetectionSchema } from '../../../src/experiment/policy-schema.js';
import { destinationRuleSchema, gatewaySchema, virtualServiceSchema } from '../../../src/istio/manifest-schema.js';
import { ITEM, schemaFields, type JsonSchema, type SchemaField } from './schema-fields.js';

/** A shipped file: its text and its data. */
export interface BaseFile {
  /** File name, relative to its folder. */
  name: string;
  /** The text as shipped (comments included). */
  text: string;
  /** The parsed data. */
  data: unknown;
}

/** Everything the case generators draw from. */
export interface FuzzInputs {
  /** `experiments/*.yaml` of kind Experiment. */
  experiments: BaseFile[];
  /** `experiments/*.yaml` of kind GameDay, which name the experiments beside them by path. */
  gameDays: BaseFile[];
  /** `experiments/manifests/*.yaml`, which the experiments name as `manifests/<file>`. */
  manifests: BaseFile[];
  /** `experiments/data/*` (load.data files: CSV, JSON), which the experiments name as `data/<file>`; `data` is the text. */
  dataFiles: BaseFile[];
  /** Every field of the experiment schema. */
  experimentFields: SchemaField[];
  /** Every field of the game-day schema (an inline experiment is a map there: its fields are the experiment's). */
  gameDayFields: SchemaField[];
  /** Every field of the manifest schemas (VirtualService, DestinationRule, Gateway). */
  manifestFields: SchemaField[];
  /** Every key any schema names (for near-miss keys). */
  knownKeys: string[];
}

async function readBases(dir: string): Promise<BaseFile[]> {
  const names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && /\.ya?ml$/.test(e.name)).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const text = await readFile(path.join(dir, name), 'utf8');
      return { name, text, data: parse(text) as unknown };
    }),
  );
}

const jsonSchemaOf = (schema: z.ZodType): JsonSchema => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

/**
 * The trafficPolicy fields of a DestinationRule (top level and per subset), which the manifest
 * schema leaves loose: the settings' schemas are the experiment's own (`policy-schema.ts` mirrors
 * Istio's types), so what the mesh reads from a manifest is fuzzed like what traffic.policy writes.
 */
function trafficPolicyFields(): SchemaField[] {
  const settings = { connectionPool: connectionPoolSchema, outlierDetection: outlierDetectionSchema, loadBalancer: loadBalancerSchema };
  return [['spec', 'trafficPolicy'], ['spec', 'subsets', ITEM, 'trafficPolicy']].flatMap((prefix) =>
    Object.entries(settings).flatMap(([name, schema]) => {
      const root = jsonSchemaOf(schema);
      return [{ path: [...prefix, name], schema: root }, ...schemaFields(root).map((f) => ({ ...f, path: [...prefix, name, ...f.path] }))];
    }),
  );
}

/** Reads the shipped files under `repoRoot` and builds the schemas' field lists. */
export async function loadFuzzInputs(repoRoot: string): Promise<FuzzInputs> {
  const shipped = await readBases(path.join(repoRoot, 'experiments'));
  const isGameDay = (b: BaseFile) => (b.data as { kind?: unknown } | null)?.kind === 'GameDay';
  const experiments = shipped.filter((b) => !isGameDay(b));
  const gameDays = shipped.filter(isGameDay);
  const manifests = await readBases(path.join(repoRoot, 'experiments', 'manifests'));
  const dataDir = path.join(repoRoot, 'experiments', 'data');
  const dataNames = (await readdir(dataDir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort();
  const dataFiles = await Promise.all(dataNames.map(async (name) => ({ name, text: await readFile(path.join(dataDir, name), 'utf8'), data: undefined })));
  if (experiments.length === 0 || manifests.length === 0) throw new Error(`no experiments or manifests under ${repoRoot}/experiments`);
  const experimentFields = schemaFields(buildExperimentJsonSchema());
  const gameDayFields = schemaFields(jsonSchemaOf(gameDaySchema));
  const manifestFields = [...[virtualServiceSchema, destinationRuleSchema, gatewaySchema].flatMap((s) => schemaFields(jsonSchemaOf(s))), ...trafficPolicyFields()];
  const knownKeys = [...new Set([...experimentFields, ...gameDayFields, ...manifestFields].map((f) => f.path.at(-1)!).filter((k) => k !== '[]' && k !== '*'))];
  return { experiments, gameDays, manifests, dataFiles, experimentFields, gameDayFields, manifestFields, knownKeys };
}
