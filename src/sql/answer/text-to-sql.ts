import type { Engine } from "../../engine/index.js";
import { AskDbError, toAskDbError } from "../../errors/index.js";
import type { Store } from "../../store/index.js";
import { newId } from "../../util/index.js";
import { suggestChart } from "../chart/index.js";
import { generateWithRepair, type Attempt } from "../generate/index.js";
import { sqlGrammarFor, type GrammarOptions } from "../grammar/index.js";
import {
  acceptDoubleQuotedLiterals,
  checkSql,
  type QueryExecutorOptions,
  type QueryResult,
} from "../guard/index.js";
import {
  KnowledgeStore,
  canonicalDatabasePath,
  type KnowledgeItem,
  type KnowledgeKind,
  type NewKnowledgeItem,
  type QuestionSqlPair,
  type TrainingMaterial,
} from "../knowledge/index.js";
import {
  buildQuestionPrompt,
  buildStablePrompt,
  sqlMessages,
  type PromptBudget,
  type StablePrompt,
} from "../prompt/index.js";
import { findNearDuplicate, findValues, retrieve, type Retrieval } from "../retrieve/index.js";
import { PROMPT_SCHEMA, renderSchemaDdl, schemaHintFor } from "../schema/index.js";
import { AnswerCache, answerCacheKey } from "./cache.js";
import { DatabaseRegistry, Embedder, type ConnectedDatabase } from "./databases.js";
import { looksLikeFollowUp, rewriteFollowUp } from "./followup.js";
import { HistoryLog, type HistoryEntry } from "./history.js";
import type { Answer, AnswerLogger, AnswerSource, AskOptions } from "./types.js";

/** A query the model wrote, with its result and how it got there. */
interface GeneratedSql {
  sql: string;
  result: QueryResult;
  attempts: Attempt[];
  generationMs: number;
  executionMs: number;
  model?: string;
}

/** The query that answers a question: the model's, or a trained example's. */
interface SqlOutcome extends GeneratedSql {
  source: AnswerSource;
  /** The trained question reused, when the source is an example. */
  matched?: string;
}

export interface TextToSqlOptions {
  store: Store;
  /** Without an engine, only the fast paths answer (cache, near-duplicate trained questions). */
  engine?: Engine;
  /** The model's name as the cache knows it (an installed model id or a file); a function when it can change. */
  model?: string | (() => string | undefined);
  logger?: AnswerLogger;
  limits?: QueryExecutorOptions;
  /** Tokens the model may write for one query (default 384). */
  maxSqlTokens?: number;
  /** Repair prompts after a failing query (default 2). */
  maxRepairs?: number;
  /** Shape of the SQL grammar (e.g. `maxJoins: 0` for a smaller, faster grammar). */
  grammar?: GrammarOptions;
  /** Default of AskOptions.useGrammar (false). */
  useGrammar?: boolean;
  /** Default time the model has to write working SQL for one question (30 s). */
  deadlineMs?: number;
}

export interface TrainReport {
  added: { ddl: number; documentation: number; pairs: number };
  /** Items already known (training twice adds nothing). */
  skipped: number;
  /** Pairs whose SQL did not pass the guard or did not run, with the reason. */
  refused: Array<QuestionSqlPair & { reason: string }>;
}

export interface ConnectInfo {
  dbId: string;
  path: string;
  fingerprint: string;
  tables: number;
  knowledgeVersion: number;
  knowledgeItems: number;
}

export type NewKnowledge =
  | { kind: "question_sql"; question: string; sql: string }
  | { kind: "documentation"; content: string; title?: string }
  | { kind: "ddl"; content: string; title?: string };

