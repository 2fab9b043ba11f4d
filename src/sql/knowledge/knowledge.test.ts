import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../store/index.js";
import {
  KnowledgeStore,
  ddlItems,
  parsePairs,
  readTrainingDirectory,
  splitMarkdownByHeading,
} from "./index.js";

describe("splitMarkdownByHeading", () => {
  it("makes one section per heading with the heading path as title, ignoring headings in code fences", () => {
    const sections = splitMarkdownByHeading(
      "# Invoices\nIntro text.\n\n## Overdue\nAn invoice is overdue after its due date.\n```\n# not a heading\n```\n### Grace\nSeven days.\n## Empty\n",
      "invoices",
    );
    expect(sections.map((s) => s.title)).toEqual([
      "invoices > Invoices",
      "invoices > Invoices > Overdue",
      "invoices > Invoices > Overdue > Grace",
    ]);
    expect(sections[1].text).toContain("# not a heading");
    expect(sections[2].text).toBe("### Grace\nSeven days.");
  });
});

describe("ddlItems", () => {
  it("splits on semicolons outside strings and comments and titles each item by its object", () => {
    const sql =
      "-- products; all of them\nCREATE TABLE products (id INTEGER, note TEXT DEFAULT 'a;b');\n/* ; */ CREATE INDEX idx_p ON products(id);\n";
    const items = ddlItems(sql, "user");
    expect(items.map((i) => i.title)).toEqual(["products", "idx_p"]);
    expect(items.map((i) => i.content)).toEqual([
      "-- products; all of them\nCREATE TABLE products (id INTEGER, note TEXT DEFAULT 'a;b');",
      "/* ; */ CREATE INDEX idx_p ON products(id);",
    ]);
  });

  it("ignores semicolons in quoted identifiers and escaped quotes, and drops empty and comment-only statements", () => {
    const sql =
      "CREATE TABLE \"a;b\" (x);CREATE TABLE [c;d] (y);\nCREATE TABLE t (s TEXT DEFAULT 'it''s; fine');;  ;\n" +
      "CREATE TABLE x (a INT -- note; still x\n)\n-- trailing comment only\n;\n/* the end */  \n";
    const items = ddlItems(sql, "training-dir");
    expect(items.map((i) => i.title)).toEqual(["a;b", "c;d", "t", "x"]);
    expect(items[2].content).toBe("CREATE TABLE t (s TEXT DEFAULT 'it''s; fine');");
    expect(items[3].content).toBe("CREATE TABLE x (a INT -- note; still x\n)\n-- trailing comment only;");
    expect(items.every((i) => i.source === "training-dir")).toBe(true);
  });
});

describe("parsePairs", () => {
  it("accepts sql or Spider's query and says which entry is wrong", () => {
    expect(parsePairs('[{"question":"q","query":"SELECT 1"}]', "f.json")).toEqual([
      { question: "q", sql: "SELECT 1" },
    ]);
    expect(() => parsePairs('[{"question":"q"}]', "f.json")).toThrow(/f.json, entry 1/);
    expect(() => parsePairs("{", "f.json")).toThrow(/not valid JSON/);
  });
});

describe("readTrainingDirectory", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads ddl/, documentation/ and question_sql_pairs/", () => {
    dir = mkdtempSync(join(tmpdir(), "askdb-train-"));
    for (const sub of ["ddl", "documentation", "question_sql_pairs"]) mkdirSync(join(dir, sub));
    writeFileSync(join(dir, "ddl", "schema.sql"), "CREATE TABLE a (id INTEGER);");
    writeFileSync(
      join(dir, "documentation", "sales.md"),
      "## Revenue\nPaid invoices only.\n## Returns\nSubtract returns.",
    );
    writeFileSync(
      join(dir, "question_sql_pairs", "q.json"),
      '[{"question":"How many a?","sql":"SELECT COUNT(*) FROM a"}]',
    );
    const material = readTrainingDirectory(dir);
    expect(material.ddl).toHaveLength(1);
    expect(material.documentation.map((d) => d.title)).toEqual(["sales > Revenue", "sales > Returns"]);
    expect(material.pairs).toEqual([{ question: "How many a?", sql: "SELECT COUNT(*) FROM a" }]);
  });

  it("refuses a folder that does not exist or holds nothing", () => {
    dir = mkdtempSync(join(tmpdir(), "askdb-train-"));
    expect(() => readTrainingDirectory(join(dir, "missing"))).toThrow(/does not exist/);
    expect(() => readTrainingDirectory(dir)).toThrow(/nothing to learn/);
  });
});

describe("KnowledgeStore", () => {
  let dir: string;
  let store: Store;
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("adds, lists and removes items, bumping the knowledge version on every change", () => {
    dir = mkdtempSync(join(tmpdir(), "askdb-kn-"));
    store = openStore(dir);
    const knowledge = new KnowledgeStore(store);
    writeFileSync(join(dir, "user.sqlite"), "");
    const db = knowledge.registerDatabase(join(dir, "user.sqlite"), "fp1");
    expect(knowledge.registerDatabase(join(dir, ".", "user.sqlite"), "fp1").id).toBe(db.id);
    const [pair, doc] = knowledge.add(db.id, [
      { kind: "question_sql", question: "How many?", content: "SELECT 1", source: "user" },
      { kind: "documentation", content: "## Rule\ntext", title: "Rule", source: "user" },
    ]);
    expect(knowledge.knowledgeVersion(db.id)).toBe(1);
    expect(knowledge.list(db.id, "question_sql").map((i) => i.id)).toEqual([pair.id]);
    expect(knowledge.findPair(db.id, "How many?", "SELECT 1")?.id).toBe(pair.id);
    expect(knowledge.remove(db.id, [doc.id, "kn_unknown"])).toEqual([doc.id]);
    expect(knowledge.knowledgeVersion(db.id)).toBe(2);
    knowledge.saveEmbeddings("m", [{ knowledgeId: pair.id, vector: Float32Array.from([0.5, -1, 2]) }]);
    expect([...(knowledge.loadEmbeddings(db.id, "m").get(pair.id) ?? [])]).toEqual([0.5, -1, 2]);
  });
});
