import type { Engine } from "../../engine/index.js";
import { AskDbError, toAskDbError } from "../../errors/index.js";
import { DEFAULT_MAX_SQL_TOKENS, generateWithRepair, type Attempt } from "../generate/index.js";
import { sqlGrammarFor, type GrammarOptions } from "../grammar/index.js";
import type { QueryResult } from "../guard/index.js";
import {
  buildQuestionPrompt,
  buildStablePrompt,
  sqlMessages,
  type Example,
  type PromptBudget,
  type StablePrompt,
} from "../prompt/index.js";
import type { KnowledgeItem } from "../knowledge/index.js";
import { columnsHolding, type Retrieval, type ValueHint } from "../retrieve/index.js";
import {
  bothAskedQuery,
  comparedByDay,
  countOverCompound,
  distinctList,
  fullKeyJoin,
  intersectedQuery,
  mendedQuery,
  LEAN_PROMPT_SCHEMA,
  PROMPT_SCHEMA,
  regroupedQuery,
  renderSchemaDdl,
  schemaHintFor,
  throughReferencedName,
  withoutFanOutJoin,
  withoutRankingValue,
  type ValueHolders,
} from "../schema/index.js";
import {
  executeOn,
  sqlAsRun,
  type ConnectedDatabase,
  type DatabaseRegistry,
  type ExecutedSql,
} from "./databases.js";
import {
  answerFlaw,
  demandsTwoValues,
  copiesAnExample,
  findsNothing,
  misplacedValues,
  readsDateFromNonDate,
  rowsKey,
} from "./doubt.js";
import { matchingPartsAsked } from "./contains.js";
import { looksLikeFollowUp, rewriteFollowUp } from "./followup.js";
import { examplesShowRankingValues, rankingValuesShown } from "./ranking.js";
import type { HistoryLog } from "./history.js";
import type { AskOptions } from "./types.js";

/** A query the model wrote, with its result and how it got there. */
export interface WrittenSql {
  sql: string;
  result: QueryResult;
  attempts: Attempt[];
  generationMs: number;
  executionMs: number;
  model?: string;
}

export interface SqlWriterOptions {
  /** Tokens the model may write for one query (default 384). */
  maxSqlTokens?: number;
  /** Further tries after a first query that fails or finds nothing (default 3). */
  maxRetries?: number;
  /** Shape of the SQL grammar (e.g. `maxJoins: 0` for a smaller, faster grammar). */
  grammar?: GrammarOptions;
  /** Default of AskOptions.useGrammar (false). */
  useGrammar?: boolean;
  /** Default time a question has for tries after the model's first answer, which always finishes (15 s). */
  deadlineMs?: number;
}

/** The model's side of an answer: the prompt, the SQL it writes and repairs, follow-up rewriting. */
export interface SqlWriter {
  /** The SQL for a question, run; NO_MODEL without an engine, ANSWER_TIMEOUT past the deadline. */
  write(
    db: ConnectedDatabase,
    question: string,
    retrieval: Retrieval,
    ask: AskOptions,
    hints: () => ValueHint[],
  ): Promise<WrittenSql>;
  /** A follow-up ("and last month?") rewritten into a standalone question; undefined when it is not one. */
  standalone(db: ConnectedDatabase, question: string, ask: AskOptions): Promise<string | undefined>;
  /** Loads the model and evaluates the database's stable prompt, which the model keeps. */
  warm(db: ConnectedDatabase, signal?: AbortSignal): Promise<void>;
  usesGrammar(ask: AskOptions): boolean;
}

export interface SqlWriterParts {
  engine?: Engine;
  registry: DatabaseRegistry;
  history: HistoryLog;
  options: SqlWriterOptions;
}

const DEFAULT_RETRIES = 3;
/**
 * Measured with Qwen2.5-Coder 1.5B and 0.5B on 2 cores (docs/accuracy.md): of 268 questions over
 * Chinook and the demo, none answered after 15 s was right, and on the demo half took longer.
 */
