import { AskDbError, toAskDbError } from "../../errors/index.js";
import { newId } from "../../util/index.js";
import { suggestChart } from "../chart/index.js";
import type { Attempt } from "../generate/index.js";
import {
  findNearDuplicate,
  retrieve,
  valueHints,
  type Retrieval,
  type ValueHint,
  type ValueIndex,
} from "../retrieve/index.js";
import { AnswerCache, answerCacheKey } from "./cache.js";
import { executeOn, type ConnectedDatabase } from "./databases.js";
import type { Embedder } from "./embedder.js";
import type { HistoryLog } from "./history.js";
import type { KnowledgeBase } from "./knowledge.js";
import type { Answer, AnswerLogger, AnswerSource, AskOptions } from "./types.js";
import { findValueVariant } from "./variants.js";
import type { SqlWriter, WrittenSql } from "./writing.js";

/** The query that answers a question: the model's, or a trained example's. */
interface SqlOutcome extends WrittenSql {
  source: AnswerSource;
  /** The trained question reused, when the source is an example. */
  matched?: string;
}

export interface AskingParts {
  knowledge: KnowledgeBase;
  writer: SqlWriter;
  embedder: Embedder;
  cache: AnswerCache;
  history: HistoryLog;
  logger: AnswerLogger;
  /** The model's name as the cache knows it. */
  modelLabel: () => string;
  /** The database's text values, for value linking. */
  values: (db: ConnectedDatabase) => ValueIndex;
}

export type AskQuestion = (dbPath: string, question: string, options?: AskOptions) => Promise<Answer>;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/**
 * Answers a question: from the cache, else a trained question that says the same thing, else the
 * model; every answer and failure goes to the history.
 */
