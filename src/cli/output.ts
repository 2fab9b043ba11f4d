import Table from "cli-table3";
import pc from "picocolors";
import { AskDbError, describeError, toAskDbError } from "../errors/index.js";

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printTable(columns: string[], rows: unknown[][]): void {
  const table = newTable(columns);
  for (const row of rows) table.push(row.map(formatCell));
  process.stdout.write(`${table.toString()}\n`);
}

/** Query results for a person: numbers right-aligned, with thousands separators except in ids and years. */
export function printRows(columns: string[], rows: unknown[][]): void {
  const table = newTable(columns);
  const numeric = columns.map((_, index) => isNumericColumn(rows, index));
  const grouped = columns.map((name) => !UNGROUPED_COLUMN.test(name));
  for (const row of rows)
    table.push(
      row.map((value, index) =>
        numeric[index]
          ? { content: formatNumberCell(value, grouped[index]), hAlign: "right" as const }
          : formatCell(value),
      ),
    );
  process.stdout.write(`${table.toString()}\n`);
}

/** "27 ms", "1.71 s". */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** Ids and years read wrong with a separator ("2,024"). */
const UNGROUPED_COLUMN = /(^|_)(id|year)$/i;
const GROUPED = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const UNGROUPED = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2, useGrouping: false });

function newTable(columns: string[]): Table.Table {
  return new Table({
    head: columns.map((c) => pc.bold(c)),
    style: { head: [], border: [], compact: true },
  });
}

function isNumericColumn(rows: unknown[][], index: number): boolean {
  const values = rows.map((row) => row[index]).filter((value) => value !== null);
  return values.length > 0 && values.every((value) => typeof value === "number");
}

function formatNumberCell(value: unknown, grouped: boolean): string {
  return typeof value === "number" ? (grouped ? GROUPED : UNGROUPED).format(value) : formatCell(value);
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return pc.dim("NULL");
  if (isBlob(value)) return pc.dim(`<blob ${value.$blob} bytes>`);
  return String(value);
}

/** A BLOB cell as the query executor returns it. */
function isBlob(value: unknown): value is { $blob: number } {
  return typeof value === "object" && value !== null && "$blob" in value;
}

/**
 * Runs a command body and turns any failure into a readable message (or `{"error": …}` with
 * --json) and a non-zero exit code, never a stack trace.
 */
export async function runCommand(json: boolean, body: () => Promise<void> | void): Promise<void> {
  try {
    await body();
  } catch (error) {
    reportError(toAskDbError(error), json);
    process.exitCode = exitCodeFor(toAskDbError(error));
  }
}

function reportError(error: AskDbError, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(error.toJSON(), null, 2)}\n`);
    return;
  }
  process.stderr.write(`${pc.red("error:")} ${describeError(error)}\n`);
  if (error.code === "INTERNAL" && process.env.ASKDB_DEBUG && error.cause instanceof Error) {
    process.stderr.write(`${error.cause.stack}\n`);
  }
}

function exitCodeFor(error: AskDbError): number {
  if (error.code === "INVALID_INPUT") return 2;
  if (error.code === "CANCELLED") return 130;
  return 1;
}

/** A value as a person would type it back: lists comma-separated, nothing as null. */
export function formatSettingValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return value.join(",");
  return String(value);
}
