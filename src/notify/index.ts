/**
 * The notify extension point: `spec.notify` targets (Slack-compatible or generic JSON webhooks)
 * told of a run's or a game day's start, decisions and verdict. See docs/architecture.md.
 */
export { createGameDayNotifications, createRunNotifications, type GameDayNotifications, type RunNotifications } from './notifications.js';
export { INTERRUPTED_GRACE_MS, NOTIFY_GRACE_MS } from './notifier.js';
export { resolveNotifyTargets, urlLabel, withoutNotifySecrets, type NotifyTargetProblem } from './resolve-url.js';
export { notificationPayloadSchema, NOTIFICATION_SCHEMA_PATH, renderNotificationJsonSchema, type NotificationEvent } from './payload-schema.js';
export type { GameDayDecision, GameDayStart, GameDayVerdict } from './events.js';
