import { createHash } from "node:crypto";
import { AskDbError, toAskDbError } from "../../errors/index.js";
import type { ChatMessage, Engine, GenerationResult } from "../../engine/index.js";
import { factsMessages, repairMessages } from "../prompt/index.js";
import { extractSql } from "./extract.js";
import { repeatsItself } from "./repetition.js";

/** One try at writing the SQL: what the model wrote, and why it was rejected (if it was). */
export interface Attempt {
  /** The first (greedy) answer, a fresh sample of the same prompt, or a repair prompt with the error. */
  kind: "generate" | "sample" | "repair";
  sql: string;
  error?: string;
  errorCode?: string;
  generationMs: number;
  promptTokens?: number;
  reusedPromptTokens?: number;
  generatedTokens?: number;
}

export interface GenerateSqlOptions {
  /** 0 (greedy, the default) for a first answer; above 0 to get a different answer than before. */
  temperature?: number;
  seed?: number;
  /** GBNF the output must obey; when absent the model writes freely and the SQL is taken from its answer. */
  grammar?: string;
  maxTokens?: number;
  signal?: AbortSignal;
  onToken?: (text: string) => void;
}

export interface GeneratedSql {
  sql: string;
  text: string;
  result: GenerationResult;
  /** The model went round in a loop and was stopped. */
  repeated: boolean;
}

export const DEFAULT_MAX_SQL_TOKENS = 384;
/** Enough to leave a rut the greedy answer keeps falling into, not enough to write nonsense. */
const RETRY_TEMPERATURE = 0.7;
/** Characters of a failed answer shown back to the model in a repair prompt. */
const MAX_FAILED_TEXT = 600;
/**
 * Coder models answer with a ```sql block; starting the answer with the fence makes the model write
 * the query at once, and stopping at the closing fence skips the explanation it would add after.
 */
const SQL_FENCE = "```sql\n";
const FENCE_END = "```";

/** Asks the model for SQL (greedy) and returns the SQL in its answer; a model that loops is stopped. */
export async function generateSql(
  engine: Engine,
  messages: ChatMessage[],
  options: GenerateSqlOptions,
): Promise<GeneratedSql> {
  const fenced = !options.grammar && engine.capabilities().responsePrefix;
  const loop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, loop.signal]) : loop.signal;
  let text = "";
  try {
    const result = await engine.chat(messages, {
      temperature: options.temperature ?? 0,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      maxTokens: options.maxTokens ?? DEFAULT_MAX_SQL_TOKENS,
      signal,
      ...(options.grammar ? { grammar: options.grammar } : {}),
      ...(fenced ? { responsePrefix: SQL_FENCE, stop: [FENCE_END] } : {}),
      onToken: (piece) => {
        text += piece;
        options.onToken?.(piece);
        if (repeatsItself(text)) loop.abort();
      },
    });
    return sqlOf(result.text, result, options, fenced, false);
  } catch (error) {
    if (!loop.signal.aborted || options.signal?.aborted) throw error;
    return sqlOf(text, repeatedResult(engine, text), options, fenced, true);
  }
}

function sqlOf(
  raw: string,
  result: GenerationResult,
  options: GenerateSqlOptions,
  fenced: boolean,
  repeated: boolean,
): GeneratedSql {
  const text = raw.trim();
  if (repeated) return { sql: "", text, result, repeated };
  const sql = options.grammar ? text : (extractSql(fenced ? `${SQL_FENCE}${text}` : text) ?? "");
  return { sql, text, result, repeated };
}

/** What is known of a generation stopped for looping (the engine reports nothing for a cancelled one). */
function repeatedResult(engine: Engine, text: string): GenerationResult {
  return {
    text,
    model: engine.status().model ?? "unknown",
    backend: engine.status().backend ?? "llamacpp",
    stopReason: "abort",
    promptTokens: 0,
    reusedPromptTokens: 0,
    generatedTokens: 0,
    timeToFirstTokenMs: 0,
    promptTokensPerSecond: 0,
    tokensPerSecond: 0,
    loadMs: 0,
    totalMs: 0,
  };
}