export function createAsking(parts: AskingParts): AskQuestion {
  const { knowledge, writer, embedder, cache, history, logger } = parts;

  function cacheKey(db: ConnectedDatabase, question: string, ask: AskOptions): string {
    const variant = [
      writer.usesGrammar(ask),
      ask.useExamples ?? true,
      ask.useRepair ?? true,
      ask.useValueHints ?? true,
      ask.questionTokens ?? "",
      ask.maxRows ?? "",
    ].join(":");
    return answerCacheKey({
      question,
      fingerprint: db.schema.fingerprint,
      dataStamp: db.dataStamp,
      knowledgeVersion: db.index.version,
      model: parts.modelLabel(),
      variant,
    });
  }

  /**
   * A trained question that says the same thing, or the same about another value of the column it
   * filters on (named by the question or the page): run its SQL, no model needed.
   */
  async function fromExample(
    db: ConnectedDatabase,
    question: string,
    retrieval: Retrieval,
    ask: AskOptions,
    hints: () => ValueHint[],
  ): Promise<SqlOutcome | undefined> {
    const match =
      findNearDuplicate(retrieval.pairs, question) ?? valueVariant(db, question, retrieval, hints);
    if (!match) return undefined;
    ask.onEvent?.({ stage: "executing" });
    const started = performance.now();
    try {
      const { sql, outcome } = await executeOn(db, "sql" in match ? match.sql : match.item.content, ask);
      const executionMs = performance.now() - started;
      return {
        sql,
        result: outcome,
        attempts: [],
        generationMs: 0,
        executionMs,
        source: "example",
        matched: match.item.question,
      };
    } catch (error) {
      if (toAskDbError(error).code === "CANCELLED") throw error;
      return undefined;
    }
  }

  function valueVariant(
    db: ConnectedDatabase,
    question: string,
    retrieval: Retrieval,
    hints: () => ValueHint[],
  ) {
    if (retrieval.pairs.length === 0 || hints().length === 0) return undefined;
    return findValueVariant(retrieval.pairs, question, hints(), parts.values(db));
  }

  async function answerSql(db: ConnectedDatabase, question: string, ask: AskOptions) {
    const started = performance.now();
    const useExamples = ask.useExamples ?? true;
    // An untrained database has nothing to find by meaning: its questions load no embedding model.
    const byMeaning = useExamples && db.index.searchesByMeaning();
    const queryVector = byMeaning ? await embedder.queryVector(db, question, ask.signal) : undefined;
    const retrieval = retrieve(db.index, db.schema, question, queryVector ? { queryVector } : {});
    const retrievalMs = performance.now() - started;
    // The values the question (or its page) names: read once, for a trained variant and the prompt alike.
    let named: ValueHint[] | undefined;
    const hints = () => (named ??= valueHints(parts.values(db), question, ask.context));
    const outcome: SqlOutcome = (useExamples
      ? await fromExample(db, question, retrieval, ask, hints)
      : undefined) ?? {
      ...(await writer.write(db, question, retrieval, ask, hints)),
      source: "model",
    };
    return { outcome, retrievalMs };
  }

  function finish(
    answer: Answer,
    started: number,
    steps: Omit<Answer["timings"], "totalMs">,
    ask: AskOptions,
  ): Answer {
    const totalMs = performance.now() - started;
    const done: Answer = {
      ...answer,
      timings: {
        retrievalMs: round(steps.retrievalMs),
        generationMs: round(steps.generationMs),
        executionMs: round(steps.executionMs),
        totalMs: round(totalMs),
      },
    };
    logger.info(`Extracted SQL: ${done.sql}`);
    logger.info(`[SQL Gen]: ${seconds(steps.generationMs)}`);
    logger.info(`[SQL Run]: ${seconds(steps.executionMs)}`);
    logger.info(`[Total]: ${seconds(totalMs)}`);
    ask.onEvent?.({ stage: "answer", answer: done });
    return done;
  }

  function toAnswer(
    question: string,
    standalone: string | undefined,
    outcome: SqlOutcome,
    ask: AskOptions,
  ): Answer {
    return {
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
  }

  return async (dbPath, question, ask = {}) => {
    const started = performance.now();
    if (!question.trim())
      throw new AskDbError("INVALID_INPUT", "the question is empty", {
        hint: 'ask something like "how many products are low on stock?"',
      });
    const db = await knowledge.database(dbPath);
    const standalone = await writer.standalone(db, question, ask);
    const effective = standalone ?? question;
    const asked = {
      dbId: db.record.id,
      question,
      ...(standalone ? { standaloneQuestion: standalone } : {}),
      ...(ask.conversationId ? { conversationId: ask.conversationId } : {}),
    };
    const key = cacheKey(db, effective, ask);
    const cached = (ask.useCache ?? true) ? cache.get(key) : undefined;
    if (cached) {
      const reused: Answer = {
        ...cached,
        source: "cache",
        question,
        ...(ask.conversationId ? { conversationId: ask.conversationId } : {}),
      };
      return finish(reused, started, { retrievalMs: 0, generationMs: 0, executionMs: 0 }, ask);
    }
    ask.onEvent?.({ stage: "retrieving" });
    let answered: Awaited<ReturnType<typeof answerSql>>;
    try {
      answered = await answerSql(db, effective, ask);
    } catch (error) {
      const failure = toAskDbError(error);
      const attempts = (failure.details?.attempts as Attempt[] | undefined) ?? [];
      history.record({ ...asked, error: failure.message, attempts });
      throw failure;
    }
    const { outcome, retrievalMs } = answered;
    const answer = finish(
      toAnswer(question, standalone, outcome, ask),
      started,
      { retrievalMs, generationMs: outcome.generationMs, executionMs: outcome.executionMs },
      ask,
    );
    history.record({
      ...asked,
      id: answer.id,
      sql: answer.sql,
      source: answer.source,
      rowCount: answer.rowCount,
      ...(answer.model ? { model: answer.model } : {}),
      attempts: answer.attempts,
      timings: answer.timings,
    });
    if (ask.useCache ?? true) cache.put(key, db.record.id, answer);
    return answer;
  };
}
