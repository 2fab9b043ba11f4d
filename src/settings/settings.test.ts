import { afterEach, describe, expect, it } from "vitest";
import { AskDbError } from "../errors/index.js";
import {
  createSettings,
  parseSettingText,
  SETTING_DEFAULTS,
  SETTING_KEYS,
  settingMeta,
  type SettingChange,
} from "./index.js";
import { createTempStores } from "./testing/temp-stores.js";

const stores = createTempStores();
afterEach(stores.cleanup);

function thrown(fn: () => unknown): AskDbError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AskDbError) return error;
    throw error;
  }
  throw new Error("expected an AskDbError");
}

describe("settings", () => {
  it("starts from the documented defaults", () => {
    const settings = createSettings(stores.open(), { env: {} });
    expect(settings.getAll()).toEqual(SETTING_DEFAULTS);
    expect(settings.get("backend.order")).toEqual(["llamacpp"]);
    expect(settings.get("ollama.url")).toBe("http://127.0.0.1:11434");
    expect(settings.get("privacy.allowRemote")).toBe(false);
    expect(settings.get("privacy.historyRetention")).toBe("30d");
    expect(settings.get("engine.threads")).toBeNull();
    expect(settings.get("engine.gpuLayers")).toBe("auto");
    expect(settings.get("engine.keepAliveSeconds")).toBe(300);
    expect(settings.get("query.maxRows")).toBe(1000);
    expect(settings.get("query.timeoutMs")).toBe(10_000);
    expect(settings.describe().every((entry) => entry.source === "default" && entry.description !== "")).toBe(
      true,
    );
  });

  it("stores valid values and keeps them across a reopen of the store", () => {
    const dataDir = stores.dataDir();
    const first = createSettings(stores.open(dataDir), { env: {} });
    first.set("engine.threads", 4);
    first.set("backend.order", ["ollama", "llamacpp"]);
    first.set("server.allowedOrigins", ["tauri://localhost"]);
    const second = createSettings(stores.open(dataDir), { env: {} });
    expect(second.get("engine.threads")).toBe(4);
    expect(second.get("backend.order")).toEqual(["ollama", "llamacpp"]);
    expect(second.get("server.allowedOrigins")).toEqual(["tauri://localhost"]);
    expect(second.describe().find((entry) => entry.key === "engine.threads")?.source).toBe("stored");
  });

  it("refuses bad values with the allowed values and keeps the old one", () => {
    const settings = createSettings(stores.open(), { env: {} });
    settings.set("engine.threads", 8);
    const error = thrown(() => settings.set("engine.threads", -2));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toContain("engine.threads");
    expect(error.hint).toContain(settingMeta["engine.threads"].allowed);
    expect(settings.get("engine.threads")).toBe(8);
    expect(thrown(() => settings.set("backend.order", ["llamacpp", "gpt"])).code).toBe("INVALID_INPUT");
    expect(thrown(() => settings.set("backend.order", ["ollama", "ollama"])).message).toMatch(/once/);
    expect(thrown(() => settings.set("ollama.url", "ftp://host")).message).toMatch(/http/);
    expect(thrown(() => settings.set("privacy.historyRetention", "3 weeks")).hint).toMatch(/<N>d/);
    expect(thrown(() => settings.set("models.dir", "relative/dir")).message).toMatch(/absolute/);
  });

  it("names a close setting when the key is mistyped", () => {
    const settings = createSettings(stores.open(), { env: {} });
    const error = thrown(() => settings.set("engine.thread", 2));
    expect(error.message).toContain('unknown setting "engine.thread"');
    expect(error.hint).toContain("did you mean engine.threads?");
  });

  it("validates a batch whole: one bad value stores nothing", () => {
    const settings = createSettings(stores.open(), { env: {} });
    expect(() => settings.update({ "engine.threads": 2, "query.maxRows": 0 })).toThrow(AskDbError);
    expect(settings.get("engine.threads")).toBeNull();
    settings.update({ "engine.threads": 2, "query.maxRows": 50 });
    expect(settings.get("query.maxRows")).toBe(50);
  });

  it("applies flag > env > stored > default", () => {
    const dataDir = stores.dataDir();
    createSettings(stores.open(dataDir), { env: {} }).set("engine.threads", 3);
    const envOnly = createSettings(stores.open(dataDir), { env: { ASKDB_THREADS: "6" } });
    expect(envOnly.get("engine.threads")).toBe(6);
    const withFlag = createSettings(stores.open(dataDir), {
      env: { ASKDB_THREADS: "6", ASKDB_OLLAMA_URL: "http://127.0.0.1:9999", ASKDB_ALLOW_REMOTE: "yes" },
      overrides: { "engine.threads": 12 },
    });
    const byKey = new Map(withFlag.describe().map((entry) => [entry.key, entry]));
    expect(byKey.get("engine.threads")).toMatchObject({ value: 12, source: "flag", stored: 3 });
    expect(byKey.get("ollama.url")).toMatchObject({ value: "http://127.0.0.1:9999", source: "env" });
    expect(withFlag.get("privacy.allowRemote")).toBe(true);
    expect(byKey.get("query.maxRows")?.source).toBe("default");
    // A stored change under an override is kept, but the override still wins.
    expect(withFlag.set("engine.threads", 5)).toMatchObject({ value: 12, source: "flag", stored: 5 });
  });

  it("reports a malformed environment variable by name", () => {
    const error = thrown(() => createSettings(stores.open(), { env: { ASKDB_CONTEXT_SIZE: "lots" } }));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toContain("ASKDB_CONTEXT_SIZE");
    expect(error.hint).toContain("unset ASKDB_CONTEXT_SIZE");
    expect(
      createSettings(stores.open(), { env: { ASKDB_CONTEXT_SIZE: "" } }).get("engine.contextSize"),
    ).toBeNull();
  });

  it("resets a key to its default", () => {
    const settings = createSettings(stores.open(), { env: {} });
    settings.set("query.timeoutMs", 30_000);
    expect(settings.reset("query.timeoutMs")).toMatchObject({ value: 10_000, source: "default" });
    settings.set("query.maxRows", 5);
    settings.resetAll();
    expect(settings.getAll()).toEqual(SETTING_DEFAULTS);
  });

  it("ignores a stored value this version no longer accepts, with a warning", () => {
    const store = stores.open();
    store.db
      .prepare(
        "INSERT INTO settings (key, value_json, updated_at) VALUES ('query.maxRows', '\"many\"', 'now')",
      )
      .run();
    const entry = createSettings(store, { env: {} })
      .describe()
      .find((item) => item.key === "query.maxRows");
    expect(entry).toMatchObject({ value: 1000, source: "default" });
    expect(entry?.warning).toMatch(/not valid/);
  });

  it("tells listeners about changes, including ones another process made", () => {
    const dataDir = stores.dataDir();
    const settings = createSettings(stores.open(dataDir), { env: {} });
    const changes: SettingChange[] = [];
    const unsubscribe = settings.onChange((change) => changes.push(change));
    settings.set("engine.keepAliveSeconds", 60);
    settings.set("engine.keepAliveSeconds", 60);
    expect(changes).toEqual([{ key: "engine.keepAliveSeconds", value: 60, previous: 300 }]);

    createSettings(stores.open(dataDir), { env: {} }).set("query.maxRows", 20);
    expect(settings.get("query.maxRows")).toBe(20);
    expect(changes.at(-1)).toEqual({ key: "query.maxRows", value: 20, previous: 1000 });

    unsubscribe();
    settings.reset("query.maxRows");
    expect(changes).toHaveLength(2);
  });

  it("reads values as a person types them", () => {
    expect(parseSettingText("engine.threads", "4")).toBe(4);
    expect(parseSettingText("engine.threads", "null")).toBeNull();
    expect(parseSettingText("engine.gpuLayers", "max")).toBe("max");
    expect(parseSettingText("engine.gpuLayers", "20")).toBe(20);
    expect(parseSettingText("privacy.allowRemote", "on")).toBe(true);
    expect(parseSettingText("backend.order", "llamacpp, ollama")).toEqual(["llamacpp", "ollama"]);
    expect(parseSettingText("backend.order", '["openai"]')).toEqual(["openai"]);
    expect(parseSettingText("server.allowedOrigins", "")).toEqual([]);
    expect(parseSettingText("ollama.model", "qwen2.5-coder:1.5b")).toBe("qwen2.5-coder:1.5b");
    expect(parseSettingText("models.dir", "/srv/models")).toBe("/srv/models");
    expect(parseSettingText("models.dir", "models")).toBe(`${process.cwd()}/models`);
    expect(() => parseSettingText("engine.threads", "four")).toThrow(/engine.threads/);
  });

  it("maps every setting to its own ASKDB_ environment variable", () => {
    const names = SETTING_KEYS.map((key) => settingMeta[key].env);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((name) => name.startsWith("ASKDB_"))).toBe(true);
    for (const key of SETTING_KEYS)
      expect(() => parseSettingText(key, settingMeta[key].example)).not.toThrow();
  });
});