/** Checks a candidate and returns its outcome (rows), or throws the error that rejects it. */
export type Validate<T> = (sql: string, signal?: AbortSignal) => Promise<{ sql: string; outcome: T }>;

export interface RepairLoopOptions<T> extends GenerateSqlOptions {
  question: string;
  /** Further tries after a first answer that fails or is doubtful (0: the first answer only). */
  retries: number;
  /**
   * Facts that help the model fix a failing query (e.g. the columns its tables have), shown with the
   * error, or alone when the failed query is not shown (`queryShown` false).
   */
  explain?: (sql: string, error: string, queryShown: boolean) => string | undefined;
  /** An answer that may well be wrong (e.g. no rows): another answer that runs is preferred to it. */
  doubtful?: (outcome: T, sql: string) => boolean;
  /** Outcomes with the same key are the same answer; among doubtful ones, the most given wins. */
  answerKey?: (outcome: T) => string;
  /**
   * Why a doubtful answer may be wrong, when that can be told (it found nothing, and a value it
   * filters on is stored in another table; it does not round as asked): the next try is then a
   * repair prompt with that fact instead of a sample.
   */
  explainDoubt?: (outcome: T, sql: string) => string | undefined;
  /**
   * Milliseconds the question has; the first try always runs to its end. When they are up, or too
   * few are left for another try to finish, the best answer that ran so far is returned and the cut
   * recorded as an ANSWER_TIMEOUT attempt; when none ran, ANSWER_TIMEOUT. `signal`, the person's
   * cancel, always ends in an error.
   */
  deadlineMs?: number;
}

export interface RepairLoopResult<T> {
  sql: string;
  outcome: T;
  attempts: Attempt[];
  generationMs: number;
  model?: string;
}

/** Errors worth another try: the SQL was wrong. A timeout or a cancel is not. */
function isRetryable(error: AskDbError): boolean {
  return ["SQL_ERROR", "SQL_REFUSED", "INVALID_INPUT", "UNPROCESSABLE"].includes(error.code);
}

function describeFailure(generated: GeneratedSql, options: GenerateSqlOptions): AskDbError {
  if (generated.repeated) {
    return new AskDbError("SQL_ERROR", "the model's answer went round in a loop and was stopped");
  }
  if (generated.result.stopReason === "maxTokens") {
    return new AskDbError(
      "SQL_ERROR",
      `the model's answer stopped at the limit of ${options.maxTokens ?? DEFAULT_MAX_SQL_TOKENS} tokens before the SQL was complete`,
    );
  }
  return new AskDbError("SQL_ERROR", "the model answered without SQL", {
    details: { text: generated.text.slice(0, 500) },
  });
}

interface Candidate<T> {
  sql: string;
  outcome: T;
  order: number;
}

interface Failure {
  text: string;
  sql: string;
  error: AskDbError;
}

/**
 * Execution-guided choice. The first answer is greedy and is kept when it runs and is not doubtful.
 * Otherwise fresh answers are sampled from the same prompt: measured on Chinook with
 * Qwen2.5-Coder-1.5B (docs/accuracy.md), a model shown its failing query and the error mostly
 * repeats the mistake, while a new sample of the original prompt often avoids it. The first sample
 * that runs with a plausible result wins.
 * A doubt that can be put in words (`explainDoubt`) is told to the model at once, in the next try:
 * a fact about its own answer is what a sample lacks, and the samples before it used up the time
 * the repair needed (docs/accuracy.md). When no try has run: if the model named a table the
 * database lacks, or a column after a sample, the next try is the question again with the schema
 * facts alone (`factsFirst`); else the last try is a repair prompt (the error and schema facts).
 * Every try is recorded.
 */
