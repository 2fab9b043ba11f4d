import type { Command } from "commander";
import pc from "picocolors";
import { AskDbError } from "../../errors/index.js";
import type { QueryResult } from "../../sql/index.js";
import { withAskDb } from "../askdb.js";
import { printJson, printRows, runCommand } from "../output.js";

interface SqlOptions {
  db?: string;
  json?: boolean;
  maxRows?: string;
  timeoutMs?: string;
}

export function registerSqlCommand(program: Command): void {
  program
    .command("sql")
    .description("Run one read-only SQL query against a SQLite file and print the rows")
    .argument("<query>", 'a single SELECT (or WITH … SELECT / VALUES) statement; "-" reads it from stdin')
    .option("--db <file>", "the SQLite database (default: the demo database)")
    .option("--json", "print {columns, rows, rowCount, truncated, elapsedMs} as JSON")
    .option("--max-rows <n>", "rows to return at most (default: the query.maxRows setting)")
    .option(
      "--timeout-ms <n>",
      "stop the query after this many milliseconds (default: the query.timeoutMs setting)",
    )
    .addHelpText(
      "after",
      `
Examples:
  askdb sql --db shop.sqlite "SELECT count(*) FROM invoices"
  askdb sql --db shop.sqlite --json --max-rows 10 "SELECT * FROM customers ORDER BY name"
  askdb sql --db shop.sqlite - < report.sql

The database is opened read-only: statements that would write (INSERT, UPDATE, DELETE, DDL,
ATTACH, PRAGMA, VACUUM, …) are refused and the file is never modified.`,
    )
    .action((query: string, options: SqlOptions, command: Command) =>
      runCommand(options.json === true, async () => {
        const limits = {
          limit: positiveInteger(options.maxRows, "--max-rows"),
          timeoutMs: positiveInteger(options.timeoutMs, "--timeout-ms"),
        };
        const sql = query === "-" ? await readStdin() : query;
        await withAskDb(command, { db: options.db }, async (askdb) => {
          const { chart: _chart, ...result } = await askdb.runSql(sql, limits);
          if (options.json) printJson(result);
          else printResult(result);
        });
      }),
    );
}

function printResult(result: QueryResult): void {
  printRows(
    result.columns.map((column) => column.name),
    result.rows,
  );
  const rows = `${result.rowCount} row${result.rowCount === 1 ? "" : "s"}`;
  const cut = result.truncated
    ? pc.yellow(
        ` (cut by ${result.truncatedBy === "maxRows" ? "--max-rows" : "the result-size limit"}; more rows exist)`,
      )
    : "";
  process.stderr.write(pc.dim(`${rows}${cut} in ${result.elapsedMs.toFixed(1)} ms\n`));
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function positiveInteger(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new AskDbError("INVALID_INPUT", `${flag} must be a positive whole number, not "${text}"`);
  }
  return value;
}
