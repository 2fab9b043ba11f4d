import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { AskDbError, toAskDbError } from "../../errors/index.js";
import type { AskOptions, TextToSql } from "../answer/index.js";
import { openUserDatabase, type UserDatabase } from "../connect/index.js";
import { wasCut, type Attempt } from "../generate/index.js";
import { acceptDoubleQuotedLiterals, createQueryExecutor, type QueryExecutor, type QueryResult } from "../guard/index.js";
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
  /** Each try of the model: its SQL, why it was rejected, its time and prompt tokens. */
  tries?: Attempt[];
  /** The deadline stopped its tries (the answer is the best that ran by then, or none). */
  cut?: boolean;
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
  /** Questions whose tries the deadline stopped. */
  cut: number;
  /** Time spent warming up before each database's first question (model load, shared prompt). */
  warmupMs: number;
}

/** What one way of answering (askdb's pipeline, or the model alone) made of a question. */
export interface EvalAnswer {
  sql: string;
  rows: unknown[][];
  source: string;
  attempts: number;
  tries?: Attempt[];
  cut?: boolean;
  timings: EvalRecord["timings"];
}

export interface EvalAskContext {
  maxRows: number;
  /** Runs SQL on the question's database, read-only and guarded, in SQLite's default dialect. */
  run(sql: string): Promise<QueryResult>;
}

/** Answers one question; throws (an AskDbError with `details.attempts`) when no query ran. */
export type EvalAsker = (question: EvalQuestion, context: EvalAskContext) => Promise<EvalAnswer>;

/** A way of answering: askdb's pipeline, or the model alone. */
export interface EvalAnswerer {
  ask: EvalAsker;
  /**
   * Loads the model and evaluates what every question on a database shares, as a served askdb does
   * when it starts: that one-off cost is reported apart, not in the first question's time.
   */
  warm?: (dbPath: string, signal?: AbortSignal) => Promise<void>;
}

export interface EvalRunOptions extends EvalAnswerer {
  /** Rows compared at most per query (both gold and predicted). */
  maxRows?: number;
  timeoutMs?: number;
  /** Questions already scored (from an earlier, interrupted run): kept, not asked again. */
  done?: EvalRecord[];
  onRecord?: (record: EvalRecord, index: number, total: number) => void;
  signal?: AbortSignal;
}

/** The pipeline's switches that an evaluation can turn, to measure what each part contributes. */
export type PipelineVariant = Pick<
  AskOptions,
  "useGrammar" | "useExamples" | "useRepair" | "useValueHints" | "questionTokens" | "deadlineMs"
>;

/** askdb's own pipeline as the answerer (no cache: every question is answered anew). */
export function pipelineAnswerer(textToSql: TextToSql, variant: PipelineVariant = {}): EvalAnswerer {
  return {
    ask: async (q, { maxRows }) => {
      const answer = await textToSql.ask(q.dbPath, q.question, { ...variant, useCache: false, maxRows });
      return {
        sql: answer.sql,
        rows: answer.rows,
        source: answer.source,
        attempts: answer.attempts.length,
        tries: answer.attempts,
        cut: wasCut(answer.attempts),
        timings: answer.timings,
      };
    },
    warm: (dbPath, signal) => textToSql.warm(dbPath, signal ? { signal } : {}),
  };
}

/** The key an earlier run's line is recognised by in --resume. */
export function evalKey(record: { db_id: string; question: string }): string {
  return `${record.db_id}\0${record.question}`;
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

export function summarise(records: EvalRecord[], goldErrors = 0, warmupMs = 0): EvalSummary {
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
    cut: records.filter((r) => r.cut === true).length,
    warmupMs: Math.round(warmupMs),
  };
}

/** Asks every question, runs the gold SQL on the same database, and scores by execution accuracy. */
export async function runEval(
  questions: EvalQuestion[],
  options: EvalRunOptions,
): Promise<{ records: EvalRecord[]; summary: EvalSummary }> {
  const maxRows = options.maxRows ?? EVAL_MAX_ROWS;
  const databases = new EvalDatabases(maxRows, options.timeoutMs);
  const done = new Map((options.done ?? []).map((r) => [evalKey(r), r]));
  const records: EvalRecord[] = [];
  const warmed = new Set<string>();
  let warmupMs = 0;
  try {
    for (const [index, q] of byDatabase(questions).entries()) {
      options.signal?.throwIfAborted();
      let record = done.get(evalKey({ db_id: q.dbId, question: q.question }));
      if (!record) {
        if (options.warm && !warmed.has(q.dbPath)) {
          warmed.add(q.dbPath);
          warmupMs += await timeWarmUp(options, q.dbPath);
        }
        record = await scoreOne(q, databases, options, maxRows);
      }
      records.push(record);
      options.onRecord?.(record, index, questions.length);
    }
  } finally {
    await databases.close();
  }
  const goldErrors = records.filter((r) => r.error?.startsWith(GOLD_FAILED)).length;
  return { records, summary: summarise(records, goldErrors, warmupMs) };
}