const DEFAULT_DEADLINE_MS = 15_000;

function noModel(question: string, cause?: unknown): AskDbError {
  return new AskDbError(
    "NO_MODEL",
    `no model is available to answer "${question}", and no trained question is close enough to reuse`,
    {
      hint: "install a model with `askdb models pull qwen2.5-coder-1.5b`, or train this question with `askdb train --pairs FILE`",
      cause,
    },
  );
}

/** The tables a question links to, for a prompt whose stable part lacks the schema. */
function linkedTablesDdl(
  db: ConnectedDatabase,
  tables: string[],
): { linkedSchemaDdl: string; linkedLeanSchemaDdl: string } {
  return {
    linkedSchemaDdl: renderSchemaDdl(db.schema, { ...PROMPT_SCHEMA, tables }),
    linkedLeanSchemaDdl: renderSchemaDdl(db.schema, { ...LEAN_PROMPT_SCHEMA, tables }),
  };
}

function exampleOf(pair: Pick<KnowledgeItem, "question" | "content">): Example {
  return { question: pair.question ?? "", sql: pair.content };
}

/**
 * A query refused for a column asked of the wrong table runs as mended (`mendedQuery`), and so does
 * one that runs but shows a column its groups do not fix where the query holds one that they do
 * (`regroupedQuery`), sums over a join that only repeats its rows (`withoutFanOutJoin`), counts
 * in the first SELECT of a compound what the compound finds (`countOverCompound`); a join of two
 * tables on part of a key of several columns gets the rest of the key first (`fullKeyJoin`). A mend
 * that runs stands as the model's own answer would: doubted only for what doubts any answer
 * (replayed over saved runs, replacing a mended answer that ran won nothing and lost right
 * answers). When no mend runs, the model's own error or answer stands.
 */
async function executeMending(
  db: ConnectedDatabase,
  sql: string,
  options: ExecuteOptions,
): Promise<ExecutedSql> {
  let executed: ExecutedSql;
  try {
    executed = await executeOn(db, sql, options);
  } catch (error) {
    return executeRefused(db, sql, options, error);
  }
  const keyed = fullKeyJoin(db.schema, executed.sql);
  const query = keyed ?? executed.sql;
  const regrouped = regroupedQuery(db.schema, query);
  const mended =
    countOverCompound(query) ?? withoutFanOutJoin(db.schema, regrouped ?? query) ?? regrouped ?? keyed;
  return mended ? executeRewriteOr(db, mended, options, executed) : executed;
}

type ExecuteOptions = Parameters<typeof executeOn>[2];

/** Mends of one query at most: each fixes one column SQLite names. */
const MAX_MENDS = 3;

async function executeRefused(
  db: ConnectedDatabase,
  sql: string,
  options: ExecuteOptions,
  error: unknown,
): Promise<ExecutedSql> {
  // Mended as it ran: a name written bare (`T1.FAA Code`) is one name only once quoted.
  let current = sqlAsRun(db, sql);
  let reason = toAskDbError(error);
  for (let mend = 0; mend < MAX_MENDS && reason.code === "SQL_ERROR"; mend += 1) {
    const next = mendedQuery(db.schema, current, reason.message);
    if (!next) break;
    try {
      return await executeOn(db, next, options);
    } catch (again) {
      if (!isSqlError(again)) throw again;
      current = next;
      reason = toAskDbError(again);
    }
  }
  throw error;
}

/**
 * An answer that found nothing because it asked one column for two values in the same row (`Name
 * = 'Rock' AND Name = 'Jazz'`), run again as the intersection of one query for each
 * (`intersectedQuery`); or because it compared a key column with a name of the row the key refers
 * to (`carrier = 'JetBlue Airways'`), run again through that row (`throughReferencedName`): the
 * first of them that applies. The model's own answer when the rewrite fails.
 */
