import { copyFileSync, mkdtempSync, rmSync, truncateSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOllamaTestServer, type OllamaTestServer } from "../engine/testing/index.js";
import { missingTestModels, TEST_MODELS } from "../models/testing/index.js";
import { createAskDb, type AskDb } from "./index.js";

const missingModels = missingTestModels();

describe("createAskDb on the user's own database", () => {
  let dir: string;
  let askdb: AskDb;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "askdb-app-"));
    const shop = new Database(join(dir, "shop.sqlite"));
    shop.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT);
      INSERT INTO customers (name, city) VALUES ('Asha', 'Pune'), ('Ravi', 'Mumbai'), ('Meera', 'Pune');`);
    shop.close();
    askdb = await createAskDb({ dataDir: join(dir, "data"), db: join(dir, "shop.sqlite"), env: {} });
  });
  afterAll(async () => {
    await askdb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("knows the database and its schema, and has no model yet", async () => {
    expect(askdb.database()).toMatchObject({ name: "shop", demo: false });
    expect((await askdb.schema()).tables.map((t) => t.name)).toEqual(["customers"]);
    expect(await askdb.status()).toMatchObject({
      modelDownloaded: false,
      knowledgeReady: true,
      trainingDataLoaded: false,
      ready: false,
    });
  });

  it("runs read-only SQL with a chart suggestion and refuses writes", async () => {
    const result = await askdb.runSql(
      "SELECT city, COUNT(*) AS n FROM customers GROUP BY city ORDER BY city",
    );
    expect(result.rows).toEqual([
      ["Mumbai", 1],
      ["Pune", 2],
    ]);
    expect(result.chart.type).not.toBe("none");
    await expect(askdb.runSql("DELETE FROM customers")).rejects.toMatchObject({ code: "SQL_REFUSED" });
  });

  it("answers a trained question without a model, streaming its stages", async () => {
    await askdb.train({
      kind: "question_sql",
      question: "How many customers live in Pune?",
      sql: "SELECT COUNT(*) AS n FROM customers WHERE city = 'Pune'",
    });
    const stages: string[] = [];
    const answer = await askdb.ask("how many customers live in Pune", {
      onEvent: (event) => stages.push(event.stage),
    });
    expect(answer).toMatchObject({ source: "example", rows: [[2]] });
    expect(stages).toContain("retrieving");
    expect((await askdb.status()).trainingDataLoaded).toBe(true);
    const history = await askdb.history({ limit: 1 });
    expect(history[0]).toMatchObject({ id: answer.id, source: "example" });
    await expect(askdb.ask("who is the tallest customer?")).rejects.toMatchObject({ code: "NO_MODEL" });
  });

  it("says why the engine failed, and forgets it once another model is active or loads", async (context) => {
    // The question asked above without a model.
    const noModel = await askdb.status();
    expect(noModel).toMatchObject({ modelDownloaded: false, ready: false, engine: { state: "error" } });
    expect(noModel.engine.error).toMatch(/no model installed/);
    if (missingModels) return context.skip(missingModels);
    askdb.settings.update({ "engine.threads": 1, "engine.contextSize": 512 });
    // A model file that breaks after it was added (registered in place, then cut short).
    const broken = join(dir, "broken.gguf");
    copyFileSync(TEST_MODELS.stories.path, broken);
    const brokenModel = await askdb.models.add(broken, { id: "broken" });
    askdb.activateModel(brokenModel.id);
    expect(await askdb.status()).toMatchObject({ engine: { state: "unloaded", error: null } });
    truncateSync(broken, 4096);
    await expect(askdb.ask("which customer joined first?")).rejects.toMatchObject({ code: "MODEL_INVALID" });
    const failed = await askdb.status();
    expect(failed).toMatchObject({ ready: false, activeModel: "broken", engine: { state: "error" } });
    expect(failed.engine.error).toMatch(/broken|truncated|invalid|gguf/i);

    const good = await askdb.models.add(TEST_MODELS.stories.path);
    askdb.activateModel(good.id);
    expect(await askdb.status()).toMatchObject({
      ready: true,
      activeModel: good.id,
      engine: { state: "unloaded", error: null },
    });
    await askdb.engine.load();
    expect(await askdb.status()).toMatchObject({
      ready: true,
      engine: { state: "ready", model: good.id, error: null },
    });
    await askdb.removeModel(good.id);
    await askdb.removeModel(brokenModel.id);
  });

  it("lists the model catalog with what fits this machine", async () => {
    const listing = await askdb.listModels();
    expect(listing.models.some((m) => m.recommended)).toBe(true);
    expect(listing.ollama).toBeNull();
  });

  describe("with an Ollama host", () => {
    let ollama: OllamaTestServer;
    let silent: Server;
    beforeAll(async () => {
      ollama = await startOllamaTestServer({ models: ["qwen2.5-coder:1.5b", "llama3.2:1b"] });
      // Accepts connections and never answers: a host that hangs.
      silent = createServer(() => {});
      await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    });
    afterAll(async () => {
      askdb.settings.reset("ollama.url");
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
      await ollama.close();
    });

    it("lists the host's models once its address is set", async () => {
      askdb.settings.set("ollama.url", ollama.origin);
      const listing = await askdb.listModels();
      expect(listing.ollama).toEqual({ url: ollama.origin, ok: true });
      const fromOllama = listing.models.filter((m) => m.source === "ollama");
      expect(fromOllama.map((m) => [m.id, m.name, m.sizeBytes])).toEqual([
        ["ollama:qwen2.5-coder:1.5b", "qwen2.5-coder:1.5b", 1_000_000],
        ["ollama:llama3.2:1b", "llama3.2:1b", 1_000_000],
      ]);
    });

    it("says the host is unreachable, quickly, when it is down or hangs", async () => {
      for (const url of [
        await closedPortUrl(),
        `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      ]) {
        askdb.settings.set("ollama.url", url);
        const listing = await askdb.listModels();
        expect(listing.ollama).toMatchObject({ url, ok: false, error: expect.stringContaining(url) });
        expect(listing.models.some((m) => m.source === "ollama")).toBe(false);
        expect(listing.models.some((m) => m.recommended)).toBe(true);
      }
    });
  });

  it("switches to another database and refuses a file that is not SQLite", async () => {
    const other = join(dir, "other.sqlite");
    const db = new Database(other);
    db.exec("CREATE TABLE parts (sku TEXT PRIMARY KEY, qty INTEGER); INSERT INTO parts VALUES ('A-1', 4);");
    db.close();
    const info = await askdb.switchDatabase(other);
    expect(info).toMatchObject({ name: "other", demo: false });
    expect((await askdb.runSql("SELECT qty FROM parts")).rows).toEqual([[4]]);
    expect(
      askdb
        .databases()
        .map((d) => d.name)
        .sort(),
    ).toEqual(["other", "shop"]);
    await expect(askdb.switchDatabase(join(dir, "missing.sqlite"))).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(askdb.database().name).toBe("other");
  });
});

/** An address where nothing listens (a port just freed). */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