export async function generateWithRepair<T>(
  engine: Engine,
  messages: ChatMessage[],
  validate: Validate<T>,
  options: RepairLoopOptions<T>,
): Promise<RepairLoopResult<T>> {
  const attempts: Attempt[] = [];
  const candidates: Candidate<T>[] = [];
  const doubtful = (candidate: Candidate<T>) => options.doubtful?.(candidate.outcome, candidate.sql) ?? false;
  let generationMs = 0;
  let model: string | undefined;
  let lastFailure: Failure | undefined;
  const retries = Number.isFinite(options.retries) ? Math.max(0, Math.floor(options.retries)) : 0;
  const clock = deadlineClock(options.deadlineMs);
  const stop = [options.signal, clock.signal].filter((s): s is AbortSignal => s !== undefined);
  // The first try always runs to its end (its tokens are capped): a slow machine still gets an answer.
  const laterTry = { ...options, ...(stop.length > 0 ? { signal: AbortSignal.any(stop) } : {}) };
  // What ran is better than nothing, unless the person cancelled.
  const keepWhatRan = () => candidates.length > 0 && !options.signal?.aborted;
  const stoppedByDeadline = () => clock.signal?.aborted === true && !options.signal?.aborted;
  let lastTryMs = 0;
  for (let turn = 0; turn <= retries; turn += 1) {
    const { kind, conversation } = planTry(
      turn,
      retries,
      { candidates, attempts, lastFailure },
      messages,
      options,
    );
    // A try that cannot finish in time would only make the person wait longer for the same answer.
    if (turn > 0 && keepWhatRan() && clock.leftMs() < lastTryMs) {
      attempts.push(cutAttempt(kind, 0));
      break;
    }
    const tryOptions =
      turn === 0
        ? options
        : kind === "sample"
          ? { ...laterTry, temperature: RETRY_TEMPERATURE, seed: sampleSeed(options.question, turn) }
          : laterTry;
    const started = performance.now();
    let generated: GeneratedSql;
    try {
      generated = await tryGenerate(engine, conversation, tryOptions, attempts);
    } catch (error) {
      if (!stoppedByDeadline()) throw error;
      const elapsed = performance.now() - started;
      generationMs += elapsed;
      attempts.push(cutAttempt(kind, elapsed));
      if (keepWhatRan()) break;
      throw timeUp(options, attempts, error);
    }
    const elapsed = performance.now() - started;
    generationMs += elapsed;
    model = generated.result.model;
    const attempt: Attempt = {
      kind,
      sql: generated.sql,
      generationMs: Math.round(elapsed),
      promptTokens: generated.result.promptTokens,
      reusedPromptTokens: generated.result.reusedPromptTokens,
      generatedTokens: generated.result.generatedTokens,
    };
    attempts.push(attempt);
    try {
      if (!generated.sql) throw describeFailure(generated, options);
      const checked = await validate(generated.sql, tryOptions.signal);
      attempt.sql = checked.sql;
      const candidate = { ...checked, order: turn };
      if (!doubtful(candidate)) return { ...checked, attempts, generationMs, model };
      candidates.push(candidate);
    } catch (thrown) {
      const error = toAskDbError(thrown);
      const cut = error.code === "CANCELLED" && stoppedByDeadline();
      Object.assign(attempt, cut ? CUT : { error: error.message, errorCode: error.code });
      if (cut && !keepWhatRan()) throw timeUp(options, attempts, error);
      if (!isRetryable(error)) {
        if (keepWhatRan()) break;
        throw noWorkingSql(error, options, attempts);
      }
      if (turn === retries && candidates.length === 0) throw noWorkingSql(error, options, attempts);
      lastFailure = { text: generated.text, sql: generated.sql, error };
    }
    lastTryMs = performance.now() - started;
  }
  const chosen = mostGiven(candidates, options.answerKey);
  return { sql: chosen.sql, outcome: chosen.outcome, attempts, generationMs, model };
}

