import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TRAINING_DIR, ensureDemoDatabase } from "../../demo/index.js";
import { openUserDatabase } from "../connect/index.js";
import type { KnowledgeItem } from "../knowledge/index.js";
import { readTrainingDirectory } from "../knowledge/index.js";
import { introspectSchema, type DatabaseSchema } from "../schema/index.js";
import { Bm25Index } from "./bm25.js";
import { VectorIndex } from "./vectors.js";
import {
  KnowledgeIndex,
  findNearDuplicate,
  linkSchema,
  normaliseQuestion,
  questionSimilarity,
  reciprocalRankFusion,
  retrieve,
  NEAR_DUPLICATE_THRESHOLD,
} from "./index.js";

function pairItem(
  id: string,
  question: string,
  sql: string,
  createdAt = "2026-01-01T00:00:00Z",
): KnowledgeItem {
  return { id, dbId: "db", kind: "question_sql", question, content: sql, source: "user", createdAt };
}

describe("question similarity (the example fast path)", () => {
  const same: Array<[string, string]> = [
    ["How many products are there?", "how many products are there"],
    ["Show me the top 5 customers by revenue", "Top 5 customers by revenue, please"],
    ["List all suppliers", "Show all the suppliers"],
    ["What is the total stock value?", "total stock value"],
    ["How many customers do we have?", "What is the number of customers?"],
    ["top ten customers by revenue", "Top 10 customers by revenue"],
  ];
  const different: Array<[string, string]> = [
    ["How many products are there?", "How many customers are there?"],
    ["top 5 customers by revenue", "top 10 customers by revenue"],
    ["total sales in 2025", "total sales in 2024"],
    ["average price of products", "maximum price of products"],
    ["products that are low on stock", "products that are not low on stock"],
    ["sales this month", "sales last month"],
    ["invoices for 'Acme'", "invoices for 'Globex'"],
    ["what file formats are our tracks sold in", "Which file format have we sold the most tracks in?"],
    ["Which customers bought rock tracks?", "Which customers bought only rock tracks?"],
    [
      "Show the names of the composers credited on our rock tracks",
      "Show the distinct names of the composers credited on our rock tracks",
    ],
    [
      "Which countries do our customers in the store come from",
      "Which different countries do our customers in the store come from",
    ],
  ];
  it.each(same)("reuses SQL for %j ~ %j", (a, b) =>
    expect(questionSimilarity(a, b)).toBeGreaterThanOrEqual(NEAR_DUPLICATE_THRESHOLD),
  );
  it.each(different)("does not reuse SQL for %j vs %j", (a, b) =>
    expect(questionSimilarity(a, b)).toBeLessThan(NEAR_DUPLICATE_THRESHOLD),
  );

  it("normalises case, spacing and trailing punctuation for cache keys", () => {
    expect(normaliseQuestion("  How many   Products?? ")).toBe(normaliseQuestion("how many products"));
  });

  it("prefers the newest of equally close pairs (a correction replaces an older pair)", () => {
    const old = pairItem("a", "How many products?", "SELECT 1", "2026-01-01T00:00:00Z");
    const fresh = pairItem("b", "how many products", "SELECT 2", "2026-02-01T00:00:00Z");
    expect(
      findNearDuplicate(
        [
          { item: old, score: 1 },
          { item: fresh, score: 0.5 },
        ],
        "How many products?",
      )?.item.id,
    ).toBe("b");
  });
});

