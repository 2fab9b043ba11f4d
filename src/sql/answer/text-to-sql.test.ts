import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEngine, type ManagedEngine } from "../../engine/index.js";
import {
  missingModelsReason,
  startOpenAiTestServer,
  STORIES_MODEL,
  TINY_RANDOM_MODEL,
} from "../../engine/testing/index.js";
import {
  answerCacheKey,
  createTextToSql,
  looksLikeFollowUp,
  type AskEvent,
  type TextToSql,
} from "./index.js";
import { createShopFixture, SHOP_PAIRS, type ShopFixture } from "../testing/index.js";

const noModelPairs = { ddl: [], documentation: [], pairs: SHOP_PAIRS };
/**
 * The random-weight model writes aliases at random; only the scoped grammar (no aliases, columns
 * from the tables in FROM) makes every one of its queries prepare, which these plumbing tests need.
 */
const RANDOM_MODEL_GRAMMAR = { shape: "scoped" } as const;

describe("answer cache keys", () => {
  const base = {
    question: "How many customers?",
    fingerprint: "f1",
    dataStamp: "10:1",
    knowledgeVersion: 3,
    model: "m",
    variant: "v",
  };
  it("ignore case, spacing and trailing punctuation of the question", () => {
    expect(answerCacheKey({ ...base, question: "  how many CUSTOMERS  " })).toBe(answerCacheKey(base));
  });
  it.each(["fingerprint", "dataStamp", "knowledgeVersion", "model", "variant", "question"] as const)(
    "change when %s changes",
    (part) => {
      const changed = { ...base, [part]: part === "knowledgeVersion" ? 4 : `${base[part]}x` };
      expect(answerCacheKey(changed)).not.toBe(answerCacheKey(base));
    },
  );
});

describe("looksLikeFollowUp", () => {
  it.each(["and last month?", "What about suppliers?", "only the unpaid ones", "how about 2025"])(
    "%j is a follow-up",
    (q) => expect(looksLikeFollowUp(q)).toBe(true),
  );
  it.each(["How many customers are there?", "total revenue per month in 2026"])("%j stands alone", (q) =>
    expect(looksLikeFollowUp(q)).toBe(false),
  );
});