interface TriesSoFar<T> {
  candidates: Candidate<T>[];
  attempts: Attempt[];
  lastFailure: Failure | undefined;
}

/**
 * The first try is the greedy answer. A repair prompt comes once: the doubt on an answer that ran,
 * when it can be put in words; when none ran, the schema facts alone for a table or column the
 * model invented (`factsFirst`), and any other error on the last try only (a sample avoids those
 * better). The other tries are fresh samples of the same prompt.
 */
function planTry<T>(
  turn: number,
  retries: number,
  { candidates, attempts, lastFailure }: TriesSoFar<T>,
  messages: ChatMessage[],
  options: RepairLoopOptions<T>,
): { kind: Attempt["kind"]; conversation: ChatMessage[] } {
  const sample = { kind: "sample" as const, conversation: messages };
  if (turn === 0) return { kind: "generate", conversation: messages };
  if (attempts.some((attempt) => attempt.kind === "repair")) return sample;
  if (candidates.length > 0) {
    const doubt = doubtExplained(candidates, options);
    return doubt ? { kind: "repair", conversation: repairOf(messages, doubt, options) } : sample;
  }
  if (!lastFailure) return sample;
  const facts = factsFirst(lastFailure, attempts) ? factsWithoutQuery(lastFailure, options) : undefined;
  if (facts) return { kind: "repair", conversation: factsMessages(messages, facts) };
  return turn === retries
    ? { kind: "repair", conversation: repairOf(messages, lastFailure, options) }
    : sample;
}

/**
 * Whether the next try is the question again with the schema facts alone, without the failed query
 * (shown it, a small model names the same missing table or column again): at once after a table
 * the database lacks; after a missing column only when a sample has been tried already. A sample
 * reuses the whole evaluated prompt, the facts make a longer one: on Chinook with
 * Qwen2.5-Coder-1.5B, a sample answered both first answers that asked a missing column, and the
 * facts told at once neither (slower, one cut by the deadline); with the 0.5B model, 21 of 28
 * samples after such an answer asked a missing table or column again (docs/accuracy.md, 50).
 */
function factsFirst(failure: Failure, attempts: Attempt[]): boolean {
  if (inventsATable(failure)) return true;
  return /\bno such column\b/i.test(failure.error.message) && attempts.some((a) => a.kind === "sample");
}

/**
 * A table the database does not have. Samples of the same prompt mostly invent it again (Chinook,
 * Qwen2.5-Coder 1.5B and 0.5B: 9 of 13 samples after "no such table: SupportRep", "Job", … failed
 * again), and so does a repair prompt that shows the failed query (3 of 3). The facts alone (which
 * tables there are, where a column of that name lives) are told at once instead: none of the 5
 * such tries that finished named the table again (docs/accuracy.md).
 */
function inventsATable(failure: Failure): boolean {
  return /\bno such table\b/i.test(failure.error.message);
}

function factsWithoutQuery<T>(failure: Failure, options: RepairLoopOptions<T>): string | undefined {
  return options.explain?.(failure.sql, failure.error.message, false) || undefined;
}

/** A doubtful answer whose doubt can be put in words, as a failure to repair. */
function doubtExplained<T>(candidates: Candidate<T>[], options: RepairLoopOptions<T>): Failure | undefined {
  for (const candidate of candidates) {
    const fact = options.explainDoubt?.(candidate.outcome, candidate.sql);
    if (fact) {
      const error = new AskDbError("UNPROCESSABLE", fact);
      return { text: candidate.sql, sql: candidate.sql, error };
    }
  }
  return undefined;
}

function repairOf<T>(
  messages: ChatMessage[],
  failure: Failure,
  options: RepairLoopOptions<T>,
): ChatMessage[] {
  const facts = options.explain?.(failure.sql, failure.error.message, true);
  // A rambling answer is cut short.
  const failed = (failure.sql || failure.text).slice(0, MAX_FAILED_TEXT);
  return repairMessages(
    messages,
    failed,
    facts ? `${failure.error.message}\n${facts}` : failure.error.message,
  );
}

