import Database from "better-sqlite3";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine } from "../../engine/index.js";
import { startOpenAiTestServer } from "../../engine/testing/index.js";
import { createTextToSql } from "../answer/index.js";
import { openStore, type Store } from "../../store/index.js";
import { plainAnswerer } from "./plain.js";
import { loadEvalQuestions, pipelineAnswerer, runEval, summarise, type EvalRecord } from "./run.js";

const run = promisify(execFile);

/** A Spider-format folder: DIR/<db_id>/<db_id>.sqlite, dev.json and train.json. */
function makeSpiderFolder(root: string): { dbDir: string; questions: string; train: string } {
  const dbDir = join(root, "database");
  const make = (id: string, sql: string) => {
    mkdirSync(join(dbDir, id), { recursive: true });
    const db = new Database(join(dbDir, id, `${id}.sqlite`));
    db.exec(sql);
    db.close();
  };
  make("concert", "CREATE TABLE singer (id INTEGER PRIMARY KEY, name TEXT, age INTEGER); INSERT INTO singer VALUES (1,'Ann',30),(2,'Bo',41),(3,'Cy',25);");
  make("pets", "CREATE TABLE pet (id INTEGER PRIMARY KEY, kind TEXT, weight REAL); INSERT INTO pet VALUES (1,'dog',12.5),(2,'cat',4.0),(3,'dog',20.0);");
  const questions = join(root, "dev.json");
  writeFileSync(
    questions,
    JSON.stringify([
      { db_id: "concert", question: "How many singers are there?", query: "SELECT count(*) FROM singer" },
      { db_id: "concert", question: "Names of singers ordered by age", query: "SELECT name FROM singer ORDER BY age" },
      { db_id: "pets", question: "How many dogs are there?", query: "SELECT count(*) FROM pet WHERE kind = 'dog'" },
      { db_id: "pets", question: "What is the heaviest pet's weight?", query: "SELECT max(weight) FROM pet" },
    ]),
  );
  const train = join(root, "train.json");
  writeFileSync(
    train,
    JSON.stringify([
      { db_id: "concert", question: "how many singers are there", query: "SELECT COUNT(*) AS n FROM singer" },
      { db_id: "concert", question: "names of singers ordered by age", query: "SELECT name FROM singer ORDER BY age DESC" },
      { db_id: "pets", question: "how many dogs are there", query: "SELECT 1.0 * COUNT(*) FROM pet WHERE kind = 'dog'" },
    ]),
  );
  return { dbDir, questions, train };
}

