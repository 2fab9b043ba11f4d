import type { Command } from "commander";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import pc from "picocolors";
import { DEMO_EVAL_FILE } from "../../../demo/index.js";
import { AskDbError } from "../../../errors/index.js";
import type { AskDb } from "../../../app/index.js";
import {
  loadEvalQuestions,
  parsePairs,
  pipelineAnswerer,
  plainAnswerer,
  runEval,
  type EvalAnswerer,
  type EvalQuestion,
  type EvalRecord,
  type EvalSummary,
  type PairsByDatabase,
  type TextToSql,
} from "../../../sql/index.js";
import { withAskDb } from "../../askdb.js";
import { printJson, runCommand } from "../../output.js";
import { registerCompare } from "./compare.js";
import { readRecords } from "./records.js";

interface EvalOptions {
  questions?: string;
  dbDir?: string;
  db?: string;
  model?: string;
  limit?: string;
  trainPairs?: string;
  grammar: boolean;
  examples: boolean;
  repair: boolean;
  values: boolean;
  questionTokens?: string;
  deadline?: string;
  plain?: boolean;
  out?: string;
  resume?: boolean;
  json?: boolean;
}

function positive(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new AskDbError("INVALID_INPUT", `${flag} must be a whole number ≥ 1 (got ${value})`);
  return n;
}

/** The pairs of `--train-pairs`, by the database they name (Spider's db_id) or --db. */
function pairsByDatabase(file: string, questions: EvalQuestion[], db: string | undefined): PairsByDatabase {
  const text = readFileSync(file, "utf8");
  const pairs = parsePairs(text, file);
  const entries = JSON.parse(text) as Array<{ db_id?: string }>;
  const pathOf = new Map(questions.map((q) => [q.dbId, q.dbPath]));
  const byDb: PairsByDatabase = new Map();
  pairs.forEach((pair, i) => {
    const path = db ?? pathOf.get(entries[i].db_id ?? "");
    if (path) byDb.set(path, [...(byDb.get(path) ?? []), pair]);
  });
  return byDb;
}

async function trainPairs(textToSql: TextToSql, pairs: PairsByDatabase): Promise<void> {
  for (const [path, dbPairs] of pairs)
    await textToSql.train(path, { ddl: [], documentation: [], pairs: dbPairs });
}

function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function printSummary(summary: EvalSummary, model: string): void {
  const sources = Object.entries(summary.bySource)
    .map(([source, n]) => `${source} ${n}`)
    .join(", ");
  process.stdout.write(
    [
      `model: ${model}`,
      `questions: ${summary.total}${summary.goldErrors ? ` (${summary.goldErrors} with failing gold SQL)` : ""}`,
      `execution accuracy: ${percent(summary.executionAccuracy)} (${summary.matched}/${summary.total})`,
      `valid SQL: ${percent(summary.validSqlShare)}`,
      `time per question: p50 ${(summary.p50Ms / 1000).toFixed(2)}s, p95 ${(summary.p95Ms / 1000).toFixed(2)}s`,
      `cut short by the deadline: ${summary.cut}`,
      `warm-up (model load, each database's shared prompt; not in the times above): ${(summary.warmupMs / 1000).toFixed(1)}s`,
      `answered by: ${sources}`,
      "",
    ].join("\n"),
  );
}

/** One line per scored question, with the running accuracy, on stderr. */
function progressPrinter(): (record: EvalRecord, index: number, total: number) => void {
  let matched = 0;
  return (record, index, total) => {
    if (record.match) matched += 1;
    const mark = record.match ? pc.green("✓") : record.valid ? pc.yellow("✗") : pc.red("!");
    const running = pc.dim(`${percent(matched / (index + 1))} so far`);
    process.stderr.write(`${mark} ${index + 1}/${total} ${running} ${record.question}\n`);
  };
}

/** Lines of an earlier run's --out file, for --resume. */
function readDone(file: string | undefined, resume: boolean | undefined): EvalRecord[] {
  if (!resume) return [];
  if (!file) throw new AskDbError("INVALID_INPUT", "--resume needs --out FILE: the results to resume from");
  return existsSync(file) ? readRecords(file) : [];
}

function answererOf(options: EvalOptions, askdb: AskDb, pairs: PairsByDatabase): EvalAnswerer {
  if (!options.plain) {
    const questionTokens = positive(options.questionTokens, "--question-tokens");
    const deadlineMs = positive(options.deadline, "--deadline");
    return pipelineAnswerer(askdb.textToSql, {
      useGrammar: options.grammar,
      useExamples: options.examples,
      useRepair: options.repair,
      useValueHints: options.values,
      ...(questionTokens ? { questionTokens } : {}),
      ...(deadlineMs ? { deadlineMs } : {}),
    });
  }
  if (!options.model && !askdb.models.getActive("llm"))
    throw new AskDbError("NO_MODEL", "--plain measures a model alone: give --model or install one");
  return plainAnswerer(askdb.engine, pairs);
}

