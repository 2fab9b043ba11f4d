import type { Store } from "../store/index.js";
import { keyValueTable } from "./key-value-table.js";
import { createLiveView, type Unsubscribe } from "./live-view.js";
import {
  SETTING_DEFAULTS,
  SETTING_KEYS,
  settingDescription,
  settingMeta,
  type HttpAccess,
  type SettingKey,
  type Settings,
} from "./schema.js";
import { assertSettingKey, parseSettingText, validateSetting } from "./values.js";

/** Where a value comes from. Precedence: flag (command line) > env > stored > default. */
export type SettingSource = "default" | "stored" | "env" | "flag";

export interface SettingDescription<K extends SettingKey = SettingKey> {
  key: K;
  value: Settings[K];
  default: Settings[K];
  source: SettingSource;
  description: string;
  /** What a valid value looks like. */
  allowed: string;
  /** The environment variable that overrides it. */
  env: string;
  /** Who may change it over HTTP. */
  http: HttpAccess;
  /** The stored value, when there is one (it may be shadowed by env or a flag). */
  stored?: Settings[K];
  /** Set when something is off, e.g. a stored value this askdb no longer accepts. */
  warning?: string;
}

export interface SettingChange<K extends SettingKey = SettingKey> {
  key: K;
  value: Settings[K];
  previous: Settings[K];
}

export interface SettingsService {
  get<K extends SettingKey>(key: K): Settings[K];
  getAll(): Settings;
  /** Validates and stores a value; INVALID_INPUT with the allowed values otherwise. */
  set<K extends SettingKey>(key: K, value: Settings[K]): SettingDescription<K>;
  set(key: string, value: unknown): SettingDescription;
  /** Like `set` for several keys at once: all are validated first, then stored together. */
  update(values: Record<string, unknown>): SettingDescription[];
  /** Forgets the stored value, so the default (or env / flag) applies again. */
  reset(key: string): SettingDescription;
  resetAll(): void;
  describe(): SettingDescription[];
  /** Called with every change of an effective value, from this process or another. */
  onChange(listener: (change: SettingChange) => void): Unsubscribe;
}

export interface SettingsOptions {
  /** Defaults to process.env; ASKDB_* variables override stored values. */
  env?: NodeJS.ProcessEnv;
  /** Values given on the command line; they win over everything. */
  overrides?: Partial<Settings>;
}

interface Layer {
  value: unknown;
  warning?: string;
}

export function createSettings(store: Store, options: SettingsOptions = {}): SettingsService {
  const fromEnv = readEnvLayer(options.env ?? process.env);
  const fromFlags = readOverrideLayer(options.overrides ?? {});
  const table = keyValueTable<string>(store, "settings", { key: "key", value: "value_json" });

  const view = createLiveView(
    store,
    () => describeAll(readStoredLayer(table.all()), fromEnv, fromFlags),
    (entry) => entry.value,
  );
  const entry = <K extends SettingKey>(key: K) => view.entries().get(key) as SettingDescription<K>;

  function update(values: Record<string, unknown>): SettingDescription[] {
    const valid = Object.entries(values).map(([key, value]) => {
      assertSettingKey(key);
      return [key, validateSetting(key, value)] as const;
    });
    view.write(() => {
      for (const [key, value] of valid) table.put(key, JSON.stringify(value));
    });
    return valid.map(([key]) => entry(key));
  }

  return {
    get: (key) => entry(key).value,
    getAll: () => Object.fromEntries(SETTING_KEYS.map((key) => [key, entry(key).value])) as Settings,
    set: (key: string, value: unknown) => update({ [key]: value })[0] as never,
    update,
    reset(key) {
      assertSettingKey(key);
      view.write(() => table.remove(key));
      return entry(key);
    },
    resetAll: () => view.write(table.removeAll),
    describe: () => SETTING_KEYS.map((key) => entry(key)),
    onChange: (listener) => view.subscribe((change) => listener(change as SettingChange)),
  };
}

function describeAll(
  stored: Map<SettingKey, Layer>,
  env: Map<SettingKey, Layer>,
  flags: Map<SettingKey, Layer>,
): Map<string, SettingDescription> {
  const entries = new Map<string, SettingDescription>();
  for (const key of SETTING_KEYS) {
    const storedLayer = stored.get(key);
    const usable = storedLayer && storedLayer.warning === undefined ? storedLayer : undefined;
    const [source, layer]: [SettingSource, Layer | undefined] = flags.has(key)
      ? ["flag", flags.get(key)]
      : env.has(key)
        ? ["env", env.get(key)]
        : usable
          ? ["stored", usable]
          : ["default", undefined];
    entries.set(key, {
      key,
      value: (layer ? layer.value : SETTING_DEFAULTS[key]) as never,
      default: SETTING_DEFAULTS[key] as never,
      source,
      description: settingDescription(key),
      allowed: settingMeta[key].allowed,
      env: settingMeta[key].env,
      http: settingMeta[key].http,
      ...(usable ? { stored: usable.value as never } : {}),
      ...(storedLayer?.warning ? { warning: storedLayer.warning } : {}),
    });
  }
  return entries;
}

/** A stored value this askdb no longer accepts is ignored (with a warning), never fatal. */
function readStoredLayer(rows: Array<{ key: string; value: string }>): Map<SettingKey, Layer> {
  const layer = new Map<SettingKey, Layer>();
  for (const { key, value } of rows) {
    if (!SETTING_KEYS.includes(key as SettingKey)) continue;
    try {
      layer.set(key as SettingKey, {
        value: validateSetting(key as SettingKey, JSON.parse(value), "stored value"),
      });
    } catch (error) {
      layer.set(key as SettingKey, {
        value: undefined,
        warning: `stored value ${value} is not valid (${(error as Error).message}); the default applies — run \`askdb config set ${key} …\` or \`askdb config reset ${key}\``,
      });
    }
  }
  return layer;
}

/** ASKDB_* variables; an empty one counts as unset. A malformed one is an error naming it. */
function readEnvLayer(env: NodeJS.ProcessEnv): Map<SettingKey, Layer> {
  const layer = new Map<SettingKey, Layer>();
  for (const key of SETTING_KEYS) {
    const name = settingMeta[key].env;
    const text = env[name];
    if (text !== undefined && text.trim() !== "")
      layer.set(key, { value: parseSettingText(key, text, name) });
  }
  return layer;
}

function readOverrideLayer(overrides: Partial<Settings>): Map<SettingKey, Layer> {
  const layer = new Map<SettingKey, Layer>();
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    assertSettingKey(key);
    layer.set(key, { value: validateSetting(key, value, "command-line option") });
  }
  return layer;
}
