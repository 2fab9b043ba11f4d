import type Database from "better-sqlite3";
import { AskDbError } from "../../errors/index.js";
import { formatBytes } from "../../util/index.js";
import { checkSql } from "./check.js";
import type { BlobValue, QueryLimits, QueryResult, ResultColumn, SqlValue } from "./types.js";

const BLOB_PREVIEW_BYTES = 48;

/**
 * Checks and runs one query on this thread. The query itself is never rewritten: rows are stepped
 * one at a time and stepping stops after `maxRows` (or `maxResultBytes`), so ORDER BY, CTEs and
 * LIMIT keep their meaning. Use the executor for a time limit.
 */
export function runGuardedQuery(db: Database.Database, sql: string, limits: QueryLimits): QueryResult {
  const started = performance.now();
  const statement = checkSql(db, sql).raw(true).safeIntegers(true);
  const rawRows: unknown[][] = [];
  let bytes = 0;
  let truncatedBy: QueryResult["truncatedBy"];
  try {
    for (const row of statement.iterate() as IterableIterator<unknown[]>) {
      if (rawRows.length === limits.maxRows) {
        truncatedBy = "maxRows";
        break;
      }
      const rowBytes = row.reduce<number>((sum, value) => sum + approximateBytes(value, limits, sql), 0);
      if (bytes + rowBytes > limits.maxResultBytes) {
        truncatedBy = "maxResultBytes";
        break;
      }
      bytes += rowBytes;
      rawRows.push(row);
    }
  } catch (error) {
    if (error instanceof AskDbError) throw error;
    throw new AskDbError("SQL_ERROR", `SQL error while running the query: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const rows = rawRows.map((row) => row.map(toSqlValue));
  return {
    columns: describeColumns(statement, rawRows),
    rows,
    rowCount: rows.length,
    truncated: truncatedBy !== undefined,
    ...(truncatedBy ? { truncatedBy } : {}),
    elapsedMs: performance.now() - started,
  };
}

function describeColumns(statement: Database.Statement, rows: unknown[][]): ResultColumn[] {
  return statement.columns().map((column, index) => ({
    name: column.name,
    type: column.type ?? storageClassOf(rows.find((row) => row[index] !== null)?.[index]),
  }));
}

function storageClassOf(value: unknown): string {
  if (typeof value === "bigint") return "INTEGER";
  if (typeof value === "number") return "REAL";
  if (typeof value === "string") return "TEXT";
  if (value instanceof Uint8Array) return "BLOB";
  return "";
}

function approximateBytes(value: unknown, limits: QueryLimits, sql: string): number {
  const size =
    typeof value === "string" ? value.length * 2 : value instanceof Uint8Array ? value.byteLength : 8;
  if (size > limits.maxResultBytes) {
    throw new AskDbError(
      "SQL_REFUSED",
      `refused: the result holds a single value of ${formatBytes(size)}, over the ${formatBytes(limits.maxResultBytes)} result limit`,
      {
        hint: "select a part of it instead, e.g. substr(column, 1, 200) or length(column)",
        details: { sql: sql.slice(0, 500) },
      },
    );
  }
  return size;
}

function toSqlValue(value: unknown): SqlValue {
  if (typeof value === "bigint") {
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  }
  if (value instanceof Uint8Array) return blobValue(value);
  return value as SqlValue;
}

function blobValue(bytes: Uint8Array): BlobValue {
  return {
    $blob: bytes.byteLength,
    base64Preview: Buffer.from(
      bytes.buffer,
      bytes.byteOffset,
      Math.min(bytes.byteLength, BLOB_PREVIEW_BYTES),
    ).toString("base64"),
  };
}
