import type { ErrorCode } from "../../errors/index.js";
import type { QueryLimits, QueryResult } from "./types.js";

/** Messages between the executor and its query process. */
export interface QueryRequest extends QueryLimits {
  id: number;
  sql: string;
}

export interface SerializedError {
  code: ErrorCode;
  message: string;
  hint?: string;
  details?: Record<string, unknown>;
}

export type QueryResponse =
  { id: number; ok: true; result: QueryResult } | { id: number; ok: false; error: SerializedError };

/** What the query process sends: once `{ ready: true }` when it can take queries, then responses. */
export type WorkerMessage = { ready: true } | QueryResponse;
