/**
 * `spec.notify`: where a run tells people how it goes (a Slack incoming webhook, or a generic JSON
 * webhook) and at which moments. The URL itself is a secret and never written here: the file
 * names an environment variable or a file that holds it, so result.json, the journal and the
 * reports keep only that reference. Exported for the game day file, which takes the same list.
 */
import { z } from 'zod';
import { duration, REQUEST_DURATION } from './schema-fields.js';

/** Where a notification can go (the keys of the notify registry, `src/notify/registry.ts`). */
export const NOTIFY_TYPES = ['slack', 'webhook'] as const;

/** The moments a run notifies: its start, each step's decision, its verdict. */
export const NOTIFY_EVENTS = ['start', 'decision', 'verdict'] as const;

/** Most targets one file may name: each one is a request per event, and more is a mistake. */
export const MAX_NOTIFY_TARGETS = 8;

/** Most retries of one event: with exponential backoff, more would outlast any run's end. */
export const MAX_NOTIFY_RETRIES = 10;

/** A POSIX environment variable name. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Where the webhook URL is read: an environment variable or a file, never the URL itself. */
export const urlFromSchema = z
  .strictObject({
    env: z
      .string()
      .regex(ENV_NAME, 'expected an environment variable name (letters, digits, "_"; not starting with a digit), e.g. "SLACK_WEBHOOK_URL"')
      .max(256)
      .optional()
      .describe('Environment variable holding the URL, e.g. "SLACK_WEBHOOK_URL". Give env or file. @default absent'),
    file: z
      .string()
      .min(1)
      .max(4096)
      .optional()
      .describe('File holding the URL (its first line; surrounding whitespace ignored), relative to the experiment file, e.g. a mounted secret. Give env or file. @default absent'),
  })
  .refine((u) => (u.env === undefined) !== (u.file === undefined), { message: 'urlFrom needs exactly one of env, file' })
  .describe('Where the webhook URL comes from (it is a secret: it is never printed nor written to the run directory).');

/** One notification target. */
export const notifyTargetSchema = z
  .strictObject({
    type: z
      .enum(NOTIFY_TYPES)
      .describe('"slack": a Slack-compatible incoming webhook (JSON with text and blocks); "webhook": a generic JSON POST whose body follows schema/notification.schema.json.'),
    urlFrom: urlFromSchema,
    on: z
      .array(z.enum(NOTIFY_EVENTS))
      .min(1)
      .default([...NOTIFY_EVENTS])
      .describe('Events sent to this target: "start" (the run changed the mesh), "decision" (each step: continue, promote, rollback), "verdict" (the outcome, summary and report path). @default ["start", "decision", "verdict"]'),
    timeout: duration('Timeout of each attempt to deliver one event. @default "5s"', REQUEST_DURATION).prefault('5s'),
    retries: z
      .number()
      .int()
      .min(0)
      .max(MAX_NOTIFY_RETRIES)
      .default(3)
      .describe(`Retries of an event after a 429, a 5xx, a timeout or a connection error (never after another 4xx), with exponential backoff and Retry-After honoured up to a cap; 0 to ${MAX_NOTIFY_RETRIES}. @default 3`),
  })
  .describe('A webhook to notify. A failed notification only warns: it never changes the verdict nor delays the restore.');

/** `spec.notify`: a list of targets. */
export const notifySchema = z
  .array(notifyTargetSchema)
  .max(MAX_NOTIFY_TARGETS)
  .describe(`Webhooks told of the run's start, each step's decision and its verdict; at most ${MAX_NOTIFY_TARGETS}. @default absent (no notification)`);

/** A parsed notification target (timeout in ms). */
export type NotifyTargetSpec = z.output<typeof notifyTargetSchema>;

/** The event names of {@link NOTIFY_EVENTS}. */
export type NotifyEventName = (typeof NOTIFY_EVENTS)[number];
