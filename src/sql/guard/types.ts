/** A blob cell as it travels in results and JSON: its size and the first bytes in base64. */
export interface BlobValue {
  $blob: number;
  base64Preview: string;
}

/** A cell: null, number, text, integer too large for a JS number (as decimal text), or a blob. */
export type SqlValue = null | number | string | BlobValue;

export interface ResultColumn {
  name: string;
  /** Declared type of the source column, else the storage class of the first non-null value (INTEGER, REAL, TEXT, BLOB), else "". */
  type: string;
}

export interface QueryResult {
  columns: ResultColumn[];
  rows: SqlValue[][];
  rowCount: number;
  /** True when rows were cut by the row limit or the result-size limit. */
  truncated: boolean;
  /** Which limit cut the rows, when truncated. */
  truncatedBy?: "maxRows" | "maxResultBytes";
  elapsedMs: number;
}

export interface QueryLimits {
  /** Rows returned at most; more rows set `truncated`. */
  maxRows: number;
  /** Approximate bytes of cell data returned at most; a single larger value is refused. */
  maxResultBytes: number;
}

export const DEFAULT_LIMITS: QueryLimits & { timeoutMs: number; maxMemoryBytes: number } = {
  maxRows: 1000,
  maxResultBytes: 16 * 1024 * 1024,
  timeoutMs: 10_000,
  maxMemoryBytes: 1024 * 1024 * 1024,
};