async function executeWhenEmpty(
  db: ConnectedDatabase,
  executed: ExecutedSql,
  options: ExecuteOptions,
  holders: ValueHolders,
): Promise<ExecutedSql> {
  if (!findsNothing(executed.outcome)) return executed;
  const rewritten =
    intersectedQuery(db.schema, executed.sql) ?? throughReferencedName(db.schema, executed.sql, holders);
  return rewritten ? executeRewriteOr(db, rewritten, options, executed) : executed;
}

/**
 * A count of the rows with either of two values where the question asks for both ("both rock and
 * jazz", `Name IN ('Rock', 'Jazz')`), run as the count of what one query for each value finds,
 * intersected (`bothAskedQuery`), when that finds something: else the question meant either (a
 * customer "in both Canada and the USA" lives in one), and the answer stands as written; so it
 * does when the intersection fails or runs out of time, for the answer may be right.
 */
async function executeBothAsked(
  db: ConnectedDatabase,
  executed: ExecutedSql,
  options: ExecuteOptions,
  question: string,
): Promise<ExecutedSql> {
  const both = !findsNothing(executed.outcome) && bothAskedQuery(db.schema, executed.sql, question);
  if (!both) return executed;
  const intersected = await executeRewriteOr(db, both, options, executed, { orOnTimeout: true });
  return findsNothing(intersected.outcome) ? executed : intersected;
}

/**
 * The rewritten query's answer, or the answer it rewrites when SQLite refuses the rewrite (or, with
 * `orOnTimeout`, when the rewrite runs out of time: the answer it rewrites may be right).
 */
async function executeRewriteOr(
  db: ConnectedDatabase,
  sql: string,
  options: ExecuteOptions,
  unchanged: ExecutedSql,
  { orOnTimeout = false }: { orOnTimeout?: boolean } = {},
): Promise<ExecutedSql> {
  try {
    return await executeOn(db, sql, options);
  } catch (error) {
    if (isSqlError(error) || (orOnTimeout && toAskDbError(error).code === "SQL_TIMEOUT")) return unchanged;
    throw error;
  }
}

/**
 * What the answer shows beyond what was asked, left out: the value a ranking is ordered by
 * (`withoutRankingValue`) unless the question asks for it or the examples show it, and the rows a
 * list repeats through its joins (`distinctList`).
 */
function tidiedSql(executed: ExecutedSql, shown: (value: string) => boolean): string | undefined {
  const ranking = withoutRankingValue(executed.sql, shown);
  if (ranking) return ranking;
  return repeatsRows(executed.outcome) ? distinctList(executed.sql) : undefined;
}

function repeatsRows(result: QueryResult): boolean {
  return new Set(result.rows.map((row) => JSON.stringify(row))).size < result.rows.length;
}

/** The tidied query's answer, or the query's as it ran when the tidied one does not run. */
async function executeTidied(
  db: ConnectedDatabase,
  executed: ExecutedSql,
  options: ExecuteOptions,
  shown: (value: string) => boolean,
): Promise<ExecutedSql> {
  const tidied = tidiedSql(executed, shown);
  return tidied ? executeRewriteOr(db, tidied, options, executed) : executed;
}

function rankingValuesTrained(db: ConnectedDatabase): boolean {
  const version = db.index.version;
  if (db.rankingValues?.version !== version) {
    const examples = db.index.all("question_sql").map(exampleOf);
    db.rankingValues = { version, shown: examplesShowRankingValues(examples) };
  }
  return db.rankingValues.shown;
}

/** A cancel or the deadline is not the model's mistake. */
function isSqlError(error: unknown): boolean {
  return toAskDbError(error).code === "SQL_ERROR";
}

