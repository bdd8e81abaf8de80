/**
 * Maps whose keys the user chooses (metadata.labels, load.headers): every key is kept, including
 * "__proto__". zod's record leaves "__proto__" out of what it returns (a guard against prototype
 * pollution on the plain object it fills), so a label named "__proto__" silently vanished from
 * result.json. Here the record still checks the map (and gives the JSON Schema), and the result
 * is rebuilt with Object.fromEntries, which defines "__proto__" as an own key like any other.
 */
import { z } from 'zod';

type Entry = { present: false } | { present: true; raw: Record<string, unknown>; value: unknown };

function protoEntry(raw: unknown): Entry {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { present: false };
  const own = Object.getOwnPropertyDescriptor(raw, '__proto__');
  return own && 'value' in own ? { present: true, raw: raw as Record<string, unknown>, value: own.value } : { present: false };
}

/**
 * A map of user-chosen keys to values checked by `key` and `value`, keeping every key in the
 * order written.
 */
export function userMap<K extends z.ZodType<string, string>, V extends z.ZodType<string, string>>(key: K, value: V) {
  // Set by the preprocess step and read by the transform of the same parse, right after it (a
  // parse is synchronous, and the values here are strings, so no other map is parsed in between).
  let pending: Entry = { present: false };
  const checked = z.record(key, value);
  const record = checked.transform((out) => {
    const entry = pending;
    pending = { present: false };
    if (!entry.present) return out;
    return Object.fromEntries(Object.keys(entry.raw).map((name) => [name, name === '__proto__' ? entry.value : out[name]!])) as typeof out;
  });
  return z.preprocess((raw, ctx) => {
    const entry = protoEntry(raw);
    pending = { present: false };
    // "__proto__" is checked here, as the record checks every other key, since the record skips it.
    const k = entry.present ? key.safeParse('__proto__') : undefined;
    const v = entry.present ? value.safeParse(entry.value) : undefined;
    for (const issue of [...(k?.error?.issues ?? []), ...(v?.error?.issues ?? [])]) {
      ctx.issues.push({ code: 'custom', message: issue.message, input: entry.present ? entry.value : undefined, path: ['__proto__'] });
    }
    if (entry.present && k?.success && v?.success) pending = { present: true, raw: entry.raw, value: v.data };
    // Issues here stop the parse before the record, so its own problems are added now (all at once).
    else if (entry.present) for (const issue of checked.safeParse(raw).error?.issues ?? []) ctx.issues.push(issue as (typeof ctx.issues)[number]);
    return raw;
  }, record);
}
