import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createEngine, type Engine, type GenerationResult } from "../engine/index.js";
import { missingTestModels, TEST_MODELS } from "../models/testing/index.js";
import { createTextToSql } from "../sql/index.js";
import { openStore } from "../store/index.js";
import { createAskDb, type AskDb, type WarmStatus } from "./index.js";

const missing = missingTestModels();

describe.skipIf(missing !== undefined)(`pre-warming with a real model ${missing ?? ""}`, () => {
  let dir: string;
  let dbPath: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "askdb-prewarm-"));
    dbPath = join(dir, "shop.sqlite");
    const shop = new Database(dbPath);
    shop.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT);
      CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), total REAL, status TEXT);
      INSERT INTO customers (name, city) VALUES ('Asha', 'Pune'), ('Ravi', 'Mumbai');`);
    shop.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("warm() leaves the stable prompt evaluated: the first question evaluates only its own part", async () => {
    const store = openStore(join(dir, "data"));
    const engine = createEngine({
      modelFile: TEST_MODELS.tiny.path,
      config: { threads: 1, contextSize: 2048 },
    });
    const generations: GenerationResult[] = [];
    const textToSql = createTextToSql({
      store,
      engine: recording(engine, generations),
      maxRetries: 0,
      // A random model writes a query only when a grammar holds it to one.
      grammar: { shape: "scoped" },
      useGrammar: true,
    });
    try {
      await textToSql.warm(dbPath);
      const [warm] = generations;
      expect(warm.generatedTokens).toBeLessThanOrEqual(1);
      await textToSql.ask(dbPath, "which city has the most customers?").catch(() => undefined);
      const first = generations[1];
      // All of the warm-up's prompt but its empty question and the answer's header is reused.
      expect(first.reusedPromptTokens).toBeGreaterThanOrEqual(warm.promptTokens - 10);
      expect(first.loadMs).toBe(0);
    } finally {
      await textToSql.close();
      await engine.close();
      store.close();
    }
  });

  describe("askdb.prewarm()", () => {
    let askdb: AskDb;
    beforeEach(async () => {
      askdb = await createAskDb({ dataDir: join(dir, "data"), db: dbPath, env: {} });
      askdb.settings.update({ "engine.threads": 1, "engine.contextSize": 2048 });
      askdb.activateModel((await askdb.models.add(TEST_MODELS.tiny.path)).id);
    });
    afterEach(() => askdb.close());

    it("goes from warming to warm on its own; a question asked meanwhile shares the one load", async () => {
      const loads = vi.spyOn(askdb.models, "markUsed");
      expect((await askdb.status()).warmup).toEqual({ state: "off" });
      askdb.prewarm();
      expect((await askdb.status()).warmup.state).toBe("warming");
      expect(askdb.describe().model).toMatch(/loads in the background/);
      await askdb.ask("which city has the most customers?").catch(() => undefined);
      await reachesWarm(askdb);
      expect(loads).toHaveBeenCalledTimes(1);
    });

    it("warms again after the database changes, and not at all when engine.prewarm is off", async () => {
      askdb.prewarm();
      await reachesWarm(askdb);
      await askdb.switchDatabase(dbPath);
      expect((await askdb.status()).warmup.state).toBe("warming");
      await reachesWarm(askdb);
      askdb.settings.set("engine.prewarm", false);
      askdb.prewarm();
      expect((await askdb.status()).warmup).toEqual({ state: "off" });
    });
  });
});

async function reachesWarm(askdb: AskDb): Promise<void> {
  await vi.waitFor(async () => expect((await askdb.status()).warmup).toEqual<WarmStatus>({ state: "warm" }), {
    timeout: 20_000,
    interval: 50,
  });
}

/** The engine, with every generation's figures kept. */
function recording(engine: Engine, generations: GenerationResult[]): Engine {
  return {
    ...engine,
    chat: async (messages, options) => {
      const result = await engine.chat(messages, options);
      generations.push(result);
      return result;
    },
  };
}