export function registerEvalCommand(program: Command): void {
  const evalCommand = program
    .command("eval")
    .description("Measure text-to-SQL accuracy on held-out questions (execution accuracy, Spider's rule)")
    .option(
      "--questions <file>",
      "questions: Spider's [{db_id, question, query}] or [{question, sql}] with --db (default: the demo's held-out set)",
    )
    .option("--db-dir <dir>", "Spider layout: the database of db_id X is DIR/X/X.sqlite")
    .option("--db <file>", "the database of every question (default with no --questions: the demo database)")
    .option("--model <id|file>", "an installed model id or a GGUF file (default: the active model)")
    .option("--limit <n>", "ask only the first N questions")
    .option(
      "--train-pairs <file>",
      "question/SQL pairs to train first (Spider's format or [{question, sql}]); with --plain, the 5 most like each question are pasted into its prompt",
    )
    .option("--grammar", "decode under the database's SQL grammar (off by default)", false)
    .option("--no-grammar", "let the model write freely (the default)")
    .option("--no-examples", "do not retrieve or reuse trained question/SQL pairs")
    .option("--no-repair", "no further tries when the first SQL fails or finds no rows")
    .option("--no-values", "do not tell the model which database values the question names")
    .option(
      "--question-tokens <n>",
      "tokens for examples, documentation and hints per question (default 512)",
    )
    .option("--deadline <ms>", "time per question for tries after the first answer (default 15000)")
    .option(
      "--plain",
      "the model alone: CREATE statements + question, greedy, no askdb pipeline (the baseline)",
    )
    .option(
      "--out <file>",
      "write one JSON line per question as it is scored (db_id, question, gold, predicted, match, error, timings)",
    )
    .option("--resume", "skip the questions already in the --out file and append the rest")
    .option("--json", "print the summary as JSON")
    .addHelpText(
      "after",
      `
Examples:
  askdb eval                                             the demo's held-out questions
  askdb eval --questions dev.json --db-dir spider/database --limit 100 --out results.jsonl
  askdb eval --plain --model qwen2.5-coder-1.5b         the model alone, the baseline for every figure
  askdb eval --plain --train-pairs pairs.json …          the model alone shown the trained pairs most like each question
  askdb eval --no-values --no-examples --grammar         measure what each part contributes
  askdb eval --out results.jsonl --resume                go on after an interrupted run
  askdb eval compare before.jsonl after.jsonl            did a change help: won, lost, and whether more than chance

Training, history and answers of an evaluation live in a scratch store that is deleted at the end:
your own training data is neither used nor changed (the demo's training folder is used for the demo).`,
    )
    .action((options: EvalOptions, command: Command) =>
      runCommand(options.json === true, async () => {
        const limit = positive(options.limit, "--limit");
        if (options.questions && !options.db && !options.dbDir) {
          throw new AskDbError("INVALID_INPUT", "--questions needs --db-dir (Spider's format) or --db", {
            hint: "e.g. askdb eval --questions dev.json --db-dir spider/database",
          });
        }
        const file = options.questions ?? DEMO_EVAL_FILE;
        // Only the demo's own questions (no --questions) default to the demo database.
        const openDatabase = !options.questions || options.db !== undefined;
        const opened = { db: options.db, openDatabase, model: options.model, scratchKnowledge: true };
        await withAskDb(command, opened, async (askdb) => {
          const db = options.questions && !options.db ? undefined : askdb.database().path;
          const all = loadEvalQuestions(file, { db, dbDir: options.dbDir });
          const questions = limit ? all.slice(0, limit) : all;
          const pairs = options.trainPairs ? pairsByDatabase(options.trainPairs, questions, db) : new Map();
          if (!options.plain) await trainPairs(askdb.textToSql, pairs);
          const done = readDone(options.out, options.resume);
          const out = options.out;
          if (out && !options.resume) writeFileSync(out, "");
          const progress = options.json ? undefined : progressPrinter();
          const { summary } = await runEval(questions, {
            ...answererOf(options, askdb, pairs),
            done,
            onRecord: (record, index, total) => {
              if (out && !done.includes(record)) appendFileSync(out, `${JSON.stringify(record)}\n`);
              progress?.(record, index, total);
            },
          });
          const model = options.model ?? askdb.models.getActive("llm")?.id ?? "none (trained examples only)";
          if (options.json) printJson({ model, ...summary });
          else printSummary(summary, model);
        });
      }),
    );
  registerCompare(evalCommand);
}