describe("evaluation on a Spider-format folder", () => {
  let root: string;
  let store: Store;
  let spider: ReturnType<typeof makeSpiderFolder>;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "askdb-eval-"));
    spider = makeSpiderFolder(root);
    store = openStore(join(root, "data"));
  });
  afterAll(() => {
    store.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("loads both formats and says what is missing", () => {
    const questions = loadEvalQuestions(spider.questions, { dbDir: spider.dbDir });
    expect(questions[2]).toMatchObject({ dbId: "pets", dbPath: resolve(spider.dbDir, "pets", "pets.sqlite") });
    expect(() => loadEvalQuestions(spider.questions, {})).toThrow(/no database for this question/);
  });

  it("scores by execution accuracy (order only when the gold has ORDER BY, 1 = 1.0) and reports failures", async () => {
    const questions = loadEvalQuestions(spider.questions, { dbDir: spider.dbDir });
    const textToSql = createTextToSql({ store });
    try {
      for (const q of JSON.parse(readFileSync(spider.train, "utf8")) as Array<{ db_id: string; question: string; query: string }>) {
        await textToSql.train(join(spider.dbDir, q.db_id, `${q.db_id}.sqlite`), { ddl: [], documentation: [], pairs: [{ question: q.question, sql: q.query }] });
      }
      const seen: string[] = [];
      const { records, summary } = await runEval(questions, { ...pipelineAnswerer(textToSql), onRecord: (r) => seen.push(r.question) });
      expect(seen).toHaveLength(4);
      expect(records.map((r) => [r.match, r.valid, r.source])).toEqual([
        [true, true, "example"],
        [false, true, "example"],
        [true, true, "example"],
        [false, false, null],
      ]);
      expect(records[3].error).toMatch(/no model/);
      expect(summary).toMatchObject({ total: 4, matched: 2, executionAccuracy: 0.5, validSqlShare: 0.75, bySource: { example: 3, failed: 1 } });
      expect(summary.p95Ms).toBeGreaterThanOrEqual(summary.p50Ms);
    } finally {
      await textToSql.close();
    }
  });

  it("records each try of the model: its SQL, and why a rejected one was", async () => {
    const replies = ["SELECT nope FROM pet", "SELECT max(weight) FROM pet"];
    // The warm-up asks for one token of the database's prompt alone; the question's tries get the replies.
    const reply = (body: Record<string, unknown>) => (JSON.stringify(body.messages).includes("heaviest") ? replies.shift() ?? "SELECT 1" : "");
    const server = await startOpenAiTestServer({ reply: (body) => `\`\`\`sql\n${reply(body)}\n\`\`\`` });
    const engine = createEngine({ config: { backends: ["openai"], openai: { url: server.url, model: "m" } } });
    const scriptedStore = openStore(join(root, "data-scripted"));
    const textToSql = createTextToSql({ store: scriptedStore, engine, model: "m" });
    try {
      const [heaviest] = loadEvalQuestions(spider.questions, { dbDir: spider.dbDir }).filter((q) => q.dbId === "pets" && q.gold.includes("max"));
      const { records } = await runEval([heaviest], pipelineAnswerer(textToSql));
      expect(records[0]).toMatchObject({ match: true, attempts: 2 });
      expect(records[0].tries).toEqual([
        expect.objectContaining({ kind: "generate", sql: "SELECT nope FROM pet", error: expect.stringMatching(/no such column: nope/) }),
        expect.objectContaining({ kind: "sample", sql: "SELECT max(weight) FROM pet" }),
      ]);
      expect(records[0].tries?.[1]).not.toHaveProperty("error");
    } finally {
      await textToSql.close();
      await engine.close();
      await server.close();
      scriptedStore.close();
    }
  });

  it("shows the model alone the trained pairs most like the question, with --plain and pairs", async () => {
    const prompts: string[] = [];
    const server = await startOpenAiTestServer({
      reply: (body) => {
        prompts.push(JSON.stringify(body.messages));
        return "```sql\nSELECT count(*) FROM pet WHERE kind = 'dog'\n```";
      },
    });
    const engine = createEngine({ config: { backends: ["openai"], openai: { url: server.url, model: "m" } } });
    try {
      const dogs = loadEvalQuestions(spider.questions, { dbDir: spider.dbDir }).filter((q) => q.question.includes("dogs"));
      const near = { question: "how many cats are there", sql: "SELECT count(*) FROM pet WHERE kind = 'cat'" };
      const far = Array.from({ length: 5 }, (_, i) => ({ question: `weight of pet number ${i}`, sql: `SELECT weight FROM pet WHERE id = ${i}` }));
      const { records } = await runEval(dogs, plainAnswerer(engine, new Map([[dogs[0].dbPath, [...far, near]]])));
      expect(records[0]).toMatchObject({ match: true, source: "plain" });
      const asked = prompts.find((prompt) => prompt.includes("How many dogs"));
      expect(asked).toContain("Question: how many cats are there");
      expect(asked?.match(/Question: weight of pet/g)).toHaveLength(4);
    } finally {
      await engine.close();
      await server.close();
    }
  });

  it("summarises percentiles over every question, and counts the questions the deadline cut", () => {
    const record = (totalMs: number, match: boolean): EvalRecord => ({
      db_id: "d", question: "q", gold: "g", predicted: "p", match, valid: true, error: null, source: "model", attempts: 1,
      ...(totalMs > 100 ? { cut: true } : {}),
      timings: { retrievalMs: 0, generationMs: 0, executionMs: 0, totalMs },
    });
    const summary = summarise([10, 20, 30, 40, 1000].map((ms, i) => record(ms, i < 4)));
    expect(summary).toMatchObject({ p50Ms: 30, p95Ms: 1000, executionAccuracy: 0.8, cut: 1 });
  });

  it("runs as `askdb eval` and writes one JSON line per question", async () => {
    const out = join(root, "results.jsonl");
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "--data-dir", join(root, "cli-data"), "eval", "--questions", spider.questions, "--db-dir", spider.dbDir,
        "--train-pairs", spider.train, "--limit", "3", "--out", out, "--json"],
      { cwd: resolve(import.meta.dirname, "../../.."), env: { ...process.env, NO_COLOR: "1" } },
    );
    const summary = JSON.parse(stdout) as { total: number; matched: number; model: string };
    expect(summary).toMatchObject({ total: 3, matched: 2 });
    const lines = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as EvalRecord);
    expect(lines).toHaveLength(3);
    expect(Object.keys(lines[0])).toEqual(expect.arrayContaining(["db_id", "question", "gold", "predicted", "match", "error", "timings"]));

    // Interrupted after 3 of 4: --resume asks only the fourth, appends it, and scores all four.
    const resumed = await run(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "--data-dir", join(root, "cli-data"), "eval", "--questions", spider.questions, "--db-dir", spider.dbDir,
        "--train-pairs", spider.train, "--out", out, "--resume"],
      { cwd: resolve(import.meta.dirname, "../../.."), env: { ...process.env, NO_COLOR: "1" } },
    );
    const progress = resumed.stderr.trim().split("\n");
    expect(progress).toHaveLength(4);
    expect(progress[3]).toMatch(/^! 4\/4 50\.0% so far What is the heaviest pet's weight\?$/);
    expect(resumed.stdout).toMatch(/execution accuracy: 50\.0% \(2\/4\)/);
    const all = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as EvalRecord);
    expect(all.map((r) => r.question)).toEqual(lines.map((r) => r.question).concat("What is the heaviest pet's weight?"));
  });

  it("asks one database's questions together, as a user would, whatever the order of the file, each after a warm-up timed apart", async () => {
    const [concert1, concert2, pets1, pets2] = loadEvalQuestions(spider.questions, { dbDir: spider.dbDir });
    const asked: string[] = [];
    const { records, summary } = await runEval([concert1, pets1, concert2, pets2], {
      warm: async (dbPath) => {
        asked.push(`warm ${basename(dbPath)}`);
        await new Promise((done) => setTimeout(done, 20));
      },
      ask: async (q, { run }) => {
        asked.push(q.question);
        const result = await run(q.gold);
        return { sql: q.gold, rows: result.rows, source: "model", attempts: 1, timings: { retrievalMs: 0, generationMs: 1, executionMs: 1, totalMs: 2 } };
      },
    });
    expect(asked).toEqual(["warm concert.sqlite", concert1.question, concert2.question, "warm pets.sqlite", pets1.question, pets2.question]);
    expect(records.every((r) => r.match)).toBe(true);
    expect(summary.warmupMs).toBeGreaterThanOrEqual(35);
  });

  it("keeps the records of an earlier run and reads gold SQL written with double-quoted literals", async () => {
    const [concert1, , dogs, heaviest] = loadEvalQuestions(spider.questions, { dbDir: spider.dbDir });
    const questions = [{ ...dogs, gold: 'SELECT count(*) FROM pet WHERE kind = "dog"' }, heaviest];
    const earlier: EvalRecord = {
      db_id: "pets", question: questions[1].question, gold: questions[1].gold, predicted: "SELECT 20.0", match: true,
      valid: true, error: null, source: "model", attempts: 1, timings: { retrievalMs: 0, generationMs: 5, executionMs: 1, totalMs: 6 },
    };
    const concertDone: EvalRecord = { ...earlier, db_id: "concert", question: concert1.question, gold: concert1.gold };
    const asked: string[] = [];
    const { records, summary } = await runEval([concert1, ...questions], {
      done: [earlier, concertDone],
      // A database whose questions were all scored before is not warmed up.
      warm: async (dbPath) => void asked.push(`warm ${basename(dbPath)}`),
      ask: async (q, { run }) => {
        asked.push(q.question);
        const result = await run('SELECT count(*) FROM pet WHERE kind = "dog"');
        return { sql: "…", rows: result.rows, source: "model", attempts: 1, timings: earlier.timings };
      },
    });
    expect(asked).toEqual(["warm pets.sqlite", "How many dogs are there?"]);
    expect(records[2]).toBe(earlier);
    expect(summary).toMatchObject({ total: 3, matched: 3, goldErrors: 0 });
  });
});
