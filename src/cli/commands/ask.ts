import type { Command } from "commander";
import pc from "picocolors";
import { AskDbError } from "../../errors/index.js";
import { wasCut, type Answer, type AnswerLogger } from "../../sql/index.js";
import { withAskDb } from "../askdb.js";
import { highlightSql } from "../highlight-sql.js";
import { formatMs, printJson, printRows, runCommand } from "../output.js";

/** The pipeline's log lines (extracted SQL, timings) go to stderr, so stdout stays the answer (or JSON). */
const stderrLogger: AnswerLogger = { info: (line) => process.stderr.write(`${pc.dim(line)}\n`) };

interface AskCommandOptions {
  db?: string;
  model?: string;
  json?: boolean;
  conversation?: string;
  grammar?: boolean;
  examples: boolean;
  repair: boolean;
  cache: boolean;
  maxRows?: string;
  verbose?: boolean;
}

function printAnswer(answer: Answer): void {
  if (answer.standaloneQuestion) process.stdout.write(`${pc.dim(`(as: ${answer.standaloneQuestion})`)}\n`);
  process.stdout.write(`${highlightSql(answer.sql)}\n`);
  printRows(
    answer.columns.map((c) => c.name),
    answer.rows,
  );
  process.stdout.write(`${pc.dim(answerSummary(answer))}\n`);
}

/**
 * "10 rows · from a trained example (…) · 27 ms: retrieval 15 ms, run 10 ms · answer ans_…", and
 * when the time limit stopped further tries, that the answer is the best of those that ran.
 */
export function answerSummary(answer: Answer): string {
  const rows = `${answer.rowCount} ${answer.rowCount === 1 ? "row" : "rows"}${answer.truncated ? " (more were cut)" : ""}`;
  return [
    rows,
    `from ${sourceOf(answer)}`,
    ...cutShort(answer),
    timingsOf(answer.timings),
    `answer ${answer.id}`,
  ].join(" · ");
}

function cutShort(answer: Answer): string[] {
  if (!wasCut(answer.attempts)) return [];
  const ran = answer.attempts.filter((a) => !a.error).length;
  return [
    `time limit reached: the best of ${ran} ${ran === 1 ? "answer" : "answers"} that ran (query.deadlineMs)`,
  ];
}

function sourceOf(answer: Answer): string {
  if (answer.source === "example") return `a trained example ("${answer.matchedQuestion}")`;
  if (answer.source === "cache") return "the cache";
  return answer.model ?? "the model";
}

function timingsOf(timings: Answer["timings"]): string {
  const steps = [
    `retrieval ${formatMs(timings.retrievalMs)}`,
    ...(timings.generationMs > 0 ? [`writing SQL ${formatMs(timings.generationMs)}`] : []),
    `run ${formatMs(timings.executionMs)}`,
  ];
  return `${formatMs(timings.totalMs)}: ${steps.join(", ")}`;
}

export function registerAskCommand(program: Command): void {
  program
    .command("ask")
    .description("Ask a question about a SQLite database in plain language; a local model writes the SQL")
    .argument("<question>", 'e.g. "top 5 customers by revenue"')
    .option("--db <file>", "the SQLite database (default: the demo database, trained on first use)")
    .option("--model <id|file>", "an installed model id or a GGUF file (default: the active model)")
    .option("--json", "print the answer as JSON ({question, sql, columns, rows, …, timings})")
    .option(
      "--conversation <id>",
      'a conversation id: follow-ups like "and last month?" build on its last question',
    )
    .option("--max-rows <n>", "rows to return at most (default: the query.maxRows setting)")
    .option("--grammar", "decode under the database's SQL grammar (default: the query.grammar setting, off)")
    .option("--no-grammar", "let the model write freely, whatever the query.grammar setting says")
    .option("--no-examples", "do not retrieve or reuse trained question/SQL pairs")
    .option(
      "--no-repair",
      "take the model's first SQL as it is: no further tries when it fails or finds no rows",
    )
    .option("--no-cache", "do not answer from (or store into) the answer cache")
    .option("--verbose", "also print the extracted SQL and each step's timing to stderr as they happen")
    .addHelpText(
      "after",
      `
Examples:
  askdb ask "how many products are low on stock?"          the demo database
  askdb ask --db shop.sqlite --json "top 5 customers by revenue"
  askdb ask --conversation c1 "sales in march" && askdb ask --conversation c1 "and april?"

Trained questions (and their rewordings) are answered without a model. With --verbose, the
pipeline's log (Extracted SQL, [SQL Gen], [SQL Run], [Total]) goes to stderr.`,
    )
    .action((question: string, options: AskCommandOptions, command: Command) =>
      runCommand(options.json === true, async () => {
        const maxRows = options.maxRows === undefined ? undefined : Number(options.maxRows);
        if (maxRows !== undefined && (!Number.isInteger(maxRows) || maxRows < 1)) {
          throw new AskDbError(
            "INVALID_INPUT",
            `--max-rows must be a whole number ≥ 1 (got ${options.maxRows})`,
          );
        }
        const logger = options.verbose ? { logger: stderrLogger } : {};
        await withAskDb(command, { db: options.db, model: options.model, ...logger }, async (askdb) => {
          const answer = await askdb.ask(question, {
            useGrammar: options.grammar,
            useExamples: options.examples,
            useRepair: options.repair,
            useCache: options.cache,
            maxRows,
            conversationId: options.conversation,
          });
          if (options.json) printJson(answer);
          else printAnswer(answer);
        });
      }),
    );
}
