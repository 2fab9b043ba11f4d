import { AskDbError } from "../../errors/index.js";
import type { Engine } from "../../engine/index.js";
import { openUserDatabase } from "../connect/index.js";
import { extractSql } from "../generate/index.js";
import type { QuestionSqlPair } from "../knowledge/index.js";
import { questionSimilarity } from "../retrieve/index.js";
import type { EvalAnswer, EvalAnswerer, EvalAskContext } from "./run.js";

/** Tokens the model alone may write: enough for any query plus the explanation it adds after. */
const PLAIN_MAX_TOKENS = 512;

/** Trained pairs of each database, by its path. */
export type PairsByDatabase = Map<string, QuestionSqlPair[]>;

/** The trained pairs most like the question that the model alone is shown (issue #17's baseline). */
const PASTED_PAIRS = 5;

/**
 * The baseline every accuracy figure is compared with: the model alone, as anyone gets it from
 * llama.cpp in twenty lines. The database's own CREATE statements and the question in the model's
 * chat template, greedy, the SQL taken from its ```sql block; no grammar, no repair. With trained
 * pairs, the five most like the question (word overlap) are pasted before it: the model alone
 * trained, to compare askdb's training with.
 */
export function plainAnswerer(engine: Engine, pairs: PairsByDatabase = new Map()): EvalAnswerer {
  const ddlByPath = new Map<string, string>();
  const promptFor = (dbPath: string, question: string) => {
    let ddl = ddlByPath.get(dbPath);
    if (ddl === undefined) {
      ddl = createStatements(dbPath);
      ddlByPath.set(dbPath, ddl);
    }
    return `${ddl}${pastedPairs(pairs.get(dbPath) ?? [], question)}\n\nWrite a SQLite query that answers this question: ${question}`;
  };
  return {
    ask: async (q, { run }) => answerPlainly(engine, promptFor(q.dbPath, q.question), run),
    // The same prompt up to the question, evaluated once and kept by the model.
    warm: async (dbPath, signal) => {
      await engine.chat([{ role: "user", content: promptFor(dbPath, "") }], {
        temperature: 0,
        maxTokens: 1,
        ...(signal ? { signal } : {}),
      });
    },
  };
}

function pastedPairs(pairs: QuestionSqlPair[], question: string): string {
  if (pairs.length === 0 || !question) return "";
  const nearest = pairs
    .map((pair) => ({ pair, similarity: questionSimilarity(question, pair.question) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, PASTED_PAIRS);
  return `\n\nExamples:\n${nearest.map(({ pair }) => `Question: ${pair.question}\nSQL: ${pair.sql}`).join("\n\n")}`;
}

async function answerPlainly(
  engine: Engine,
  prompt: string,
  run: EvalAskContext["run"],
): Promise<EvalAnswer> {
  const started = performance.now();
  const result = await engine.chat([{ role: "user", content: prompt }], {
    temperature: 0,
    maxTokens: PLAIN_MAX_TOKENS,
  });
  const generationMs = performance.now() - started;
  const sql = extractSql(result.text);
  if (!sql) {
    throw new AskDbError("SQL_ERROR", "the model answered without SQL", {
      details: { attempts: [{ sql: result.text.slice(0, 200) }] },
    });
  }
  const executed = performance.now();
  const rows = await run(sql).catch((error: unknown) => {
    throw new AskDbError("SQL_ERROR", (error as Error).message, { details: { attempts: [{ sql }] }, cause: error });
  });
  const executionMs = performance.now() - executed;
  return {
    sql,
    rows: rows.rows,
    source: "plain",
    attempts: 1,
    timings: { retrievalMs: 0, generationMs, executionMs, totalMs: generationMs + executionMs },
  };
}

function createStatements(path: string): string {
  const user = openUserDatabase(path);
  try {
    const statements = user.db
      .prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND type IN ('table', 'view')")
      .pluck()
      .all() as string[];
    return statements.map((sql) => `${sql};`).join("\n\n");
  } finally {
    user.close();
  }
}