async function timeWarmUp(options: EvalRunOptions, dbPath: string): Promise<number> {
  const started = performance.now();
  try {
    await options.warm?.(dbPath, options.signal);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    // Otherwise (no model, a broken database) the question fails the same way and its record says why.
  }
  return performance.now() - started;
}

/**
 * The questions of one database together, databases in the order they first appear: as a user asks
 * them, one database at a time. A benchmark draw that alternates databases would otherwise make the
 * model evaluate each database's schema again for every question, which no user of askdb meets.
 */
function byDatabase(questions: EvalQuestion[]): EvalQuestion[] {
  const groups = new Map<string, EvalQuestion[]>();
  for (const q of questions) {
    const group = groups.get(q.dbPath);
    if (group) group.push(q);
    else groups.set(q.dbPath, [q]);
  }
  return [...groups.values()].flat();
}

const GOLD_FAILED = "gold SQL failed: ";

async function scoreOne(q: EvalQuestion, databases: EvalDatabases, options: EvalRunOptions, maxRows: number): Promise<EvalRecord> {
  let gold: QueryResult;
  try {
    gold = await databases.run(q.dbPath, q.gold);
  } catch (error) {
    return record(q, { error: `${GOLD_FAILED}${toAskDbError(error).message}` });
  }
  return askOne(q, gold, databases, options, maxRows);
}

/**
 * Each database of the set, opened once: a read-only handle to read gold SQL in SQLite's default
 * dialect (benchmarks write `name = "Kyle"`), and a guarded executor to run it.
 */
class EvalDatabases {
  private readonly open = new Map<string, { user: UserDatabase; executor: QueryExecutor }>();

  constructor(
    private readonly maxRows: number,
    private readonly timeoutMs: number | undefined,
  ) {}

  /** Runs SQL read-only under the guard's limits, double-quoted literals read as SQLite's default build does. */
  run(path: string, sql: string): Promise<QueryResult> {
    let db = this.open.get(path);
    if (!db) {
      const user = openUserDatabase(path);
      db = { user, executor: createQueryExecutor(path, { maxRows: this.maxRows, ...(this.timeoutMs ? { timeoutMs: this.timeoutMs } : {}) }) };
      this.open.set(path, db);
    }
    return db.executor.execute(acceptDoubleQuotedLiterals(db.user.db, sql), { maxRows: this.maxRows });
  }

  async close(): Promise<void> {
    for (const { user } of this.open.values()) user.close();
    await Promise.allSettled([...this.open.values()].map(({ executor }) => executor.close()));
  }
}

async function askOne(
  q: EvalQuestion,
  gold: QueryResult,
  databases: EvalDatabases,
  options: EvalRunOptions,
  maxRows: number,
): Promise<EvalRecord> {
  const started = performance.now();
  try {
    const answer = await options.ask(q, { maxRows, run: (sql) => databases.run(q.dbPath, sql) });
    return record(q, {
      predicted: answer.sql,
      valid: true,
      match: compareResults(gold, answer, { orderMatters: hasOrderBy(q.gold) }),
      source: answer.source,
      attempts: answer.attempts,
      ...(answer.tries ? { tries: answer.tries } : {}),
      cut: answer.cut === true,
      timings: answer.timings,
    });
  } catch (error) {
    const failure = toAskDbError(error);
    if (failure.code === "CANCELLED" && options.signal?.aborted) throw failure;
    const attempts = (failure.details?.attempts as Attempt[] | undefined) ?? [];
    const totalMs = Math.round((performance.now() - started) * 100) / 100;
    return record(q, {
      error: failure.message,
      predicted: attempts.at(-1)?.sql || null,
      attempts: attempts.length,
      tries: attempts,
      cut: failure.code === "ANSWER_TIMEOUT",
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
    cut: false,
    timings: null,
    ...fields,
  };
}
