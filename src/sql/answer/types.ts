import type { ChartSpec } from "../chart/index.js";
import type { Attempt } from "../generate/index.js";
import type { ResultColumn, SqlValue } from "../guard/index.js";

export type AnswerSource = "model" | "example" | "cache";

export interface AnswerTimings {
  retrievalMs: number;
  generationMs: number;
  executionMs: number;
  totalMs: number;
}

export interface Answer {
  /** The history entry of this answer: feedback refers to it. */
  id: string;
  question: string;
  /** The question as answered, when a follow-up was rewritten into a standalone one. */
  standaloneQuestion?: string;
  sql: string;
  columns: ResultColumn[];
  rows: SqlValue[][];
  rowCount: number;
  truncated: boolean;
  chart: ChartSpec;
  source: AnswerSource;
  attempts: Attempt[];
  model?: string;
  timings: AnswerTimings;
  conversationId?: string;
  /** The trained question whose SQL was reused (source "example"). */
  matchedQuestion?: string;
}

export type AskStage = "retrieving" | "generating" | "executing" | "answer";

export interface AskEvent {
  stage: AskStage;
  /** A piece of generated SQL (stage "generating"). */
  token?: string;
  /** The finished answer (stage "answer"). */
  answer?: Answer;
}

export interface AskOptions {
  /** Earlier questions of this conversation make "and last month?" a follow-up. */
  conversationId?: string;
  signal?: AbortSignal;
  onEvent?: (event: AskEvent) => void;
  /**
   * Decode under the database's SQL grammar (default false: measured, the grammar pushes a small
   * model into degenerate SQL more often than it saves one; see docs/accuracy.md).
   */
  useGrammar?: boolean;
  /** Tell the model which database values the question seems to name (default true). */
  useValueHints?: boolean;
  /** Untrusted text (a browser page's selection): searched for database values only, never prompted. */
  context?: string;
  /** Tokens at most for examples, documentation and hints with each question (default 512). */
  questionTokens?: number;
  /** Time for tries after the model's first answer (which always finishes); then the best that ran (default 15 s). */
  deadlineMs?: number;
  /** Retrieve example pairs and reuse a near-duplicate's SQL (default true). */
  useExamples?: boolean;
  /** Further tries when the first SQL fails or finds no rows (default true; at most 3). */
  useRepair?: boolean;
  /** Answer from the cache when the same question was answered before (default true). */
  useCache?: boolean;
  maxRows?: number;
  timeoutMs?: number;
}

/** Where the console lines go (`Extracted SQL: …`, `[SQL Gen]: 1.71s`): stderr for the CLI, the log for the server. */
export interface AnswerLogger {
  info(line: string): void;
}