describe("text-to-SQL without a model", () => {
  let fixture: ShopFixture;
  let t2s: TextToSql;
  const lines: string[] = [];
  beforeEach(() => {
    fixture = createShopFixture();
    lines.length = 0;
    t2s = createTextToSql({ store: fixture.store, logger: { info: (line) => lines.push(line) } });
  });
  afterEach(async () => {
    await t2s.close();
    fixture.cleanup();
  });

  it("trains the schema on connect, refuses pairs that do not run, and skips what it knows", async () => {
    const info = await t2s.connect(fixture.dbPath);
    expect(info.tables).toBe(4);
    expect((await t2s.knowledge.list(fixture.dbPath, "ddl")).map((i) => i.title).sort()).toEqual([
      "customers",
      "invoice_items",
      "invoices",
      "products",
    ]);
    const report = await t2s.train(fixture.dbPath, {
      ...noModelPairs,
      pairs: [
        ...SHOP_PAIRS,
        { question: "wipe", sql: "DELETE FROM customers" },
        { question: "typo", sql: "SELECT nme FROM customers" },
      ],
    });
    expect(report.added.pairs).toBe(SHOP_PAIRS.length);
    expect(report.refused.map((r) => r.question)).toEqual(["wipe", "typo"]);
    expect(report.refused[1].reason).toMatch(/no such column: nme/);
    expect((await t2s.train(fixture.dbPath, noModelPairs)).skipped).toBe(SHOP_PAIRS.length);
  });

  it("accepts SQL written with double-quoted literals, as SQLite users write it, and keeps the corrected SQL", async () => {
    const report = await t2s.train(fixture.dbPath, {
      ...noModelPairs,
      pairs: [{ question: "customers in pune", sql: 'SELECT name FROM customers WHERE city = "Pune"' }],
    });
    expect(report.refused).toEqual([]);
    const [pair] = await t2s.knowledge.list(fixture.dbPath, "question_sql");
    expect(pair.content).toBe("SELECT name FROM customers WHERE city = 'Pune'");
    const answer = await t2s.ask(fixture.dbPath, "Customers in Pune?");
    expect(answer).toMatchObject({
      source: "example",
      sql: "SELECT name FROM customers WHERE city = 'Pune'",
    });
    expect(answer.rows.length).toBeGreaterThan(0);
  });

  it("answers a reworded trained question from its example, then from the cache, with timing lines and history", async () => {
    await t2s.train(fixture.dbPath, noModelPairs);
    const events: AskEvent[] = [];
    const first = await t2s.ask(fixture.dbPath, "how many customers are there", {
      onEvent: (e) => events.push(e),
    });
    expect(first).toMatchObject({
      source: "example",
      rows: [[12]],
      rowCount: 1,
      truncated: false,
      matchedQuestion: "How many customers are there?",
    });
    expect(first.chart.type).toBeDefined();
    expect(events.map((e) => e.stage)).toEqual(["retrieving", "executing", "answer"]);
    expect(lines).toEqual([
      `Extracted SQL: ${SHOP_PAIRS[0].sql}`,
      expect.stringMatching(/^\[SQL Gen\]: \d+\.\d\ds$/),
      expect.stringMatching(/^\[SQL Run\]: \d+\.\d\ds$/),
      expect.stringMatching(/^\[Total\]: \d+\.\d\ds$/),
    ]);
    const second = await t2s.ask(fixture.dbPath, "How many customers are there?");
    expect(second.source).toBe("cache");
    expect(second.rows).toEqual([[12]]);
    const history = await t2s.history({ dbPath: fixture.dbPath });
    expect(history[0]).toMatchObject({
      question: "how many customers are there",
      source: "example",
      rowCount: 1,
    });
  });

  it("never serves an answer from memory once its stored row is gone (history cleared)", async () => {
    await t2s.train(fixture.dbPath, noModelPairs);
    await t2s.ask(fixture.dbPath, "How many customers are there?");
    expect((await t2s.ask(fixture.dbPath, "How many customers are there?")).source).toBe("cache");
    fixture.store.db.prepare("DELETE FROM answer_cache").run();
    expect((await t2s.ask(fixture.dbPath, "How many customers are there?")).source).toBe("example");
  });

  it("drops cached answers when the knowledge changes", async () => {
    await t2s.train(fixture.dbPath, noModelPairs);
    await t2s.ask(fixture.dbPath, "How many customers are there?");
    await t2s.knowledge.add(fixture.dbPath, { kind: "documentation", content: "Customers are shops." });
    expect((await t2s.ask(fixture.dbPath, "How many customers are there?")).source).toBe("example");
  });

  it("re-trains the schema when the database's structure changes", async () => {
    await t2s.connect(fixture.dbPath);
    const writable = new Database(fixture.dbPath);
    writable.exec("CREATE TABLE suppliers (id INTEGER PRIMARY KEY, name TEXT)");
    writable.close();
    const info = await t2s.connect(fixture.dbPath);
    expect(info.tables).toBe(5);
    const ddl = await t2s.knowledge.list(fixture.dbPath, "ddl");
    expect(ddl.map((i) => i.title).sort()).toEqual([
      "customers",
      "invoice_items",
      "invoices",
      "products",
      "suppliers",
    ]);
  });

  it("says how to get an answer when no model is installed and no example matches", async () => {
    await expect(t2s.ask(fixture.dbPath, "average stock per category")).rejects.toMatchObject({
      code: "NO_MODEL",
      hint: expect.stringMatching(/models pull/),
    });
    const [failed] = await t2s.history({ dbPath: fixture.dbPath });
    expect(failed.error).toMatch(/no model/);
  });

  it("answers a trained question asked about another value of its column, named or selected, with that value swapped in", async () => {
    const pair = {
      question: "Which customers live in Pune?",
      sql: "SELECT name FROM customers WHERE city = 'Pune' ORDER BY id",
    };
    await t2s.train(fixture.dbPath, { ...noModelPairs, pairs: [pair] });

    const named = await t2s.ask(fixture.dbPath, "Which customers live in Delhi?");
    expect(named).toMatchObject({ source: "example", matchedQuestion: pair.question, rowCount: 4 });
    expect(named.sql).toBe("SELECT name FROM customers WHERE city = 'Delhi' ORDER BY id");

    const selected = await t2s.ask(fixture.dbPath, "Which customers live in this city?", {
      context: "Chennai",
    });
    expect(selected.sql).toBe("SELECT name FROM customers WHERE city = 'Chennai' ORDER BY id");

    // Not the same question once the value is set aside: no reuse (and no model to ask).
    await expect(t2s.ask(fixture.dbPath, "Which customers do not live in Delhi?")).rejects.toMatchObject({
      code: "NO_MODEL",
    });
  });

  it("removes knowledge so retrieval no longer finds it, and reports unknown ids", async () => {
    await t2s.train(fixture.dbPath, noModelPairs);
    const pair = (await t2s.knowledge.list(fixture.dbPath, "question_sql"))[0];
    await t2s.knowledge.remove(fixture.dbPath, [pair.id]);
    await expect(t2s.ask(fixture.dbPath, pair.question ?? "")).rejects.toMatchObject({ code: "NO_MODEL" });
    await expect(t2s.knowledge.remove(fixture.dbPath, ["kn_nope"])).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

interface Scripted {
  fixture: ShopFixture;
  t2s: TextToSql;
  close(): Promise<void>;
}

/** What the scripted model writes: always the same SQL, or SQL chosen by the prompt it is shown. */
type Script = string | ((prompt: string) => string);

/** askdb on the shop fixture (with `tables` added), with a model behind the OpenAI API that writes what `script` says. */

async function startScripted(script: Script, tables?: string): Promise<Scripted> {
  const fixture = createShopFixture();
  if (tables) {
    const db = new Database(fixture.dbPath);
    db.exec(tables);
    db.close();
  }
  const server = await startOpenAiTestServer({
    reply: (body) => {
      const sql = typeof script === "string" ? script : script(JSON.stringify(body.messages ?? ""));
      return `\`\`\`sql\n${sql}\n\`\`\``;
    },
  });
  const engine = createEngine({ config: { backends: ["openai"], openai: { url: server.url, model: "m" } } });
  const t2s = createTextToSql({ store: fixture.store, engine, model: "m" });
  return {
    fixture,
    t2s,
    async close() {
      await t2s.close();
      await engine.close();
      await server.close();
      fixture.cleanup();
    },
  };
}

/** In a describe: each test gets askdb started afresh with a model that writes what `script` says. */
function withScriptedModel(script: Script, tables?: string): () => Scripted {
  let scripted: Scripted | undefined;
  beforeEach(async () => {
    scripted = await startScripted(script, tables);
  });
  afterEach(() => scripted?.close());
  return () => {
    if (!scripted) throw new Error("no scripted model outside a test");
    return scripted;
  };
}

describe("text-to-SQL with a scripted model behind the OpenAI API", () => {
  // The customers' name where the groups are products: SQLite shows one buyer of each product at random.
  const wrongAlias =
    "SELECT T1.name, SUM(T3.quantity) AS units FROM customers AS T1 JOIN invoices AS T2 ON T2.customer_id = T1.id JOIN invoice_items AS T3 ON T3.invoice_id = T2.id JOIN products AS T4 ON T4.id = T3.product_id GROUP BY T4.id";
  const scripted = withScriptedModel(wrongAlias);

  it("shows the column of the table the groups fix when the model took the wrong alias's", async () => {
    const { t2s, fixture } = scripted();
    await t2s.train(fixture.dbPath, { ddl: [], documentation: [], pairs: [] });
    const answer = await t2s.ask(fixture.dbPath, "units sold of each product");
    expect(answer.sql).toBe(wrongAlias.replace("SELECT T1.name", "SELECT T4.name"));
    // The mended answer stands: no second sample is asked for to replace it.
    expect(answer.attempts.map((attempt) => attempt.sql)).toEqual([answer.sql]);
    const names = answer.rows.map((row) => row[0]);
    expect(names.length).toBeGreaterThan(1);
    expect(names.every((name) => String(name).startsWith("Product "))).toBe(true);
  });
});

describe("text-to-SQL answering a ranking question", () => {
  const ranking =
    "SELECT c.city, SUM(i.total) AS revenue FROM invoices i JOIN customers c ON c.id = i.customer_id GROUP BY c.city ORDER BY revenue DESC LIMIT 1";
  const withoutValue =
    "SELECT c.city FROM invoices i JOIN customers c ON c.id = i.customer_id GROUP BY c.city ORDER BY SUM(i.total) DESC LIMIT 1";
  const scripted = withScriptedModel(ranking);

  it("shows what was asked, not the value it is ranked by", async () => {
    const { t2s, fixture } = scripted();
    await t2s.train(fixture.dbPath, { ddl: [], documentation: [], pairs: [] });
    const answer = await t2s.ask(fixture.dbPath, "which city brings in the most revenue");
    expect(answer.sql).toBe(withoutValue);
    expect(answer.columns.map((column) => column.name)).toEqual(["city"]);
    const ranked = new Database(fixture.dbPath, { readonly: true });
    const city = ranked.prepare(ranking).get() as { city: string };
    ranked.close();
    expect(answer.rows).toEqual([[city.city]]);
  });

  it("keeps the value when the question asks for it", async () => {
    const { t2s, fixture } = scripted();
    await t2s.train(fixture.dbPath, { ddl: [], documentation: [], pairs: [] });
    const answer = await t2s.ask(fixture.dbPath, "which city brings in the most revenue, and how much");
    expect(answer.sql).toBe(ranking);
    expect(answer.columns.map((column) => column.name)).toEqual(["city", "revenue"]);
  });

  it("keeps the value when the database's examples show it in their rankings", async () => {
    const { t2s, fixture } = scripted();
    const best = {
      question: "Who is our best customer?",
      sql: "SELECT c.name, SUM(i.total) AS spent FROM invoices i JOIN customers c ON c.id = i.customer_id GROUP BY c.id ORDER BY spent DESC LIMIT 1",
    };
    await t2s.train(fixture.dbPath, { ddl: [], documentation: [], pairs: [best] });
    const answer = await t2s.ask(fixture.dbPath, "which city brings in the most revenue");
    expect(answer.sql).toBe(ranking);
  });
});

describe("text-to-SQL answering with a list read through joins", () => {
  const buyers =
    "SELECT c.name FROM customers c JOIN invoices i ON i.customer_id = c.id WHERE i.status = 'paid' ORDER BY c.name";
  const scripted = withScriptedModel(buyers);

  it("shows each row once where the joins repeat it", async () => {
    const { t2s, fixture } = scripted();
    const db = new Database(fixture.dbPath, { readonly: true });
    const repeated = db.prepare(buyers).raw(true).all() as unknown[][];
    db.close();
    const names = [...new Set(repeated.map(([name]) => name))];
    expect(names.length).toBeLessThan(repeated.length);
    await t2s.train(fixture.dbPath, { ddl: [], documentation: [], pairs: [] });
    const answer = await t2s.ask(fixture.dbPath, "which customers have paid an invoice");
    expect(answer.sql).toBe(buyers.replace("SELECT", "SELECT DISTINCT"));
    expect(answer.rows).toEqual(names.map((name) => [name]));
  });
});

const skip = missingModelsReason();
describe.skipIf(skip !== undefined)(`text-to-SQL with a real model ${skip ?? ""}`, () => {
  let fixture: ShopFixture;
  let engine: ManagedEngine;
  let t2s: TextToSql;
  beforeEach(() => {
    fixture = createShopFixture();
    engine = createEngine({ modelFile: TINY_RANDOM_MODEL, config: { threads: 1, contextSize: 2048 } });
    t2s = createTextToSql({
      store: fixture.store,
      engine,
      model: "tiny-random",
      grammar: RANDOM_MODEL_GRAMMAR,
      useGrammar: true,
    });
  });
  afterEach(async () => {
    await t2s.close();
    await engine.close();
    fixture.cleanup();
  });

  it("generates grammar-valid SQL on the real tables, streams tokens, and reuses the prompt prefix", async () => {
    await t2s.train(fixture.dbPath, noModelPairs);
    const tokens: string[] = [];
    const first = await t2s.ask(fixture.dbPath, "which city has the most customers", {
      onEvent: (e) => e.token && tokens.push(e.token),
    });
    expect(first.source).toBe("model");
    expect(first.sql).toMatch(/^SELECT .* FROM (customers|products|invoices|invoice_items)\b/);
    expect(tokens.join("")).toBe(first.sql);
    expect(first.attempts).toHaveLength(1);
    expect(first.timings.generationMs).toBeGreaterThan(0);
    const second = await t2s.ask(fixture.dbPath, "what is the average price of paint products");
    expect(second.attempts[0].reusedPromptTokens).toBeGreaterThan((second.attempts[0].promptTokens ?? 0) / 2);
  });

  it("evaluates the database's prompt before a question's deadline starts, once while the model stays loaded", async () => {
    await t2s.train(fixture.dbPath, noModelPairs);
    const first = await t2s.ask(fixture.dbPath, "which city has the most customers");
    const [attempt] = first.attempts;
    expect(attempt.reusedPromptTokens).toBeGreaterThan((attempt.promptTokens ?? 0) / 2);
    await engine.unload();
    const afterUnload = await t2s.ask(fixture.dbPath, "what is the average price of paint products");
    expect(afterUnload.attempts[0].reusedPromptTokens).toBeGreaterThan(
      (afterUnload.attempts[0].promptTokens ?? 0) / 2,
    );
  });

  it("closes the feedback loop: a corrected answer is validated, stored, and reused for the next similar question", async () => {
    const wrong = await t2s.ask(fixture.dbPath, "How many paint products are there?");
    expect(wrong.source).toBe("model");
    await expect(t2s.feedback.correct(wrong.id, "DELETE FROM products")).rejects.toMatchObject({
      code: "SQL_REFUSED",
    });
    const fixed = "SELECT COUNT(*) AS paint_products FROM products WHERE category = 'paint'";
    const pair = await t2s.feedback.correct(wrong.id, fixed);
    expect(pair).toMatchObject({
      kind: "question_sql",
      question: "How many paint products are there?",
      content: fixed,
      source: "feedback",
    });
    const row = fixture.store.db.prepare("SELECT verdict, wrong_sql, correct_sql FROM feedback").get();
    expect(row).toEqual({ verdict: "corrected", wrong_sql: wrong.sql, correct_sql: fixed });
    const next = await t2s.ask(fixture.dbPath, "how many paint products are there");
    expect(next).toMatchObject({ source: "example", sql: fixed, rows: [[10]] });

    const right = await t2s.ask(fixture.dbPath, "list the names of products");
    const kept = await t2s.feedback.markCorrect(right.id);
    expect(kept.content).toBe(right.sql);
    expect((await t2s.knowledge.list(fixture.dbPath, "question_sql")).map((p) => p.question)).toContain(
      "list the names of products",
    );
  });

  /** The tiny models, with an embedding model beside the LLM. */
  function withEmbeddingModel() {
    const withEmbeddings = createEngine({
      modelFile: TINY_RANDOM_MODEL,
      embeddingModelFile: STORIES_MODEL,
      config: { threads: 1, contextSize: 2048 },
    });
    const hybrid = createTextToSql({
      store: fixture.store,
      engine: withEmbeddings,
      model: "tiny-random",
      grammar: RANDOM_MODEL_GRAMMAR,
      useGrammar: true,
    });
    return { withEmbeddings, hybrid };
  }

  it("embeds knowledge and questions when an embedding model is available, and stores the vectors", async () => {
    const { withEmbeddings, hybrid } = withEmbeddingModel();
    try {
      await hybrid.train(fixture.dbPath, noModelPairs);
      const answer = await hybrid.ask(fixture.dbPath, "How many customers are there?");
      expect(answer.source).toBe("example");
      const stored = fixture.store.db
        .prepare("SELECT COUNT(*) AS n, MIN(dimensions) AS d FROM knowledge_embeddings")
        .get() as { n: number; d: number };
      expect(stored).toEqual({ n: SHOP_PAIRS.length, d: 64 });
    } finally {
      await hybrid.close();
      await withEmbeddings.close();
    }
    // Without an embedding model the same question is answered by BM25 alone, silently.
    expect((await t2s.ask(fixture.dbPath, "how many customers are there", { useCache: false })).source).toBe(
      "example",
    );
  });

  it("embeds no question while the database has nothing to search by meaning", async () => {
    const { withEmbeddings, hybrid } = withEmbeddingModel();
    const embeddings = () =>
      withEmbeddings.metrics().find((m) => m.model === "stories260K")?.totalRequests ?? 0;
    try {
      await hybrid.ask(fixture.dbPath, "How many customers are there?", { useRepair: false });
      expect(embeddings()).toBe(0);
      await hybrid.train(fixture.dbPath, noModelPairs);
      await hybrid.ask(fixture.dbPath, "How many customers are there?", { useCache: false });
      expect(embeddings()).toBeGreaterThan(0);
    } finally {
      await hybrid.close();
      await withEmbeddings.close();
    }
  });

  it("rewrites a follow-up into a standalone question from the conversation's last question and SQL", async () => {
    await t2s.ask(fixture.dbPath, "total revenue per customer in 2026", { conversationId: "conv1" });
    const follow = await t2s.ask(fixture.dbPath, "and only the unpaid invoices?", {
      conversationId: "conv1",
    });
    expect(follow.standaloneQuestion).toBeDefined();
    expect(follow.standaloneQuestion).not.toBe("and only the unpaid invoices?");
    const [entry] = await t2s.history({ conversationId: "conv1", limit: 1 });
    expect(entry.standaloneQuestion).toBe(follow.standaloneQuestion);
    // The rewrite ran behind the same stable prompt, so the SQL generation after it reused that prefix.
    expect(follow.attempts[0].reusedPromptTokens).toBeGreaterThan(0);
    // A question outside any conversation is never rewritten.
    expect(
      (await t2s.ask(fixture.dbPath, "and only the unpaid invoices?")).standaloneQuestion,
    ).toBeUndefined();
  });
});

describe("text-to-SQL answering with a key compared with a name", () => {
  // product_id holds numbers; 'Product 3' is a product's name.
  const byName = "SELECT SUM(quantity) FROM invoice_items WHERE product_id = 'Product 3'";
  const scripted = withScriptedModel(byName);

  it("runs the comparison through the row of that name", async () => {
    const { t2s, fixture } = scripted();
    await t2s.train(fixture.dbPath, { ddl: [], documentation: [], pairs: [] });
    const answer = await t2s.ask(fixture.dbPath, "how many units of Product 3 have we sold");
    expect(answer.sql).toBe(
      `SELECT SUM(quantity) FROM invoice_items WHERE product_id IN (SELECT "id" FROM "products" WHERE "name" = 'Product 3')`,
    );
    const db = new Database(fixture.dbPath, { readonly: true });
    const sold = db
      .prepare(
        "SELECT SUM(quantity) FROM invoice_items JOIN products p ON p.id = product_id WHERE p.name = 'Product 3'",
      )
      .pluck()
      .get();
    db.close();
    expect(sold).toBeGreaterThan(0);
    expect(answer.rows).toEqual([[sold]]);
    expect(answer.attempts).toHaveLength(1);
  });
});

describe("text-to-SQL answering with a sum over a join that only repeats its rows", () => {
  // Joined to its lines for nothing, each invoice's total is added once per line.
  const repeated =
    "SELECT SUM(T1.total) FROM invoices AS T1 JOIN invoice_items AS T2 ON T2.invoice_id = T1.id";
  const scripted = withScriptedModel(
    repeated,
    "INSERT INTO invoice_items (invoice_id, product_id, quantity, unit_price) VALUES (1, 3, 1, 45), (1, 4, 2, 60);",
  );

  it("adds each invoice once, in one try", async () => {
    const { t2s, fixture } = scripted();
    await t2s.train(fixture.dbPath, { ddl: [], documentation: [], pairs: [] });
    const answer = await t2s.ask(fixture.dbPath, "what have we invoiced in total");
    expect(answer.sql).toBe("SELECT SUM(T1.total) FROM invoices AS T1");
    const db = new Database(fixture.dbPath, { readonly: true });
    const [once, perLine] = [answer.sql, repeated].map((sql) => db.prepare(sql).pluck().get());
    db.close();
    expect(perLine).not.toBe(once);
    expect(answer.rows).toEqual([[once]]);
    expect(answer.attempts).toHaveLength(1);
  });
});

describe("text-to-SQL answering with only the keys of the rows asked about", () => {
  const keysOnly =
    "SELECT product_id FROM invoice_items GROUP BY product_id ORDER BY SUM(quantity) DESC LIMIT 1";
  const byName =
    "SELECT p.name FROM invoice_items ii JOIN products p ON p.id = ii.product_id GROUP BY p.id ORDER BY SUM(ii.quantity) DESC LIMIT 1";
  const scripted = withScriptedModel((prompt) =>
    prompt.includes("Show products.name instead") ? byName : keysOnly,
  );

  it("asks again, saying which name to show, and answers with the name", async () => {
    const { t2s, fixture } = scripted();
    await t2s.train(fixture.dbPath, { ddl: [], documentation: [], pairs: [] });
    const answer = await t2s.ask(fixture.dbPath, "which product sells best");
    expect(answer.attempts.map((attempt) => attempt.sql)).toEqual([keysOnly, byName]);
    expect(answer.sql).toBe(byName);
    expect(answer.rows).toHaveLength(1);
    expect(String(answer.rows[0][0])).toMatch(/^Product \d+$/);
  });
});

describe("text-to-SQL answering a question that asks for part of a name", () => {
  const whole = "SELECT COUNT(*) FROM products WHERE name = 'Product 1'";
  const scripted = withScriptedModel(whole);

  it("matches the part, in one try", async () => {
    const { t2s, fixture } = scripted();
    await t2s.train(fixture.dbPath, { ddl: [], documentation: [], pairs: [] });
    const answer = await t2s.ask(fixture.dbPath, "how many products have 'Product 1' in their name");
    expect(answer.sql).toBe("SELECT COUNT(*) FROM products WHERE name LIKE '%Product 1%'");
    const db = new Database(fixture.dbPath, { readonly: true });
    const [part, exact] = [answer.sql, whole].map((sql) => db.prepare(sql).pluck().get());
    db.close();
    expect(exact).toBe(1);
    expect(part).toBeGreaterThan(1);
    expect(answer.rows).toEqual([[part]]);
    expect(answer.attempts).toHaveLength(1);
  });
});

describe("text-to-SQL answering a question about rows that have two values", () => {
  const joins =
    "FROM customers c JOIN invoices i ON i.customer_id = c.id JOIN invoice_items ii ON ii.invoice_id = i.id JOIN products p ON p.id = ii.product_id";
  const both = `SELECT c.name ${joins} WHERE p.name = 'Product 1' AND p.name = 'Product 5' ORDER BY c.name`;
  const either = `SELECT COUNT(DISTINCT c.id) ${joins} WHERE p.name IN ('Product 1', 'Product 5')`;
  const cities = "SELECT COUNT(*) FROM customers WHERE city IN ('Pune', 'Delhi')";
  const scripted = withScriptedModel((prompt) =>
    prompt.includes("both Pune") ? cities : prompt.includes("either") ? either : both,
  );

  it("intersects what has each value, in one try", async () => {
    const { t2s, fixture } = scripted();
    await t2s.train(fixture.dbPath, { ddl: [], documentation: [], pairs: [] });
    const answer = await t2s.ask(fixture.dbPath, "which customers bought both Product 1 and Product 5");
    expect(answer.sql).toBe(
      `SELECT c.name ${joins} WHERE p.name = 'Product 1' INTERSECT SELECT c.name ${joins} WHERE p.name = 'Product 5' ORDER BY c.name`,
    );
    expect(answer.rows).toEqual([["Customer 1"], ["Customer 5"], ["Customer 9"]]);
    expect(answer.attempts).toHaveLength(1);
  });

  it("counts what has both values of an IN list where the question asks for both, unless that finds nothing", async () => {
    const { t2s, fixture } = scripted();
    await t2s.train(fixture.dbPath, { ddl: [], documentation: [], pairs: [] });
    const answer = await t2s.ask(
      fixture.dbPath,
      "how many customers bought both Product 1 and Product 5 (not either)",
    );
    expect(answer.sql).toBe(
      `SELECT COUNT(counted) FROM (SELECT c.id AS counted ${joins} WHERE p.name = 'Product 1' INTERSECT SELECT c.id AS counted ${joins} WHERE p.name = 'Product 5')`,
    );
    // Customers 1, 5 and 9; as written, the six who bought either.
    expect(answer.rows).toEqual([[3]]);
    expect(answer.attempts).toHaveLength(1);
    // A customer lives in one city: "both" means either here, and the answer stands as written.
    const inCities = await t2s.ask(fixture.dbPath, "how many customers are from both Pune and Delhi");
    expect(inCities.sql).toBe(cities);
    expect(inCities.rows).toEqual([[8]]);
    expect(inCities.attempts).toHaveLength(1);
  });
});

describe("text-to-SQL answering with a count written before EXCEPT", () => {
  const countFirst =
    "SELECT COUNT(DISTINCT customer_id) FROM invoices EXCEPT SELECT customer_id FROM invoices WHERE status = 'unpaid'";
  const scripted = withScriptedModel(countFirst);

  it("counts the rows the EXCEPT leaves, in one try", async () => {
    const { t2s, fixture } = scripted();
    await t2s.train(fixture.dbPath, { ddl: [], documentation: [], pairs: [] });
    const answer = await t2s.ask(fixture.dbPath, "how many customers have no unpaid invoice");
    expect(answer.sql).toBe(
      "SELECT COUNT(DISTINCT counted) FROM (SELECT customer_id AS counted FROM invoices EXCEPT SELECT customer_id FROM invoices WHERE status = 'unpaid')",
    );
    const db = new Database(fixture.dbPath, { readonly: true });
    const [none, asWritten] = [
      "SELECT COUNT(*) FROM customers WHERE id NOT IN (SELECT customer_id FROM invoices WHERE status = 'unpaid')",
      countFirst,
    ].map((sql) => db.prepare(sql).pluck().get());
    db.close();
    expect(asWritten).toBe(12);
    expect(none).toBe(8);
    expect(answer.rows).toEqual([[none]]);
    expect(answer.attempts).toHaveLength(1);
  });
});

describe("text-to-SQL answering over a range of days", () => {
  // Deliveries are kept with their time of day: as written, the range leaves out March 31.
  const firstQuarter =
    "SELECT COUNT(*) FROM deliveries WHERE delivered_at BETWEEN '2026-01-01' AND '2026-03-31'";
  const scripted = withScriptedModel(
    firstQuarter,
    `CREATE TABLE deliveries (id INTEGER PRIMARY KEY, delivered_at TEXT NOT NULL);
     INSERT INTO deliveries (delivered_at) VALUES ('2026-01-05 09:00:00'), ('2026-03-31 16:20:00'), ('2026-04-01 08:00:00');`,
  );

  it("counts the range's last day too", async () => {
    const { t2s, fixture } = scripted();
    const answer = await t2s.ask(fixture.dbPath, "how many deliveries came in the first quarter of 2026");
    expect(answer.sql).toBe(firstQuarter.replace("delivered_at", "date(delivered_at)"));
    expect(answer.rows).toEqual([[2]]);
  });
});

describe("text-to-SQL answering on names that only work quoted", () => {
  // Quoted, T1."Airline Name" asks the stats for a column only the directory has.
  const wrongAlias =
    "SELECT T1.Airline Name FROM Carrier Stats AS T1 JOIN Airline Directory AS T2 ON T1.Carrier Code = T2.Carrier Code WHERE T1.Flight Count > 5";
  const scripted = withScriptedModel(
    wrongAlias,
    `CREATE TABLE "Airline Directory" ("Carrier Code" TEXT PRIMARY KEY, "Airline Name" TEXT);
     CREATE TABLE "Carrier Stats" ("Carrier Code" TEXT, "Flight Count" INTEGER);
     INSERT INTO "Airline Directory" VALUES ('UA', 'United Air Lines Inc.'), ('DL', 'Delta Air Lines Inc.');
     INSERT INTO "Carrier Stats" VALUES ('UA', 10), ('DL', 2);`,
  );

  it("mends the query as it runs, with its names quoted", async () => {
    const { t2s, fixture } = scripted();
    const answer = await t2s.ask(fixture.dbPath, "which airlines flew more than 5 flights");
    expect(answer.sql).toBe(
      `SELECT T2."Airline Name" FROM "Carrier Stats" AS T1 JOIN "Airline Directory" AS T2 ON T1."Carrier Code" = T2."Carrier Code" WHERE T1."Flight Count" > 5`,
    );
    expect(answer.rows).toEqual([["United Air Lines Inc."]]);
    expect(answer.attempts).toHaveLength(1);
  });
});
