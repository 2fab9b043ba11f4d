import { resolve } from "node:path";
import { AskDbError } from "../errors/index.js";
import {
  isSettingKey,
  SETTING_KEYS,
  settingMeta,
  settingsSchema,
  type SettingKey,
  type Settings,
} from "./schema.js";
import { didYouMean } from "./suggest.js";

export function assertSettingKey(key: string): asserts key is SettingKey {
  if (isSettingKey(key)) return;
  throw new AskDbError("INVALID_INPUT", `unknown setting "${key}"`, {
    hint: `${didYouMean(key, SETTING_KEYS)}run \`askdb config list\` to see every setting`,
    details: { key, known: SETTING_KEYS },
  });
}

/**
 * Checks a value against the setting's schema. `origin` names where it came from ("stored value",
 * "ASKDB_THREADS") so the message points at what to fix.
 */
export function validateSetting<K extends SettingKey>(key: K, value: unknown, origin?: string): Settings[K] {
  const result = settingsSchema.shape[key].safeParse(value);
  if (result.success && value !== undefined) return result.data as Settings[K];
  throw invalidValue(
    key,
    value,
    result.success ? "a value is required" : result.error.issues[0]?.message,
    origin,
  );
}

function invalidValue(
  key: SettingKey,
  value: unknown,
  reason: string | undefined,
  origin?: string,
): AskDbError {
  const { allowed, example, env } = settingMeta[key];
  const from = origin ? ` (from ${origin})` : "";
  return new AskDbError(
    "INVALID_INPUT",
    `${JSON.stringify(value)} is not a valid ${key}${from}: ${reason ?? `expected ${allowed}`}`,
    {
      hint: `${reason ? `expected ${allowed}; ` : ""}${
        origin === env ? `fix or unset ${env}` : `e.g. \`askdb config set ${key} ${example}\``
      }`,
      details: { key, value, allowed },
    },
  );
}

const NULL_WORDS = new Set(["null", "none", "default"]);
const BOOLEAN_WORDS: Record<string, boolean> = {
  true: true,
  yes: true,
  on: true,
  false: false,
  no: false,
  off: false,
};

/**
 * Reads a value as a person types it on a command line or in an environment variable:
 * "4", "true", "null", "llamacpp,ollama", `["a","b"]`. Relative paths are made absolute.
 * Throws INVALID_INPUT with the allowed values when nothing fits.
 */
export function parseSettingText<K extends SettingKey>(key: K, text: string, origin?: string): Settings[K] {
  const schema = settingsSchema.shape[key];
  for (const candidate of readingsOf(key, text.trim())) {
    const result = schema.safeParse(candidate);
    if (result.success) return result.data as Settings[K];
  }
  throw invalidValue(key, text, undefined, origin);
}

/** Settings holding paths: a relative path a person types is made absolute. */
const PATH_SETTINGS: ReadonlySet<SettingKey> = new Set(["models.dir", "databases.allowed"]);

/** The ways a text could be meant, most literal first; the first the schema accepts wins. */
function readingsOf(key: SettingKey, text: string): unknown[] {
  const lower = text.toLowerCase();
  const asPath = (part: string) => (PATH_SETTINGS.has(key) && part !== "" ? resolve(part) : part);
  const readings: unknown[] = [];
  if (NULL_WORDS.has(lower)) readings.push(null);
  readings.push(asPath(text));
  if (lower in BOOLEAN_WORDS) readings.push(BOOLEAN_WORDS[lower]);
  if (text !== "" && Number.isFinite(Number(text))) readings.push(Number(text));
  if (text.startsWith("[")) readings.push(parseJsonOrText(text));
  readings.push(
    text
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part !== "")
      .map(asPath),
  );
  return readings;
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
