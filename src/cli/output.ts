import type { Command } from "commander";
import Table from "cli-table3";
import pc from "picocolors";
import { AskDbError, describeError, toAskDbError } from "../errors/index.js";
import { resolveDataDir } from "../store/index.js";

/** The data directory for this invocation: `--data-dir`, else ASKDB_HOME, else the OS default. */
export function dataDirOf(command: Command): string {
  const { dataDir } = command.optsWithGlobals<{ dataDir?: string }>();
  return resolveDataDir({ flag: dataDir });
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printTable(columns: string[], rows: unknown[][]): void {
  const table = new Table({ head: columns.map((c) => pc.bold(c)), style: { head: [], border: [] } });
  for (const row of rows) table.push(row.map(formatCell));
  process.stdout.write(`${table.toString()}\n`);
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return pc.dim("NULL");
  if (value instanceof Uint8Array) return pc.dim(`<blob ${value.byteLength} bytes>`);
  return String(value);
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