describe("KnowledgeIndex", () => {
  it("updates incrementally and fuses BM25 with vectors by rank", () => {
    const index = new KnowledgeIndex(0);
    index.add([
      pairItem(
        "p1",
        "total revenue per month",
        "SELECT strftime('%Y-%m', invoice_date), SUM(total) FROM invoices GROUP BY 1",
      ),
      pairItem("p2", "customers in Pune", "SELECT name FROM customers WHERE city = 'Pune'"),
      pairItem("p3", "products low on stock", "SELECT name FROM products WHERE stock < reorder_level"),
    ]);
    expect(index.search("revenue by month", "question_sql", 3)[0].item.id).toBe("p1");
    index.remove(["p1"]);
    expect(index.search("revenue by month", "question_sql", 3).map((s) => s.item.id)).not.toContain("p1");
    // Vectors alone can rank an item BM25 misses.
    index.setVectors(
      "m",
      new Map([
        ["p2", [1, 0]],
        ["p3", [0, 1]],
      ]),
    );
    expect(index.search("where do buyers live", "question_sql", 2, [0.9, 0.1])[0].item.id).toBe("p2");
    expect(index.missingVectors()).toHaveLength(0);
    const fused = reciprocalRankFusion([["a", "b"], ["b", "a"], ["b"]]);
    expect(fused.get("b")).toBeGreaterThan(fused.get("a") ?? 0);
    const weighted = reciprocalRankFusion(
      [
        ["a", "b"],
        ["b", "a"],
      ],
      [1, 2],
    );
    expect(weighted.get("b")).toBeGreaterThan(weighted.get("a") ?? 0);
  });
});

describe("Bm25Index and VectorIndex", () => {
  it("keeps ranking right across removals (with compaction)", () => {
    const index = new Bm25Index();
    index.add("a", [{ tokens: ["revenue", "month"], weight: 1 }]);
    index.add("b", [{ tokens: ["revenue", "customer"], weight: 1 }]);
    index.add("c", [{ tokens: ["stock"], weight: 1 }]);
    expect(index.search(["revenue", "month"], 2)).toEqual(["a", "b"]);
    index.remove("a");
    index.remove("c");
    expect(index.size).toBe(1);
    expect(index.search(["revenue", "month"], 2)).toEqual(["b"]);
    index.add("d", [{ tokens: ["month"], weight: 3 }]);
    expect(index.search(["month"], 1)).toEqual(["d"]);
  });

  it("finds the nearest vector exactly among thousands (sign-bit pass, then exact rescoring)", () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
    const index = new VectorIndex();
    const vectors = Array.from({ length: 6000 }, () => Array.from({ length: 64 }, random));
    vectors.forEach((v, i) => index.set(`v${i}`, v));
    for (const probe of [0, 2500, 5999]) {
      const query = vectors[probe].map((x) => x * 3 + random() * 0.01);
      expect(index.nearest(query, 3)[0]).toBe(`v${probe}`);
    }
    index.remove("v2500");
    expect(index.nearest(vectors[2500], 3)).not.toContain("v2500");
  });
});

describe("retrieval on the demo database", () => {
  let dir: string;
  let schema: DatabaseSchema;
  const index = new KnowledgeIndex(0);
  let pairs: Array<{ question: string; sql: string }>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "askdb-retrieve-"));
    const db = openUserDatabase(ensureDemoDatabase(dir));
    schema = introspectSchema(db.db);
    db.close();
    const material = readTrainingDirectory(DEMO_TRAINING_DIR);
    pairs = material.pairs;
    index.add(pairs.map((p, i) => pairItem(`p${i}`, p.question, p.sql)));
    index.add(
      material.documentation.map((d, i) => ({
        ...d,
        id: `d${i}`,
        dbId: "db",
        createdAt: "2026-01-01T00:00:00Z",
      })),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("retrieves the trained pair first for a paraphrase of its question", () => {
    const paraphrases: Array<[RegExp, string]> = [
      [/top 10 customers by total purchases/i, "which are the top ten customers by their total purchases?"],
      [/pending balance of each supplier/i, "pending balance per supplier"],
      [/products do we have in each category/i, "number of products per category"],
    ];
    for (const [trained, paraphrase] of paraphrases) {
      const pair = pairs.find((p) => trained.test(p.question));
      expect(pair, `demo training has a question like ${trained}`).toBeDefined();
      const result = retrieve(index, schema, paraphrase);
      expect(result.pairs[0].item.question).toBe(pair?.question);
    }
  });

  it("links the tables a question names, with their foreign-key neighbours, and finds documentation", () => {
    const result = retrieve(index, schema, "which invoices are overdue?");
    expect(result.linkedTables).toContain("invoices");
    expect(result.linkedTables).toContain("customers");
    expect(result.documentation.length).toBeGreaterThan(0);
    expect(linkSchema(schema, "credit limit of customers", [])).toContain("customers");
  });
});