/**
 * A sampled try's seed: the same for a question each time it is asked, different from question to
 * question. With the turn as the seed, every question's first sample drew the same random number
 * for its first token, and that draw landed on an unlikely one: 22 of 25 first samples of
 * Qwen2.5-Coder-1.5B on Chinook began with WITH (long CTEs, 4–8 s each, mostly wrong), no later one.
 */
function sampleSeed(question: string, turn: number): number {
  return createHash("sha256").update(`${turn}\n${question}`).digest().readUInt32BE(0);
}

function deadlineClock(deadlineMs: number | undefined): { signal?: AbortSignal; leftMs: () => number } {
  if (deadlineMs === undefined) return { leftMs: () => Number.POSITIVE_INFINITY };
  const startedAt = performance.now();
  return {
    signal: AbortSignal.timeout(deadlineMs),
    leftMs: () => deadlineMs - (performance.now() - startedAt),
  };
}

function timeUp(
  options: Pick<RepairLoopOptions<unknown>, "question" | "deadlineMs">,
  attempts: Attempt[],
  cause: unknown,
): AskDbError {
  return new AskDbError(
    "ANSWER_TIMEOUT",
    `no working SQL for "${options.question}" within ${Math.round((options.deadlineMs ?? 0) / 1000)} s`,
    {
      hint: "rephrase the question or name the table you mean; a larger time limit is the `query.deadlineMs` setting",
      details: { attempts },
      cause,
    },
  );
}

/** The try the deadline stopped, or that could not have finished before it, so that every answer shows when it was cut short. */
function cutAttempt(kind: Attempt["kind"], elapsedMs: number): Attempt {
  return { kind, sql: "", ...CUT, generationMs: Math.round(elapsedMs) };
}

const CUT = { error: "stopped: the question's time was up", errorCode: "ANSWER_TIMEOUT" };

/** Whether the deadline stopped further tries of an answer. */
export function wasCut(attempts: Attempt[]): boolean {
  return attempts.some((attempt) => attempt.errorCode === CUT.errorCode);
}

/** The answer most tries agree on; the earliest of equals. */
function mostGiven<T>(candidates: Candidate<T>[], answerKey?: (outcome: T) => string): Candidate<T> {
  const votes = new Map<string, number>();
  const keyOf = (candidate: Candidate<T>) => (answerKey ? answerKey(candidate.outcome) : candidate.sql);
  for (const candidate of candidates) votes.set(keyOf(candidate), (votes.get(keyOf(candidate)) ?? 0) + 1);
  return [...candidates].sort(
    (a, b) => (votes.get(keyOf(b)) ?? 0) - (votes.get(keyOf(a)) ?? 0) || a.order - b.order,
  )[0];
}

/** One generation; a cancel or deadline keeps the attempts made so far in the error. */
async function tryGenerate(
  engine: Engine,
  conversation: ChatMessage[],
  options: GenerateSqlOptions,
  attempts: Attempt[],
): Promise<GeneratedSql> {
  try {
    return await generateSql(engine, conversation, options);
  } catch (error) {
    const failure = toAskDbError(error);
    if (attempts.length === 0) throw failure;
    throw new AskDbError(failure.code, failure.message, {
      ...(failure.hint ? { hint: failure.hint } : {}),
      details: { ...failure.details, attempts },
      cause: failure,
    });
  }
}

function noWorkingSql(
  error: AskDbError,
  options: Pick<RepairLoopOptions<unknown>, "question">,
  attempts: Attempt[],
): AskDbError {
  return new AskDbError(
    error.code,
    `could not write working SQL for "${options.question}": ${error.message}`,
    {
      hint:
        error.hint ??
        "rephrase the question, name the tables or columns, or train an example with `askdb train --pairs FILE`",
      details: { attempts },
      cause: error,
    },
  );
}
