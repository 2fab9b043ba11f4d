import { afterEach, describe, expect, it } from "vitest";
import { AskDbError } from "../errors/index.js";
import {
  createFeatureFlags,
  FLAG_DEFINITIONS,
  installationIdOf,
  rolloutBucket,
  type FlagChange,
  type FlagDefinition,
} from "./index.js";
import { createTempStores } from "./testing/temp-stores.js";

const stores = createTempStores();
afterEach(stores.cleanup);

function definition(id: string, overrides: Partial<FlagDefinition> = {}): FlagDefinition {
  return {
    id,
    name: id,
    description: `the ${id} flag`,
    defaultEnabled: false,
    rolloutPercentage: 100,
    prerequisites: [],
    riskLevel: "low",
    phase: "beta",
    ...overrides,
  };
}

/** base ← middle ← top: top needs middle, which needs base. */
const chain = [
  definition("base"),
  definition("middle", { prerequisites: ["base"] }),
  definition("top", { prerequisites: ["middle"] }),
  definition("other"),
];

describe("feature flags", () => {
  it("ships the product's flags and askdb's experiments, each fully described", () => {
    const ids = FLAG_DEFINITIONS.map((flag) => flag.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "auto_models",
        "chat_branching",
        "custom_providers",
        "mcp_http_servers",
        "ai_extensions_ollama",
        "sql_candidates_vote",
        "hybrid_retrieval",
        "follow_up_rewrite",
      ]),
    );
    expect(new Set(ids).size).toBe(ids.length);
    for (const flag of FLAG_DEFINITIONS) {
      expect(flag.name && flag.description).toBeTruthy();
      expect(flag.rolloutPercentage).toBeGreaterThanOrEqual(0);
      expect(flag.rolloutPercentage).toBeLessThanOrEqual(100);
      for (const prerequisite of flag.prerequisites) expect(ids).toContain(prerequisite);
    }
  });

  it("has no prerequisite cycles", () => {
    const byId = new Map(FLAG_DEFINITIONS.map((flag) => [flag.id, flag]));
    const reaches = (from: string, target: string, seen = new Set<string>()): boolean =>
      (byId.get(from)?.prerequisites ?? []).some(
        (next) => next === target || (!seen.has(next) && (seen.add(next), reaches(next, target, seen))),
      );
    for (const flag of FLAG_DEFINITIONS) expect(reaches(flag.id, flag.id)).toBe(false);
  });

  it("keeps the person's choices across a reopen of the store", () => {
    const dataDir = stores.dataDir();
    const first = createFeatureFlags(stores.open(dataDir));
    first.enable("sql_candidates_vote");
    first.disable("auto_models");
    const second = createFeatureFlags(stores.open(dataDir));
    expect(second.installationId).toBe(first.installationId);
    expect(second.isEnabled("sql_candidates_vote")).toBe(true);
    expect(second.get("auto_models")).toMatchObject({ enabled: false, source: "stored" });
  });

  it("refuses to enable a flag while a prerequisite is off, naming it", () => {
    const flags = createFeatureFlags(stores.open(), { installationId: "i", definitions: chain });
    let error: AskDbError | undefined;
    try {
      flags.enable("top");
    } catch (caught) {
      error = caught as AskDbError;
    }
    expect(error?.code).toBe("CONFLICT");
    expect(error?.message).toBe("cannot enable top: it needs base, middle, which are off");
    expect(error?.hint).toContain("askdb flags enable base");
    expect(flags.isEnabled("top")).toBe(false);

    const update = flags.enable("top", { withPrerequisites: true });
    expect(update.changed.map((change) => change.id).sort()).toEqual(["base", "middle", "top"]);
    expect(flags.isEnabled("top")).toBe(true);
  });

  it("turns dependents off with their prerequisite, and reports them", () => {
    const flags = createFeatureFlags(stores.open(), { installationId: "i", definitions: chain });
    flags.enable("top", { withPrerequisites: true });
    const update = flags.disable("base");
    expect(update.changed.map((change) => change.id).sort()).toEqual(["base", "middle", "top"]);
    // Turning the prerequisite back on does not silently bring the dependents back.
    flags.enable("base");
    expect(flags.isEnabled("middle")).toBe(false);
    expect(flags.get("base").dependents).toEqual(["middle", "top"]);
  });

  it("keeps a default-on flag off while its prerequisite is off", () => {
    const definitions = [
      definition("base"),
      definition("needs_base", { defaultEnabled: true, prerequisites: ["base"] }),
    ];
    const flags = createFeatureFlags(stores.open(), { installationId: "i", definitions });
    expect(flags.get("needs_base")).toMatchObject({ enabled: false, blockedBy: ["base"] });
    flags.enable("base");
    expect(flags.isEnabled("needs_base")).toBe(true);
  });

  it("gives each installation a stable rollout bucket, roughly proportional to the percentage", () => {
    expect(rolloutBucket("install-1", "hybrid_retrieval")).toBe(
      rolloutBucket("install-1", "hybrid_retrieval"),
    );
    const definitions = [definition("half", { defaultEnabled: true, rolloutPercentage: 50 })];
    const store = stores.open();
    let enabled = 0;
    for (let i = 0; i < 1000; i += 1) {
      if (createFeatureFlags(store, { installationId: `installation-${i}`, definitions }).isEnabled("half"))
        enabled += 1;
    }
    expect(enabled).toBeGreaterThan(430);
    expect(enabled).toBeLessThan(570);
    const buckets = new Set(Array.from({ length: 1000 }, (_, i) => rolloutBucket(`installation-${i}`, "x")));
    expect(buckets.size).toBe(100);
  });

  it("keeps the installation id in the store's meta", () => {
    const store = stores.open();
    const id = installationIdOf(store);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(store.getMeta("installation_id")).toBe(id);
    expect(createFeatureFlags(store).installationId).toBe(id);
  });

  it("goes back to the default and rollout on reset", () => {
    const definitions = [definition("on_by_default", { defaultEnabled: true })];
    const flags = createFeatureFlags(stores.open(), { installationId: "i", definitions });
    flags.disable("on_by_default");
    expect(flags.reset("on_by_default").flag).toMatchObject({ enabled: true, source: "default" });
  });

  it("names a close flag when the id is mistyped", () => {
    const store = stores.open();
    const flags = createFeatureFlags(store);
    expect(() => flags.enable("hybrid_retreival")).toThrow(/unknown feature flag "hybrid_retreival"/);
    try {
      flags.isEnabled("hybrid_retreival");
    } catch (error) {
      expect((error as AskDbError).hint).toContain("did you mean hybrid_retrieval?");
    }
    expect(store.db.prepare("SELECT count(*) FROM feature_flags").pluck().get()).toBe(0);
  });

  it("takes effect without a restart: listeners hear changes from this and other processes", () => {
    const dataDir = stores.dataDir();
    const flags = createFeatureFlags(stores.open(dataDir), { definitions: chain });
    const changes: FlagChange[] = [];
    flags.onChange((change) => changes.push(change));
    flags.enable("base");
    expect(changes).toEqual([{ id: "base", enabled: true, previous: false }]);

    const elsewhere = createFeatureFlags(stores.open(dataDir), { definitions: chain });
    elsewhere.enable("other");
    expect(flags.isEnabled("other")).toBe(true);
    expect(changes.at(-1)).toEqual({ id: "other", enabled: true, previous: false });
  });
});
