import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSse, startTestServer, type TestServer } from "./testing/harness.js";

const TRAINED_QUESTION = "Who are our top 10 customers by total purchases?";

interface ErrorBody {
  error: { code: string; message: string; hint?: string };
}

describe("the HTTP API on the demo database", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ server: { webRoot: join(tmpdir(), "askdb-web-ui-not-built") } });
  });
  afterAll(() => t.close());

  async function json<T = Record<string, unknown>>(
    path: string,
    init?: Parameters<TestServer["api"]>[1],
  ): Promise<{ status: number; body: T }> {
    const response = await t.api(path, init);
    return { status: response.status, body: (await response.json()) as T };
  }

  async function expectError(
    path: string,
    init: Parameters<TestServer["api"]>[1],
    status: number,
    code: string,
  ): Promise<ErrorBody> {
    const { status: actual, body } = await json<ErrorBody>(path, init);
    expect({ status: actual, code: body.error?.code }).toEqual({ status, code });
    expect(body.error.message.length).toBeGreaterThan(5);
    return body;
  }

  it("GET /status says what is installed and trained", async () => {
    const { status, body } = await json("/status");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      modelDownloaded: false,
      knowledgeReady: true,
      trainingDataLoaded: true,
      ready: false,
      activeModel: null,
      backend: "llamacpp",
      database: { name: "inventory", demo: true },
      download: null,
    });
  });

  it("POST /query answers a trained question without a model", async () => {
    const { status, body } = await json("/query", { method: "POST", json: { question: TRAINED_QUESTION } });
    expect(status).toBe(200);
    expect(body).toMatchObject({ question: TRAINED_QUESTION, source: "example" });
    expect(body.rowCount).toBe(10);
    expect(typeof body.conversationId).toBe("string");
    expect(body.timings).toMatchObject({ totalMs: expect.any(Number) });
  });

  it("POST /query refuses an empty question and explains a missing model", async () => {
    await expectError("/query", { method: "POST", json: { question: "  " } }, 400, "INVALID_INPUT");
    await expectError("/query", { method: "POST", json: { question: 42 } }, 400, "INVALID_INPUT");
    const noModel = await expectError(
      "/query",
      { method: "POST", json: { question: "what colour is the sky over the warehouse?" } },
      503,
      "NO_MODEL",
    );
    expect(noModel.error.hint).toBeTruthy();
    const { body } = await json<{ ready: boolean; engine: { state: string; error: string | null } }>(
      "/status",
    );
    expect(noModel.error.message).toContain("no trained question is close enough");
    expect(body).toMatchObject({
      ready: false,
      engine: { state: "error", error: expect.stringContaining("no model installed") },
    });
  });

  it("POST /query streams retrieving → executing → answer as Server-Sent Events", async () => {
    const response = await t.api("/query", {
      method: "POST",
      json: { question: "Which products need to be reordered?" },
      headers: { accept: "text/event-stream" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    const events = await readSse(response);
    const names = events.map((e) => e.event);
    expect(names.at(-1)).toBe("answer");
    expect(names).toContain("executing");
    expect(names[0]).toBe("retrieving");
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ source: "example" });
  });

  it("POST /query streams an error event when it cannot answer", async () => {
    const response = await t.api("/query", {
      method: "POST",
      json: { question: "how tall is the moon?" },
      headers: { accept: "text/event-stream" },
    });
    const events = await readSse(response);
    expect(events.at(-1)?.event).toBe("error");
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ error: { code: "NO_MODEL" } });
  });

  it("POST /sql runs read-only SQL and refuses writes", async () => {
    const { status, body } = await json("/sql", {
      method: "POST",
      json: { sql: "SELECT name FROM categories ORDER BY name", limit: 3 },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ rowCount: 3, truncated: true, columns: [{ name: "name" }] });
    await expectError(
      "/sql",
      { method: "POST", json: { sql: "DELETE FROM categories" } },
      422,
      "SQL_REFUSED",
    );
    await expectError(
      "/sql",
      { method: "POST", json: { sql: "SELECT * FROM no_such_table" } },
      422,
      "SQL_ERROR",
    );
    await expectError("/sql", { method: "POST", json: { sql: "" } }, 400, "INVALID_INPUT");
    await expectError("/sql", { method: "POST", json: { sql: "SELECT 1", limit: -1 } }, 400, "INVALID_INPUT");
  });

  it("POST /train stores each kind and validates", async () => {
    const ddl = await json("/train", {
      method: "POST",
      json: { training_type: "ddl", content: "CREATE VIEW cheap AS SELECT * FROM products" },
    });
    expect(ddl).toMatchObject({ status: 201, body: { training_type: "ddl" } });
    const doc = await json("/train", {
      method: "POST",
      json: { training_type: "documentation", content: "GST is the goods and services tax." },
    });
    expect(doc.status).toBe(201);
    const pair = await json("/train", {
      method: "POST",
      json: {
        training_type: "question_sql",
        question: "How many categories are there?",
        content: "SELECT COUNT(*) AS n FROM categories",
      },
    });
    expect(pair.status).toBe(201);
    await expectError(
      "/train",
      { method: "POST", json: { training_type: "poem", content: "x" } },
      400,
      "INVALID_INPUT",
    );
    await expectError(
      "/train",
      { method: "POST", json: { training_type: "question_sql", content: "SELECT 1" } },
      400,
      "INVALID_INPUT",
    );
    await expectError(
      "/train",
      {
        method: "POST",
        json: { training_type: "question_sql", question: "q?", content: "DROP TABLE products" },
      },
      422,
      "SQL_REFUSED",
    );
    const answer = await json("/query", {
      method: "POST",
      json: { question: "how many categories are there" },
    });
    expect(answer.body).toMatchObject({ source: "example", rows: [[15]] });
  });

  it("/api/knowledge lists, searches, adds and removes", async () => {
    const added = await json<{ id: string }>("/api/knowledge", {
      method: "POST",
      json: {
        kind: "question_sql",
        question: "List the names of all suppliers",
        content: "SELECT name FROM suppliers",
      },
    });
    expect(added.status).toBe(201);
    const search = await json<{ items: Array<{ id: string }>; total: number }>(
      "/api/knowledge?q=names%20of%20all%20suppliers&kind=question_sql",
    );
    expect(search.body.items.map((i) => i.id)).toContain(added.body.id);
    const page = await json<{ items: unknown[]; total: number }>("/api/knowledge?limit=2&offset=1");
    expect(page.body.items).toHaveLength(2);
    expect(page.body.total).toBeGreaterThan(10);
    expect((await json(`/api/knowledge/${added.body.id}`, { method: "DELETE" })).status).toBe(200);
    await expectError(`/api/knowledge/${added.body.id}`, { method: "DELETE" }, 404, "NOT_FOUND");
    await expectError("/api/knowledge?kind=poem", {}, 400, "INVALID_INPUT");
    await expectError("/api/knowledge?limit=0", {}, 400, "INVALID_INPUT");
    await expectError(
      "/api/knowledge",
      { method: "POST", json: { kind: "documentation" } },
      400,
      "INVALID_INPUT",
    );
  });

  it("/api/feedback marks an answer correct or stores the corrected SQL", async () => {
    const answer = await json<{ id: string }>("/query", {
      method: "POST",
      json: { question: "Which customers owe us the most money?" },
    });
    const correct = await json("/api/feedback", {
      method: "POST",
      json: { historyId: answer.body.id, verdict: "correct" },
    });
    expect(correct.status).toBe(201);
    const corrected = await json("/api/feedback", {
      method: "POST",
      json: {
        historyId: answer.body.id,
        verdict: "corrected",
        sql: "SELECT name FROM customers ORDER BY name LIMIT 3",
      },
    });
    expect(corrected).toMatchObject({ status: 201, body: { kind: "question_sql", source: "feedback" } });
    await expectError(
      "/api/feedback",
      {
        method: "POST",
        json: { historyId: answer.body.id, verdict: "corrected", sql: "DELETE FROM customers" },
      },
      422,
      "SQL_REFUSED",
    );
    await expectError(
      "/api/feedback",
      { method: "POST", json: { historyId: "hist_nope", verdict: "correct" } },
      404,
      "NOT_FOUND",
    );
    await expectError(
      "/api/feedback",
      { method: "POST", json: { historyId: answer.body.id, verdict: "maybe" } },
      400,
      "INVALID_INPUT",
    );
  });

  it("/api/history lists questions and can be cleared", async () => {
    const history = await json<{ items: Array<{ question: string }> }>("/api/history?limit=5");
    expect(history.status).toBe(200);
    expect(history.body.items.length).toBeGreaterThan(0);
    await expectError("/api/history?limit=abc", {}, 400, "INVALID_INPUT");
    const cleared = await json<{ deleted: number }>("/api/history", { method: "DELETE" });
    expect(cleared.body.deleted).toBeGreaterThan(0);
    expect((await json<{ items: unknown[] }>("/api/history")).body.items).toHaveLength(0);
  });

  it("/api/settings reads and changes settings, naming a bad key or value", async () => {
    const before = await json<{ settings: Record<string, unknown>; details: unknown[] }>("/api/settings");
    expect(before.body.settings["engine.threads"]).toBeNull();
    const after = await json<{ settings: Record<string, unknown> }>("/api/settings", {
      method: "PATCH",
      json: { "engine.threads": 2, "query.maxRows": 500 },
    });
    expect(after.body.settings).toMatchObject({ "engine.threads": 2, "query.maxRows": 500 });
    const unknown = await expectError(
      "/api/settings",
      { method: "PATCH", json: { "engine.nope": 1 } },
      400,
      "INVALID_INPUT",
    );
    expect(unknown.error.message).toMatch(/engine\.nope/);
    await expectError(
      "/api/settings",
      { method: "PATCH", json: { "engine.threads": "many" } },
      400,
      "INVALID_INPUT",
    );
    await expectError("/api/settings", { method: "PATCH", json: [1, 2] }, 400, "INVALID_INPUT");
  });

  it("/api/flags lists and toggles feature flags", async () => {
    const { body } = await json<{ flags: Array<{ id: string; enabled: boolean; prerequisites: string[] }> }>(
      "/api/flags",
    );
    const flag = body.flags.find((f) => f.prerequisites.length === 0)!;
    const toggled = await json<{ flag: { enabled: boolean } }>(`/api/flags/${flag.id}`, {
      method: "PATCH",
      json: { enabled: !flag.enabled },
    });
    expect(toggled.body.flag.enabled).toBe(!flag.enabled);
    await expectError(
      "/api/flags/no_such_flag",
      { method: "PATCH", json: { enabled: true } },
      404,
      "NOT_FOUND",
    );
    await expectError(
      `/api/flags/${flag.id}`,
      { method: "PATCH", json: { enabled: "yes" } },
      400,
      "INVALID_INPUT",
    );
  });

  it("/api/databases and /api/schema describe the database; switching checks the file", async () => {
    const { body } = await json<{ current: { demo: boolean; path: string } }>("/api/databases");
    expect(body.current.demo).toBe(true);
    const schema = await json<{ tables: Array<{ name: string }> }>("/api/schema");
    expect(schema.body.tables.map((table) => table.name)).toContain("products");
    await expectError(
      "/api/databases/switch",
      { method: "POST", json: { path: join(t.dataDir, "askdb.sqlite") } },
      403,
      "FORBIDDEN",
    );
    const allowed = mkdtempSync(join(tmpdir(), "askdb-api-allowed-"));
    t.askdb.settings.set("databases.allowed", [allowed]);
    await expectError(
      "/api/databases/switch",
      { method: "POST", json: { path: join(allowed, "missing.sqlite") } },
      404,
      "NOT_FOUND",
    );
    const notSqlite = join(allowed, "notes.txt");
    writeFileSync(
      notSqlite,
      "hello, this is not a database, just some text that is long enough to have a header",
    );
    await expectError(
      "/api/databases/switch",
      { method: "POST", json: { path: notSqlite } },
      422,
      "NOT_SQLITE",
    );
    expect((await json("/api/databases")).body).toMatchObject({ current: { path: body.current.path } });
    rmSync(allowed, { recursive: true, force: true });
  });

  it("/api/status/resources and /metrics report the machine and the server", async () => {
    const resources = await json<{ memory: { totalBytes: number } }>("/api/status/resources");
    expect(resources.body.memory.totalBytes).toBeGreaterThan(0);
    const metrics = await t.api("/metrics");
    const text = await metrics.text();
    expect(metrics.headers.get("content-type")).toMatch(/text\/plain/);
    expect(text).toMatch(
      /askdb_http_requests_total\{method="GET",route="\/api\/status\/resources",status="200"\} 1/,
    );
    expect(text).toMatch(/askdb_engine_queue_length 0/);
  });

  it("models: lists the catalog and refuses unknown ids", async () => {
    const { body } = await json<{
      models: Array<{ id: string; installed: boolean; fitsInMemory: boolean }>;
      recommended: string;
    }>("/api/models");
    expect(body.models.length).toBeGreaterThan(2);
    expect(body.models.some((m) => m.id === body.recommended)).toBe(true);
    await expectError(
      "/api/models/pull",
      { method: "POST", json: { modelId: "no-such-model" } },
      404,
      "NOT_FOUND",
    );
    await expectError("/api/models/no-such-model", { method: "DELETE" }, 404, "NOT_FOUND");
    await expectError("/api/models/no-such-model/activate", { method: "POST" }, 404, "NOT_FOUND");
    await expectError("/api/models/..%2F..%2Fetc%2Fpasswd", { method: "DELETE" }, 400, "INVALID_INPUT");
    await expectError(
      "/download-model",
      { method: "POST", json: { modelId: "no-such-model" } },
      404,
      "NOT_FOUND",
    );
  });

  it("download progress is idle and cancelling nothing is a 404", async () => {
    const { body } = await json("/download-progress");
    expect(body).toMatchObject({ status: "idle", downloaded_bytes: 0, total_bytes: 0, percentage: 0 });
    await expectError("/cancel-download", { method: "POST" }, 404, "NOT_FOUND");
    await expectError("/api/downloads/dl_nope/cancel", { method: "POST" }, 404, "NOT_FOUND");
    expect((await json("/api/downloads")).body).toEqual({ downloads: [] });
  });

  it("answers /v1 requests without a model with a 503 before any stream starts", async () => {
    const messages = [{ role: "user", content: "hi" }];
    await expectError(
      "/v1/chat/completions",
      { method: "POST", json: { messages, stream: true } },
      503,
      "NO_MODEL",
    );
    await expectError("/v1/chat/completions", { method: "POST", json: { messages } }, 503, "NO_MODEL");
    expect((await json<{ data: unknown[] }>("/v1/models")).body.data).toEqual([]);
  });

  it("serves a helpful page at / when the web UI is not built", async () => {
    const response = await t.api("/", { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/web UI is not built: run <code>npm run build:web/);
  });
});
