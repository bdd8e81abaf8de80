/**
 * Helpers of the game-day tests: the attach fixture written for a given mesh, and the combined
 * reports read back and checked with tools independent of the code that wrote them (ajv against
 * the published schema, fast-xml-parser).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { GAMEDAY_RESULT_SCHEMA_PATH } from '../../src/gameday/result-json-schema.js';
import type { GameDayResult } from '../../src/model/gameday-result.js';
import { repoRoot } from './recover-harness.js';

/** test/fixtures/gameday/attach-day.yaml in a temp dir, attached to the mesh at `adminUrl`; returns its path. */
export async function attachDayFor(adminUrl: string): Promise<string> {
  const text = await readFile(path.join(repoRoot, 'test/fixtures/gameday/attach-day.yaml'), 'utf8');
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-gameday-'));
  const file = path.join(dir, 'attach-day.yaml');
  await writeFile(file, text.replaceAll('http://127.0.0.1:15020', adminUrl));
  return file;
}

/** One <testsuite> of junit.xml, as fast-xml-parser reads it (attributes unprefixed). */
export interface JunitSuite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
  testcase: unknown;
}

/** The game day's result.json, checked against the published schema, and its junit.xml suites (the XML checked well-formed). */
export async function readDayReports(dir: string): Promise<{ result: GameDayResult; schemaErrors: unknown; suites: JunitSuite[]; html: string; markdown: string }> {
  const schema = JSON.parse(await readFile(path.join(repoRoot, GAMEDAY_RESULT_SCHEMA_PATH), 'utf8'));
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  const result = JSON.parse(await readFile(path.join(dir, 'result.json'), 'utf8')) as GameDayResult;
  const schemaErrors = validate(result) ? null : validate.errors;
  const xml = await readFile(path.join(dir, 'junit.xml'), 'utf8');
  if (XMLValidator.validate(xml) !== true) throw new Error(`junit.xml is not well-formed: ${JSON.stringify(XMLValidator.validate(xml))}`);
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
  const suites = [parsed.testsuites.testsuite].flat() as JunitSuite[];
  const html = await readFile(path.join(dir, 'index.html'), 'utf8');
  const markdown = await readFile(path.join(dir, 'summary.md'), 'utf8');
  return { result, schemaErrors, suites, html, markdown };
}
