import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, type ManagedEngine } from "../../engine/index.js";
import { missingModelsReason, TINY_RANDOM_MODEL } from "../../engine/testing/index.js";
import {
  buildQuestionPrompt,
  buildStablePrompt,
  factsMessages,
  repairMessages,
  sqlMessages,
  type CountTokens,
  type Example,
  type ValueHint,
} from "./index.js";

const schemaDdl = Array.from(
  { length: 12 },
  (_, i) => `CREATE TABLE t${i} (\n  id INTEGER PRIMARY KEY,\n  name TEXT,\n  amount REAL\n);`,
).join("\n\n");
const documentation = [
  "## Revenue\nRevenue counts paid invoices only.",
  "## Overdue\nAn invoice is overdue 30 days after its date.",
];
const examples: Example[] = Array.from({ length: 8 }, (_, i) => ({
  question: `question number ${i} about t${i}`,
  sql: `SELECT name FROM t${i} WHERE amount > ${i}`,
}));

const skip = missingModelsReason();
describe.skipIf(skip !== undefined)(`prompt budget, counted with the model's tokenizer ${skip ?? ""}`, () => {
  let engine: ManagedEngine;
  let countTokens: CountTokens;
  beforeAll(() => {
    engine = createEngine({ modelFile: TINY_RANDOM_MODEL, config: { threads: 1, contextSize: 2048 } });
    countTokens = (text) => engine.countTokens(text);
  });
  afterAll(() => engine.close());

  it("keeps the stable part byte-identical across questions and puts examples and the question last", async () => {
    const budget = { contextSize: 4096, maxOutputTokens: 256, questionTokens: 120 };
    const stable = await buildStablePrompt({ schemaDdl, documentation, countTokens, budget });
    expect(stable).toMatchObject({ schemaIncluded: true, documentationIncluded: true });
    expect(stable.text).toContain("CREATE TABLE t11");
    expect(stable.text).toContain("Revenue counts paid invoices only.");
    const again = await buildStablePrompt({ schemaDdl, documentation, countTokens, budget });
    expect(again.text).toBe(stable.text);
    const input = { stable, examples, documentation: [], linkedSchemaDdl: "", countTokens, budget };
    const shown = await buildQuestionPrompt({ ...input, question: "how many t1?" });
    const a = shown.text;
    const b = (await buildQuestionPrompt({ ...input, question: "total amount of t2" })).text;
    expect(a).not.toBe(b);
    expect(a.trim().endsWith("Question: how many t1?")).toBe(true);
    // Most relevant first; the per-question budget keeps the first examples and drops the last.
    expect(a.indexOf("question number 0")).toBeGreaterThan(-1);
    expect(a.indexOf("question number 0")).toBeLessThan(a.indexOf("question number 1"));
    expect(a).not.toContain("question number 7");
    // The examples it returns are those the model is shown.
    expect(shown.examples.length).toBeLessThan(examples.length);
    expect(shown.examples.every((example) => a.includes(example.question))).toBe(true);
    expect(sqlMessages(stable, a)[0].content).toBe(sqlMessages(stable, b)[0].content);
  });

  it("keeps as many documentation sections as fit in the stable part, and gives the others per question", async () => {
    const long = `## Stock\n${"Stock is counted per batch and per shelf. ".repeat(12)}`;
    const sections = [long, ...documentation];
    const instructions = (
      await buildStablePrompt({
        schemaDdl,
        documentation: [],
        countTokens,
        budget: { contextSize: 8192, maxOutputTokens: 128 },
      })
    ).tokens;
    // Room in the stable part for the two short sections, not the long one; the question part holds the long one.
    const budget = { contextSize: instructions + 80 + 128 + 300, maxOutputTokens: 128, questionTokens: 300 };
    const stable = await buildStablePrompt({ schemaDdl, documentation: sections, countTokens, budget });
    expect(stable).toMatchObject({ schemaIncluded: true, documentationIncluded: false, documentation });
    expect(stable.text).toContain("Revenue counts paid invoices only.");
    expect(stable.text).not.toContain("Stock is counted");
    const { text: prompt } = await buildQuestionPrompt({
      stable,
      question: "stock of t1",
      examples: [],
      documentation: sections,
      linkedSchemaDdl: "",
      countTokens,
      budget,
    });
    expect(prompt).toContain("Stock is counted");
    expect(prompt).not.toContain("Revenue counts paid invoices only.");
  });

  it("puts a few trained examples in the stable part, evaluated once, and not again in each question's", async () => {
    const budget = { contextSize: 4096, maxOutputTokens: 256, questionTokens: 120 };
    const stable = await buildStablePrompt({ schemaDdl, documentation, examples, countTokens, budget });
    expect(stable.examples).toEqual(examples);
    expect(stable.text).toContain("Revenue counts paid invoices only.");
    for (const example of examples)
      expect(stable.text).toContain(`Question: ${example.question}\nSQL: ${example.sql}`);
    const shown = await buildQuestionPrompt({
      stable,
      question: "how many t1?",
      examples: [examples[3], { question: "untrained here", sql: "SELECT 1" }],
      documentation: [],
      linkedSchemaDdl: "",
      countTokens,
      budget,
    });
    expect(shown.text).not.toContain(examples[3].question);
    expect(shown.text).toContain("untrained here");
    expect(shown.examples).toEqual([...examples, { question: "untrained here", sql: "SELECT 1" }]);
  });

  it("leaves many trained examples, or examples that do not fit, to each question", async () => {
    const many = Array.from({ length: 60 }, (_, i) => ({
      question: `how much did customer number ${i} spend on paint in the spring of 2025`,
      sql: `SELECT SUM(amount) FROM t${i % 12} WHERE name = 'customer ${i}'`,
    }));
    const roomy = { contextSize: 16384, maxOutputTokens: 256 };
    expect(
      (await buildStablePrompt({ schemaDdl, documentation, examples: many, countTokens, budget: roomy }))
        .examples,
    ).toEqual([]);
    const schemaAndDocs = (await buildStablePrompt({ schemaDdl, documentation, countTokens, budget: roomy }))
      .tokens;
    const tight = { contextSize: schemaAndDocs + 256 + 512 + 20, maxOutputTokens: 256 };
    const stable = await buildStablePrompt({
      schemaDdl,
      documentation,
      examples,
      countTokens,
      budget: tight,
    });
    expect(stable).toMatchObject({ examples: [], documentationIncluded: true });
    expect(stable.text).not.toContain("question number 0");
  });

  async function promptWithHints(question: string, values: ValueHint[]): Promise<string> {
    const budget = { contextSize: 4096, maxOutputTokens: 256 };
    const stable = await buildStablePrompt({ schemaDdl, documentation, countTokens, budget });
    const { text } = await buildQuestionPrompt({
      stable,
      question,
      examples: [],
      values,
      documentation: [],
      linkedSchemaDdl: "",
      countTokens,
      budget,
    });
    return text;
  }

  it("gives the values the question names as hints, quoted as SQL literals", async () => {
    const prompt = await promptWithHints("invoices of O'Brien", [
      { table: "t1", column: "name", value: "Pat O'Brien" },
    ]);
    expect(prompt).toContain("- t1.name = 'Pat O''Brien'");
    expect(prompt.indexOf("t1.name")).toBeLessThan(prompt.indexOf("Question: invoices of O'Brien"));
  });

  it("says a value stored in several columns in one line that names them all, in the order given", async () => {
    const prompt = await promptWithHints("albums by Iron Maiden in Prague", [
      { table: "Artist", column: "Name", value: "Iron Maiden" },
      { table: "Customer", column: "City", value: "Prague" },
      { table: "Album", column: "Title", value: "Iron Maiden" },
    ]);
    expect(prompt).toContain(
      "- 'Iron Maiden' is stored in Artist.Name and in Album.Title\n- Customer.City = 'Prague'",
    );
    expect(prompt).not.toContain("Album.Title = ");
  });

  it("moves what does not fit into the question's part, and drops the least relevant examples first", async () => {
    const budget = { contextSize: 460, maxOutputTokens: 128 };
    const stable = await buildStablePrompt({ schemaDdl, documentation, countTokens, budget });
    expect(stable.schemaIncluded).toBe(false);
    expect(stable.text).not.toContain("CREATE TABLE");
    const { text: prompt } = await buildQuestionPrompt({
      stable,
      question: "names in t3",
      examples,
      documentation,
      linkedSchemaDdl: "CREATE TABLE t3 (id INTEGER PRIMARY KEY, name TEXT);",
      countTokens,
      budget,
    });
    expect(prompt).toContain("CREATE TABLE t3");
    expect(await countTokens(stable.text + prompt)).toBeLessThanOrEqual(
      budget.contextSize - budget.maxOutputTokens,
    );
    expect(prompt).toContain("question number 0");
    expect(prompt).not.toContain("question number 7");
  });

  it("keeps a schema too wide for its sample values whole in the stable part, without them", async () => {
    const leanTokens = (
      await buildStablePrompt({ schemaDdl: leanDdl(12), documentation: [], countTokens, budget: unlimited })
    ).tokens;
    const budget = { contextSize: leanTokens + 64 + 100 + 8, maxOutputTokens: 64, questionTokens: 100 };
    const input = { schemaDdl: sampledDdl(12), documentation, countTokens, budget };
    expect((await buildStablePrompt(input)).schemaIncluded).toBe(false);
    const stable = await buildStablePrompt({ ...input, leanSchemaDdl: leanDdl(12) });
    expect(stable).toMatchObject({ schemaIncluded: true, documentationIncluded: false, documentation: [] });
    expect(stable.text).toContain("CREATE TABLE t11");
    expect(stable.text).not.toContain("e.g.");
    expect(stable.tokens).toBeLessThanOrEqual(budget.contextSize - 64 - 100);
  });

  it("keeps a few trained examples in the stable part beside the schema without its sample values", async () => {
    const few = examples.slice(0, 3);
    const lean = { schemaDdl: leanDdl(12), documentation: [], examples: few, countTokens };
    const leanTokens = (await buildStablePrompt({ ...lean, budget: unlimited })).tokens;
    const budget = { contextSize: leanTokens + 64 + 100 + 8, maxOutputTokens: 64, questionTokens: 100 };
    // Two tables with sample values: the schema fits with them, but not beside the examples.
    const input = { ...lean, schemaDdl: sampledDdl(12, 2), budget };
    const before = await buildStablePrompt(input);
    expect(before).toMatchObject({ schemaIncluded: true, examples: [] });
    expect(before.text).toContain("e.g.");
    const stable = await buildStablePrompt({ ...input, leanSchemaDdl: leanDdl(12) });
    expect(stable).toMatchObject({ schemaIncluded: true, examples: few });
    expect(stable.text).toContain("question number 2");
    expect(stable.text).not.toContain("e.g.");
  });

  it("changes nothing when the schema fits with its sample values", async () => {
    const budget = { contextSize: 4096, maxOutputTokens: 256 };
    const input = {
      schemaDdl: sampledDdl(12),
      documentation,
      examples: examples.slice(0, 3),
      countTokens,
      budget,
    };
    const stable = await buildStablePrompt(input);
    expect(stable.text).toContain("e.g.");
    expect(await buildStablePrompt({ ...input, leanSchemaDdl: leanDdl(12) })).toEqual(stable);
    const question = { stable, question: "names in t1", examples, documentation: [], countTokens, budget };
    const shown = await buildQuestionPrompt({ ...question, linkedSchemaDdl: "" });
    expect(
      await buildQuestionPrompt({ ...question, linkedSchemaDdl: "", linkedLeanSchemaDdl: leanDdl(3) }),
    ).toEqual(shown);
  });

  it("shows a question's tables without sample values before it drops an example", async () => {
    const stable = await buildStablePrompt({
      schemaDdl: sampledDdl(12),
      documentation: [],
      countTokens,
      budget: { contextSize: 200, maxOutputTokens: 64 },
    });
    expect(stable.schemaIncluded).toBe(false);
    const question = {
      stable,
      question: "names in t1",
      examples: examples.slice(0, 2),
      documentation: [],
      countTokens,
    };
    const leanPrompt = await buildQuestionPrompt({
      ...question,
      linkedSchemaDdl: leanDdl(3),
      budget: unlimited,
    });
    const budget = {
      contextSize: stable.tokens + (await countTokens(leanPrompt.text)) + 64,
      maxOutputTokens: 64,
    };
    const linked = { ...question, budget, linkedSchemaDdl: sampledDdl(3) };
    expect((await buildQuestionPrompt(linked)).examples.length).toBeLessThan(2);
    const shown = await buildQuestionPrompt({ ...linked, linkedLeanSchemaDdl: leanDdl(3) });
    expect(shown.examples).toEqual(examples.slice(0, 2));
    expect(shown.text).toContain("CREATE TABLE t2");
    expect(shown.text).not.toContain("e.g.");
    expect(await countTokens(stable.text + shown.text)).toBeLessThanOrEqual(budget.contextSize - 64);
  });
});

