import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { AskDbError, toAskDbError } from "../../errors/index.js";
import type { TextToSql } from "../answer/index.js";
import { createQueryExecutor, type QueryExecutor, type QueryResult } from "../guard/index.js";
import { compareResults, hasOrderBy } from "./score.js";

/** One held-out question with its gold SQL and the database it is asked about. */
export interface EvalQuestion {
  dbId: string;
  dbPath: string;
  question: string;
  gold: string;
}

export interface EvalRecord {
  db_id: string;
  question: string;
  gold: string;
  predicted: string | null;
  match: boolean;
  /** The predicted SQL ran (whatever its rows). */
  valid: boolean;
  error: string | null;
  source: string | null;
  attempts: number;
  timings: { retrievalMs: number; generationMs: number; executionMs: number; totalMs: number } | null;
}

export interface EvalSummary {
  total: number;
  matched: number;
  executionAccuracy: number;
  validSqlShare: number;
  p50Ms: number;
  p95Ms: number;
  /** Answers per source (model, example, cache) and failures. */
  bySource: Record<string, number>;
  goldErrors: number;
}

export interface EvalRunOptions {
  textToSql: TextToSql;
  useGrammar?: boolean;
  useExamples?: boolean;
  useRepair?: boolean;
  /** Rows compared at most per query (both gold and predicted). */
  maxRows?: number;
  timeoutMs?: number;
  onRecord?: (record: EvalRecord, index: number, total: number) => void;
  signal?: AbortSignal;
}

const EVAL_MAX_ROWS = 100_000;

function readJsonArray(file: string): Array<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new AskDbError("INVALID_INPUT", `cannot read questions from ${file}: ${toAskDbError(error).message}`, {
      hint: 'expected Spider\'s [{"db_id", "question", "query"}] or [{"question", "sql"}] with --db',
    });
  }
  if (!Array.isArray(parsed)) throw new AskDbError("INVALID_INPUT", `${file} must hold a JSON array of questions`);
  return parsed as Array<Record<string, unknown>>;
}

/**
 * Reads questions in Spider's format (database at `<dbDir>/<db_id>/<db_id>.sqlite`) or the demo's
 * `[{question, sql}]` (all asked about `db`).
 */
export function loadEvalQuestions(file: string, where: { dbDir?: string; db?: string }): EvalQuestion[] {
  return readJsonArray(file).map((entry, index) => {
    const question = entry.question;
    const gold = typeof entry.query === "string" ? entry.query : entry.sql;
    if (typeof question !== "string" || typeof gold !== "string") {
      throw new AskDbError("INVALID_INPUT", `${file}, entry ${index + 1}: needs "question" and "query" (or "sql")`);
    }
    if (typeof entry.db_id === "string" && where.dbDir && !where.db) {
      return { dbId: entry.db_id, dbPath: resolve(join(where.dbDir, entry.db_id, `${entry.db_id}.sqlite`)), question, gold };
    }
    if (!where.db) {
      throw new AskDbError("INVALID_INPUT", `${file}, entry ${index + 1}: no database for this question`, {
        hint: "give --db FILE for [{question, sql}] files, or --db-dir DIR for Spider's format with db_id",
      });
    }
    return { dbId: typeof entry.db_id === "string" ? entry.db_id : "db", dbPath: resolve(where.db), question, gold };
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[index] * 100) / 100;
}

export function summarise(records: EvalRecord[], goldErrors = 0): EvalSummary {
  const total = records.length;
  const matched = records.filter((r) => r.match).length;
  const times = records
    .map((r) => r.timings?.totalMs)
    .filter((t): t is number => typeof t === "number")
    .sort((a, b) => a - b);
  const bySource: Record<string, number> = {};
  for (const r of records) bySource[r.source ?? "failed"] = (bySource[r.source ?? "failed"] ?? 0) + 1;
  return {
    total,
    matched,
    executionAccuracy: total ? matched / total : 0,
    validSqlShare: total ? records.filter((r) => r.valid).length / total : 0,
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
    bySource,
    goldErrors,
  };
}

/** Asks every question, runs the gold SQL on the same database, and scores by execution accuracy. */
export async function runEval(questions: EvalQuestion[], options: EvalRunOptions): Promise<{ records: EvalRecord[]; summary: EvalSummary }> {
  const executors = new Map<string, QueryExecutor>();
  const maxRows = options.maxRows ?? EVAL_MAX_ROWS;
  const records: EvalRecord[] = [];
  let goldErrors = 0;
  try {
    for (const [index, q] of questions.entries()) {
      options.signal?.throwIfAborted();
      let executor = executors.get(q.dbPath);
      if (!executor) {
        executor = createQueryExecutor(q.dbPath, { maxRows, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
        executors.set(q.dbPath, executor);
      }
      let gold: QueryResult | undefined;
      try {
        gold = await executor.execute(q.gold, { maxRows });
      } catch (error) {
        goldErrors += 1;
        records.push(record(q, { error: `gold SQL failed: ${toAskDbError(error).message}` }));
        options.onRecord?.(records[records.length - 1], index, questions.length);
        continue;
      }
      records.push(await askOne(q, gold, options, maxRows));
      options.onRecord?.(records[records.length - 1], index, questions.length);
    }
  } finally {
    await Promise.allSettled([...executors.values()].map((e) => e.close()));
  }
  return { records, summary: summarise(records, goldErrors) };
}

async function askOne(q: EvalQuestion, gold: QueryResult, options: EvalRunOptions, maxRows: number): Promise<EvalRecord> {
  const started = performance.now();
  try {
    const answer = await options.textToSql.ask(q.dbPath, q.question, {
      useCache: false,
      maxRows,
      ...(options.useGrammar === false ? { useGrammar: false } : {}),
      ...(options.useExamples === false ? { useExamples: false } : {}),
      ...(options.useRepair === false ? { useRepair: false } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return record(q, {
      predicted: answer.sql,
      valid: true,
      match: compareResults(gold, answer, { orderMatters: hasOrderBy(q.gold) }),
      source: answer.source,
      attempts: answer.attempts.length,
      timings: answer.timings,
    });
  } catch (error) {
    const failure = toAskDbError(error);
    if (failure.code === "CANCELLED") throw failure;
    const attempts = (failure.details?.attempts as Array<{ sql: string }> | undefined) ?? [];
    const totalMs = Math.round((performance.now() - started) * 100) / 100;
    return record(q, {
      error: failure.message,
      predicted: attempts.at(-1)?.sql || null,
      attempts: attempts.length,
      timings: { retrievalMs: 0, generationMs: 0, executionMs: 0, totalMs },
    });
  }
}

function record(q: EvalQuestion, fields: Partial<EvalRecord>): EvalRecord {
  return {
    db_id: q.dbId,
    question: q.question,
    gold: q.gold,
    predicted: null,
    match: false,
    valid: false,
    error: null,
    source: null,
    attempts: 0,
    timings: null,
    ...fields,
  };
}