export function createSqlWriter({ engine, registry, history, options }: SqlWriterParts): SqlWriter {
  const usesGrammar = (ask: AskOptions) => ask.useGrammar ?? options.useGrammar ?? false;

  async function promptBudget(model: Engine, questionTokens?: number): Promise<PromptBudget> {
    return {
      contextSize: await model.contextSize(),
      maxOutputTokens: options.maxSqlTokens ?? DEFAULT_MAX_SQL_TOKENS,
      ...(questionTokens ? { questionTokens } : {}),
    };
  }

  async function stablePrompt(
    db: ConnectedDatabase,
    model: Engine,
    budget: PromptBudget,
    withExamples = true,
  ): Promise<StablePrompt> {
    const key = [
      db.schema.fingerprint,
      db.index.version,
      budget.contextSize,
      budget.questionTokens,
      withExamples,
    ].join(":");
    if (db.stable?.key === key) return db.stable.prompt;
    const prompt = await buildStablePrompt({
      schemaDdl: renderSchemaDdl(db.schema, PROMPT_SCHEMA),
      leanSchemaDdl: renderSchemaDdl(db.schema, LEAN_PROMPT_SCHEMA),
      documentation: db.index.all("documentation").map((item) => item.content),
      examples: withExamples ? db.index.all("question_sql").map(exampleOf) : [],
      countTokens: (text) => model.countTokens(text),
      budget,
    });
    db.stable = { key, prompt };
    return prompt;
  }

  /**
   * The stable prompt the local model last evaluated. A question whose prompt the model does not hold
   * (the first of a CLI run, the first after the idle model was unloaded, another database's) has it
   * evaluated before its own tries start, apart from them: that is a one-off cost of the database
   * (on the demo with Qwen2.5-Coder-1.5B on 2 cores, 56 s with the model load), and inside the first
   * try it left no time for the tries after it. Evaluating it again when held costs a call and
   * changes nothing, so it is skipped; a prompt replaced unseen (a chat on the same engine) only
   * makes that question's first try longer. Only for a local model: a remote server keeps prompts
   * its own way, and each request there may be paid for.
   */
  let evaluated: string | undefined;

  async function evaluateStable(model: Engine, stable: StablePrompt, signal?: AbortSignal): Promise<void> {
    evaluated = undefined;
    // One generated token is enough for the model to evaluate, and keep, the whole prompt before it.
    await model.chat(sqlMessages(stable, ""), {
      maxTokens: 1,
      temperature: 0,
      ...(signal ? { signal } : {}),
    });
    evaluated = stable.text;
  }

  async function questionPrompt(
    model: Engine,
    db: ConnectedDatabase,
    question: string,
    retrieval: Retrieval,
    ask: AskOptions,
    hints: () => ValueHint[],
  ): Promise<{ stable: StablePrompt; user: string; examples: Example[]; budget: PromptBudget }> {
    const budget = await promptBudget(model, ask.questionTokens);
    const useExamples = ask.useExamples ?? true;
    const stable = await stablePrompt(db, model, budget, useExamples);
    const values = (ask.useValueHints ?? true) ? hints() : [];
    const { text: user, examples } = await buildQuestionPrompt({
      stable,
      question,
      examples: useExamples ? retrieval.pairs.map((pair) => exampleOf(pair.item)) : [],
      documentation: retrieval.documentation.map((d) => d.item.content),
      values,
      ...(stable.schemaIncluded ? { linkedSchemaDdl: "" } : linkedTablesDdl(db, retrieval.linkedTables)),
      countTokens: (text) => model.countTokens(text),
      budget,
    });
    return { stable, user, examples, budget };
  }

  async function write(
    db: ConnectedDatabase,
    question: string,
    retrieval: Retrieval,
    ask: AskOptions,
    hints: () => ValueHint[],
  ): Promise<WrittenSql> {
    if (!engine) throw noModel(question);
    try {
      return await writeWith(engine, db, question, retrieval, ask, hints);
    } catch (error) {
      // The engine's own words send a person to `askdb chat`; here the way out is a model or a trained pair.
      throw toAskDbError(error).code === "NO_MODEL" ? noModel(question, error) : error;
    }
  }

  async function writeWith(
    model: Engine,
    db: ConnectedDatabase,
    question: string,
    retrieval: Retrieval,
    ask: AskOptions,
    hints: () => ValueHint[],
  ): Promise<WrittenSql> {
    // Read before the prompt is built: counting its tokens loads an unloaded model again.
    const unloaded = model.status().state === "unloaded";
    const { stable, user, examples, budget } = await questionPrompt(
      model,
      db,
      question,
      retrieval,
      ask,
      hints,
    );
    if (model.status().backend === "llamacpp" && (unloaded || evaluated !== stable.text))
      await evaluateStable(model, stable, ask.signal);
    const useGrammar = usesGrammar(ask) && model.capabilities().grammar;
    ask.onEvent?.({ stage: "generating" });
    let executionMs = 0;
    const shown = rankingValuesShown(question, rankingValuesTrained(db));
    // The loop's signal stops a later try's query at the deadline, as well as on the person's cancel.
    const run = async (sql: string, signal?: AbortSignal) => {
      ask.onEvent?.({ stage: "executing" });
      const started = performance.now();
      const options = { ...ask, ...(signal ? { signal } : {}) };
      try {
        const asAsked = matchingPartsAsked(sql, question) ?? sql;
        const executed = await executeMending(db, comparedByDay(db.schema, asAsked) ?? asAsked, options);
        const holders: ValueHolders = (value) => columnsHolding(registry.values(db), value);
        const rewritten = await executeWhenEmpty(db, executed, options, holders);
        const asked = await executeBothAsked(db, rewritten, options, question);
        return await executeTidied(db, asked, options, shown);
      } finally {
        executionMs += performance.now() - started;
      }
    };
    const loop = await generateWithRepair(model, sqlMessages(stable, user), run, {
      question,
      retries: ask.useRepair === false ? 0 : (options.maxRetries ?? DEFAULT_RETRIES),
      explain: (sql, error, queryShown) => schemaHintFor(db.schema, sqlAsRun(db, sql), error, { queryShown }),
      doubtful: (result, sql) =>
        findsNothing(result) ||
        copiesAnExample(sql, question, examples) ||
        answerFlaw(db.schema, result, sql, question) !== undefined,
      answerKey: rowsKey,
      explainDoubt: (result, sql) => {
        if (!findsNothing(result)) return answerFlaw(db.schema, result, sql, question);
        const why =
          demandsTwoValues(sql) ??
          misplacedValues(db.schema, registry.values(db), sql) ??
          readsDateFromNonDate(db.schema, sql);
        return why && `The query ran but found nothing. ${why}`;
      },
      maxTokens: budget.maxOutputTokens,
      ...(useGrammar ? { grammar: sqlGrammarFor(db.schema, options.grammar) } : {}),
      deadlineMs: ask.deadlineMs ?? options.deadlineMs ?? DEFAULT_DEADLINE_MS,
      ...(ask.signal ? { signal: ask.signal } : {}),
      onToken: (token) => ask.onEvent?.({ stage: "generating", token }),
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

  /**
   * Rewritten by the model behind the database's stable prompt, so the evaluated prefix serves the
   * rewrite and the SQL alike. Without a model it is answered as asked (only the fast paths can).
   */
  async function standalone(db: ConnectedDatabase, question: string, ask: AskOptions) {
    if (!ask.conversationId || !looksLikeFollowUp(question)) return undefined;
    const previous = history.lastAnswered(ask.conversationId);
    if (!previous?.sql || !engine) return undefined;
    // The question's own stable prompt, so the rewrite and the SQL share the evaluated prefix.
    const budget = await promptBudget(engine, ask.questionTokens);
    const stable = await stablePrompt(db, engine, budget, ask.useExamples ?? true);
    return rewriteFollowUp(
      engine,
      { previousQuestion: previous.standaloneQuestion ?? previous.question, previousSql: previous.sql },
      question,
      { systemPrompt: stable.text, ...(ask.signal ? { signal: ask.signal } : {}) },
    );
  }

  async function warm(db: ConnectedDatabase, signal?: AbortSignal): Promise<void> {
    if (!engine) return;
    registry.values(db);
    await evaluateStable(engine, await stablePrompt(db, engine, await promptBudget(engine)), signal);
  }

  return { write, standalone, warm, usesGrammar };
}