const unlimited = { contextSize: 1_000_000, maxOutputTokens: 64 };

function leanDdl(tables: number): string {
  return Array.from(
    { length: tables },
    (_, i) => `CREATE TABLE t${i} (\n  id INTEGER PRIMARY KEY,\n  name TEXT\n);`,
  ).join("\n\n");
}

/** `tables` tables, the first `sampled` of them with sample values in a comment. */
function sampledDdl(tables: number, sampled = tables): string {
  return Array.from({ length: tables }, (_, i) => {
    const samples = i < sampled ? " -- e.g. 'alpha', 'beta', 'gamma', 'delta'" : "";
    return `CREATE TABLE t${i} (\n  id INTEGER PRIMARY KEY,\n  name TEXT${samples}\n);`;
  }).join("\n\n");
}

describe("repairMessages", () => {
  it("asks the question again with the failed query and the error, behind the same stable prefix", () => {
    const first = [
      { role: "system" as const, content: "schema" },
      { role: "user" as const, content: "Question: q" },
    ];
    const next = repairMessages(first, "SELECT nope FROM t", "no such column: nope");
    expect(next).toHaveLength(2);
    expect(next[0]).toBe(first[0]);
    expect(next[1].content).toMatch(
      /^Question: q\n\nThis query was written for the question above and failed:/,
    );
    expect(next[1].content).toContain("```sql\nSELECT nope FROM t\n```\nError: no such column: nope");
  });
});

describe("factsMessages", () => {
  it("asks the question again with facts about the database and without the failed query", () => {
    const first = [
      { role: "system" as const, content: "schema" },
      { role: "user" as const, content: "Question: q" },
    ];
    const next = factsMessages(
      first,
      "SupportRep is not a table; columns named like it: Customer.SupportRepId.",
    );
    expect(next[0]).toBe(first[0]);
    expect(next[1].content).toBe(
      "Question: q\n\nFacts about the database that this question needs:\nSupportRep is not a table; columns named like it: Customer.SupportRepId.",
    );
    expect(next[1].content).not.toContain("```");
  });
});