export interface TextToSql {
  connect(dbPath: string): Promise<ConnectInfo>;
  ask(dbPath: string, question: string, options?: AskOptions): Promise<Answer>;
  train(dbPath: string, material: TrainingMaterial): Promise<TrainReport>;
  knowledge: {
    list(dbPath: string, kind?: KnowledgeKind): Promise<KnowledgeItem[]>;
    add(dbPath: string, item: NewKnowledge): Promise<KnowledgeItem>;
    remove(dbPath: string, ids: string[]): Promise<string[]>;
  };
  feedback: {
    /** The answer was right: its question and SQL become a trained pair. */
    markCorrect(answerId: string): Promise<KnowledgeItem>;
    /** The answer was wrong: the corrected SQL (checked by the guard) becomes the pair; the wrong SQL is recorded. */
    correct(answerId: string, sql: string): Promise<KnowledgeItem>;
  };
  history(options?: { dbPath?: string; conversationId?: string; limit?: number }): Promise<HistoryEntry[]>;
  /**
   * Before the first question: loads the model, reads the database's values and evaluates its
   * stable prompt, which the model keeps, so that the first question evaluates only its own part.
   */
  warm(dbPath: string, options?: { signal?: AbortSignal }): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_REPAIRS = 2;
const MAX_OUTPUT_TOKENS = 384;
const DEFAULT_DEADLINE_MS = 30_000;

function pastDeadline(question: string, deadlineMs: number, cause: unknown): AskDbError {
  const attempts = toAskDbError(cause).details?.attempts;
  return new AskDbError(
    "ANSWER_TIMEOUT",
    `no working SQL for "${question}" within ${Math.round(deadlineMs / 1000)} s`,
    {
      hint: "rephrase the question or name the table you mean; a larger time limit is the `query.deadlineMs` setting",
      details: { attempts: attempts ?? [] },
      cause,
    },
  );
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}

export function createTextToSql(options: TextToSqlOptions): TextToSql {
  const knowledgeStore = new KnowledgeStore(options.store);
  const registry = new DatabaseRegistry(knowledgeStore, options.limits ?? {});
  const embedder = new Embedder(options.engine, knowledgeStore);
  const cache = new AnswerCache(options.store);
  const history = new HistoryLog(options.store);
  const logger = options.logger ?? { info: () => {} };
  const modelLabel = (): string =>
    (typeof options.model === "function" ? options.model() : options.model) ?? "default";
  const maxRepairs = options.maxRepairs ?? DEFAULT_REPAIRS;
  const engine = options.engine;

  const database = (path: string): Promise<ConnectedDatabase> => registry.get(canonicalDatabasePath(path));

  /** Adds items to the store and the in-memory index together. */
  function addKnowledge(db: ConnectedDatabase, items: NewKnowledgeItem[]): KnowledgeItem[] {
    registry.refreshIndex(db);
    const added = knowledgeStore.add(db.record.id, items);
    db.index.add(added);
    db.index.version = knowledgeStore.knowledgeVersion(db.record.id);
    return added;
  }

  /** A pair is kept only when its SQL passes the guard and runs (the error says why not); returns the SQL as run. */
  async function validatePair(db: ConnectedDatabase, written: string): Promise<string> {
    return (await execute(db, written, { maxRows: 1 })).sql;
  }

  async function train(dbPath: string, material: TrainingMaterial): Promise<TrainReport> {
    const db = await database(dbPath);
    const known = new Set(
      knowledgeStore
        .list(db.record.id)
        .map((item) => `${item.kind}\0${item.question ?? ""}\0${item.content}`),
    );
    const fresh = (item: NewKnowledgeItem): boolean =>
      !known.has(`${item.kind}\0${item.question ?? ""}\0${item.content}`);
    const report: TrainReport = { added: { ddl: 0, documentation: 0, pairs: 0 }, skipped: 0, refused: [] };
    const items: NewKnowledgeItem[] = [];
    for (const item of [...material.ddl, ...material.documentation]) {
      if (fresh(item)) items.push(item);
      else report.skipped += 1;
    }
    for (const pair of material.pairs) {
      const item: NewKnowledgeItem = {
        kind: "question_sql",
        question: pair.question,
        content: pair.sql,
        source: "training-dir",
      };
      if (!fresh(item)) {
        report.skipped += 1;
        continue;
      }
      try {
        items.push({ ...item, content: await validatePair(db, pair.sql) });
      } catch (error) {
        report.refused.push({ ...pair, reason: toAskDbError(error).message });
      }
    }
    for (const item of addKnowledge(db, items)) {
      if (item.kind === "ddl") report.added.ddl += 1;
      else if (item.kind === "documentation") report.added.documentation += 1;
      else report.added.pairs += 1;
    }
    return report;
  }

  async function promptBudget(engine: Engine, questionTokens?: number): Promise<PromptBudget> {
    return {
      contextSize: await engine.contextSize(),
      maxOutputTokens: options.maxSqlTokens ?? MAX_OUTPUT_TOKENS,
      ...(questionTokens ? { questionTokens } : {}),
    };
  }

  async function stablePrompt(
    db: ConnectedDatabase,
    engine: Engine,
    budget: PromptBudget,
  ): Promise<StablePrompt> {
    const key = `${db.schema.fingerprint}:${db.index.version}:${budget.contextSize}`;
    if (db.stable?.key === key) return db.stable.prompt;
    const prompt = await buildStablePrompt({
      schemaDdl: renderSchemaDdl(db.schema, PROMPT_SCHEMA),
      documentation: db.index.all("documentation").map((item) => item.content),
      countTokens: (text) => engine.countTokens(text),
      budget,
    });
    db.stable = { key, prompt };
    return prompt;
  }

  /**
   * A follow-up rewritten into a standalone question by the model, behind the database's stable
   * prompt so the evaluated prefix serves the rewrite and the SQL alike. Without a model it is
   * answered as asked (only the fast paths can answer it then).
   */
  async function standaloneQuestion(
    db: ConnectedDatabase,
    question: string,
    options: AskOptions,
  ): Promise<string | undefined> {
    if (!options.conversationId || !looksLikeFollowUp(question)) return undefined;
    const previous = history.lastAnswered(options.conversationId);
    if (!previous?.sql || !engine) return undefined;
    const stable = await stablePrompt(db, engine, await promptBudget(engine));
    return rewriteFollowUp(
      engine,
      { previousQuestion: previous.standaloneQuestion ?? previous.question, previousSql: previous.sql },
      question,
      { systemPrompt: stable.text, ...(options.signal ? { signal: options.signal } : {}) },
    );
  }

  async function warm(dbPath: string, warmOptions: { signal?: AbortSignal } = {}): Promise<void> {
    if (!engine) return;
    const db = await database(dbPath);
    registry.values(db);
    const stable = await stablePrompt(db, engine, await promptBudget(engine));
    // One generated token is enough for the model to evaluate, and keep, the whole prompt before it.
    await engine.chat(sqlMessages(stable, ""), { maxTokens: 1, temperature: 0, signal: warmOptions.signal });
  }

  /** Runs a query under the guard, after reading double-quoted literals as SQLite's default build does. */
  async function execute(
    db: ConnectedDatabase,
    written: string,
    ask: AskOptions,
  ): Promise<{ sql: string; outcome: QueryResult }> {
    const sql = acceptDoubleQuotedLiterals(db.user.db, written);
    checkSql(db.user.db, sql);
    const outcome = await db.executor.execute(sql, {
      ...(ask.signal ? { signal: ask.signal } : {}),
      ...(ask.timeoutMs ? { timeoutMs: ask.timeoutMs } : {}),
      ...(ask.maxRows ? { maxRows: ask.maxRows } : {}),
    });
    return { sql, outcome };
  }

  async function generate(
    db: ConnectedDatabase,
    question: string,
    retrieval: Retrieval,
    ask: AskOptions,
  ): Promise<GeneratedSql> {
    const engine = options.engine;
    if (!engine) {
      throw new AskDbError(
        "NO_MODEL",
        `no model is available to answer "${question}", and no trained question is close enough to reuse`,
        {
          hint: "install a model with `askdb models pull qwen2.5-coder-1.5b`, or train this question with `askdb train --pairs FILE`",
        },
      );
    }
    const budget = await promptBudget(engine, ask.questionTokens);
    const stable = await stablePrompt(db, engine, budget);
    const useExamples = ask.useExamples ?? true;
    const userPrompt = await buildQuestionPrompt({
      stable,
      question,
      examples: useExamples
        ? retrieval.pairs.map((p) => ({ question: p.item.question ?? "", sql: p.item.content }))
        : [],
      documentation: retrieval.documentation.map((d) => d.item.content),
      values:
        (ask.useValueHints ?? true)
          ? findValues(registry.values(db), ask.context ? `${question}\n${ask.context}` : question)
          : [],
      linkedSchemaDdl: stable.schemaIncluded
        ? ""
        : renderSchemaDdl(db.schema, { ...PROMPT_SCHEMA, tables: retrieval.linkedTables }),
      countTokens: (text) => engine.countTokens(text),
      budget,
    });
    const useGrammar = (ask.useGrammar ?? options.useGrammar ?? false) && engine.capabilities().grammar;
    const deadlineMs = ask.deadlineMs ?? options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    const deadline = AbortSignal.timeout(deadlineMs);
    ask.onEvent?.({ stage: "generating" });
    let executionMs = 0;
    const loop = await generateWithRepair(
      engine,
      sqlMessages(stable, userPrompt),
      async (sql) => {
        ask.onEvent?.({ stage: "executing" });
        const started = performance.now();
        try {
          return await execute(db, sql, ask);
        } finally {
          executionMs += performance.now() - started;
        }
      },
      {
        question,
        maxRepairs: ask.useRepair === false ? 0 : maxRepairs,
        explain: (sql, error) => schemaHintFor(db.schema, sql, error),
        maxTokens: budget.maxOutputTokens,
        ...(useGrammar ? { grammar: sqlGrammarFor(db.schema, options.grammar) } : {}),
        signal: ask.signal ? AbortSignal.any([ask.signal, deadline]) : deadline,
        onToken: (token) => ask.onEvent?.({ stage: "generating", token }),
      },
    ).catch((error: unknown) => {
      throw deadline.aborted && !ask.signal?.aborted ? pastDeadline(question, deadlineMs, error) : error;
    });
    return {
      sql: loop.sql,
      result: loop.outcome,
      attempts: loop.attempts,
      generationMs: loop.generationMs,
      executionMs,
      model: loop.model,
    };
  }

  async function ask(dbPath: string, question: string, askOptions: AskOptions = {}): Promise<Answer> {
    const started = performance.now();
    if (!question.trim())
      throw new AskDbError("INVALID_INPUT", "the question is empty", {
        hint: 'ask something like "how many products are low on stock?"',
      });
    const db = await database(dbPath);
    const ask = askOptions;
    const standalone = await standaloneQuestion(db, question, ask);
    const effective = standalone ?? question;
    const variant = [
      ask.useGrammar ?? options.useGrammar ?? false,
      ask.useExamples ?? true,
      ask.useRepair ?? true,
      ask.useValueHints ?? true,
      ask.questionTokens ?? "",
      ask.maxRows ?? "",
    ].join(":");
    const key = answerCacheKey({
      question: effective,
      fingerprint: db.schema.fingerprint,
      dataStamp: db.dataStamp,
      knowledgeVersion: db.index.version,
      model: modelLabel(),
      variant,
    });
    if (ask.useCache ?? true) {
      const cached = cache.get(key);
      if (cached)
        return finish(
          {
            ...cached,
            source: "cache",
            question,
            ...(ask.conversationId ? { conversationId: ask.conversationId } : {}),
          },
          started,
          0,
          0,
          0,
        );
    }

    ask.onEvent?.({ stage: "retrieving" });
    const retrievalStarted = performance.now();
    const queryVector =
      (ask.useExamples ?? true) ? await embedder.queryVector(db, effective, ask.signal) : undefined;
    const retrieval = retrieve(db.index, db.schema, effective, queryVector ? { queryVector } : {});
    const retrievalMs = performance.now() - retrievalStarted;

    let outcome: SqlOutcome;
    try {
      outcome = ((ask.useExamples ?? true)
        ? await fromExample(db, effective, retrieval, ask)
        : undefined) ?? {
        ...(await generate(db, effective, retrieval, ask)),
        source: "model",
      };
    } catch (error) {
      const failure = toAskDbError(error);
      history.record({
        dbId: db.record.id,
        question,
        ...(standalone ? { standaloneQuestion: standalone } : {}),
        ...(ask.conversationId ? { conversationId: ask.conversationId } : {}),
        error: failure.message,
        attempts: (failure.details?.attempts as Attempt[] | undefined) ?? [],
      });
      throw failure;
    }
    const answer: Answer = {
      id: newId("ans"),
      question,
      ...(standalone ? { standaloneQuestion: standalone } : {}),
      sql: outcome.sql,
      columns: outcome.result.columns,
      rows: outcome.result.rows,
      rowCount: outcome.result.rowCount,
      truncated: outcome.result.truncated,
      chart: suggestChart(outcome.result),
      source: outcome.source,
      attempts: outcome.attempts,
      ...(outcome.model ? { model: outcome.model } : {}),
      timings: { retrievalMs: 0, generationMs: 0, executionMs: 0, totalMs: 0 },
      ...(ask.conversationId ? { conversationId: ask.conversationId } : {}),
      ...(outcome.matched ? { matchedQuestion: outcome.matched } : {}),
    };
    const finished = finish(answer, started, retrievalMs, outcome.generationMs, outcome.executionMs);
    history.record({
      id: finished.id,
      dbId: db.record.id,
      question,
      ...(standalone ? { standaloneQuestion: standalone } : {}),
      ...(ask.conversationId ? { conversationId: ask.conversationId } : {}),
      sql: finished.sql,
      source: finished.source,
      rowCount: finished.rowCount,
      ...(finished.model ? { model: finished.model } : {}),
      attempts: finished.attempts,
      timings: finished.timings,
    });
    if (ask.useCache ?? true) cache.put(key, db.record.id, finished);
    return finished;

    function finish(
      result: Answer,
      start: number,
      retrievalMsValue: number,
      generationMs: number,
      executionMs: number,
    ): Answer {
      const totalMs = performance.now() - start;
      const done: Answer = {
        ...result,
        timings: {
          retrievalMs: round(retrievalMsValue),
          generationMs: round(generationMs),
          executionMs: round(executionMs),
          totalMs: round(totalMs),
        },
      };
      logger.info(`Extracted SQL: ${done.sql}`);
      logger.info(`[SQL Gen]: ${seconds(generationMs)}`);
      logger.info(`[SQL Run]: ${seconds(executionMs)}`);
      logger.info(`[Total]: ${seconds(totalMs)}`);
      ask.onEvent?.({ stage: "answer", answer: done });
      return done;
    }
  }

  /** A trained question that says the same thing: run its SQL, no model needed. */
  async function fromExample(
    db: ConnectedDatabase,
    question: string,
    retrieval: Retrieval,
    ask: AskOptions,
  ): Promise<SqlOutcome | undefined> {
    const match = findNearDuplicate(retrieval.pairs, question);
    if (!match) return undefined;
    ask.onEvent?.({ stage: "executing" });
    const started = performance.now();
    try {
      const { sql, outcome: result } = await execute(db, match.item.content, ask);
      return {
        sql,
        result,
        attempts: [],
        generationMs: 0,
        executionMs: performance.now() - started,
        source: "example",
        matched: match.item.question,
      };
    } catch (error) {
      if (toAskDbError(error).code === "CANCELLED") throw error;
      return undefined;
    }
  }

  async function storePair(
    db: ConnectedDatabase,
    question: string,
    sql: string,
    source: NewKnowledgeItem["source"],
  ): Promise<KnowledgeItem> {
    const checked = await validatePair(db, sql);
    const existing = knowledgeStore.findPair(db.record.id, question, checked);
    if (existing) return existing;
    return addKnowledge(db, [{ kind: "question_sql", question, content: checked, source }])[0];
  }

  async function databaseOf(entry: HistoryEntry): Promise<ConnectedDatabase> {
    return database(knowledgeStore.database(entry.dbId).path);
  }

  function recordFeedback(
    entry: HistoryEntry,
    verdict: "correct" | "corrected",
    correctSql: string,
    knowledgeId: string,
  ): void {
    options.store.db
      .prepare(
        `INSERT INTO feedback (id, history_id, db_id, question, verdict, wrong_sql, correct_sql, knowledge_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        newId("fb"),
        entry.id,
        entry.dbId,
        entry.standaloneQuestion ?? entry.question,
        verdict,
        verdict === "corrected" ? (entry.sql ?? null) : null,
        correctSql,
        knowledgeId,
        new Date().toISOString(),
      );
  }

  return {
    async connect(dbPath) {
      const db = await database(dbPath);
      return {
        dbId: db.record.id,
        path: db.path,
        fingerprint: db.schema.fingerprint,
        tables: db.schema.tables.length,
        knowledgeVersion: db.index.version,
        knowledgeItems: db.index.size,
      };
    },
    ask,
    train,
    knowledge: {
      async list(dbPath, kind) {
        const db = await database(dbPath);
        return knowledgeStore.list(db.record.id, kind);
      },
      async add(dbPath, item) {
        const db = await database(dbPath);
        if (item.kind === "question_sql") return storePair(db, item.question.trim(), item.sql.trim(), "api");
        if (!item.content.trim()) throw new AskDbError("INVALID_INPUT", `the ${item.kind} text is empty`);
        return addKnowledge(db, [
          {
            kind: item.kind,
            content: item.content.trim(),
            ...(item.title ? { title: item.title } : {}),
            source: "api",
          },
        ])[0];
      },
      async remove(dbPath, ids) {
        const db = await database(dbPath);
        registry.refreshIndex(db);
        const removed = knowledgeStore.remove(db.record.id, ids);
        db.index.remove(removed);
        db.index.version = knowledgeStore.knowledgeVersion(db.record.id);
        const unknown = ids.filter((id) => !removed.includes(id));
        if (unknown.length > 0) {
          throw new AskDbError("NOT_FOUND", `no knowledge item ${unknown.join(", ")} for ${db.path}`, {
            hint: "`askdb knowledge list --db FILE` shows the ids",
            details: { removed },
          });
        }
        return removed;
      },
    },
    feedback: {
      async markCorrect(answerId) {
        const entry = history.get(answerId);
        if (!entry.sql)
          throw new AskDbError("INVALID_INPUT", `answer ${answerId} has no SQL to keep (it failed)`, {
            hint: "give the right SQL instead",
          });
        const db = await databaseOf(entry);
        const item = await storePair(db, entry.standaloneQuestion ?? entry.question, entry.sql, "feedback");
        recordFeedback(entry, "correct", entry.sql, item.id);
        return item;
      },
      async correct(answerId, sql) {
        const entry = history.get(answerId);
        const db = await databaseOf(entry);
        const item = await storePair(db, entry.standaloneQuestion ?? entry.question, sql.trim(), "feedback");
        recordFeedback(entry, "corrected", item.content, item.id);
        return item;
      },
    },
    async history(query = {}) {
      const dbId = query.dbPath ? knowledgeStore.databaseByPath(query.dbPath)?.id : undefined;
      if (query.dbPath && !dbId) return [];
      return history.list({
        ...(dbId ? { dbId } : {}),
        ...(query.conversationId ? { conversationId: query.conversationId } : {}),
        ...(query.limit ? { limit: query.limit } : {}),
      });
    },
    warm,
    close: () => registry.close(),
  };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
