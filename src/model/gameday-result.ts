/**
 * A game day's result.json as TypeScript types, derived from the zod schema in
 * `gameday-result-schema.ts` (one description for the types, the JSON Schema and the reader).
 */
import type { z } from 'zod';
import type { gameDayExperimentSchema, gameDayResultSchema, gameDayStatusSchema } from './gameday-result-schema.js';

/** How one experiment of the day ended. */
export type GameDayStatus = z.output<typeof gameDayStatusSchema>;

/** One experiment of the day. */
export type GameDayExperimentResult = z.output<typeof gameDayExperimentSchema>;

/** A game day's result.json. */
export type GameDayResult = z.output<typeof gameDayResultSchema>;

/** File name of a game day's journal in its directory; a run directory beside it is one of the day's runs. */
export const GAMEDAY_JOURNAL_FILE = 'gameday.jsonl';
