import type { Command } from "commander";
import pc from "picocolors";
import { AskDbError } from "../../errors/index.js";
import {
  readDdlFile,
  readDocumentationFile,
  readPairsFile,
  readTrainingDirectory,
  type TrainingMaterial,
  type TrainReport,
} from "../../sql/index.js";
import { printJson, runCommand } from "../output.js";
import { withAskDb } from "../askdb.js";

interface TrainOptions {
  db?: string;
  dir?: string;
  ddl?: string;
  doc?: string;
  pairs?: string;
  json?: boolean;
}

function materialFrom(options: TrainOptions): TrainingMaterial {
  const given = [options.dir, options.ddl, options.doc, options.pairs].filter((v) => v !== undefined);
  if (given.length !== 1) {
    throw new AskDbError("INVALID_INPUT", "give exactly one of --dir, --ddl, --doc or --pairs", {
      hint: "e.g. askdb train --db shop.sqlite --pairs questions.json",
    });
  }
  if (options.dir) return readTrainingDirectory(options.dir);
  if (options.ddl) return readDdlFile(options.ddl);
  if (options.doc) return readDocumentationFile(options.doc);
  return readPairsFile(options.pairs as string);
}

function printReport(report: TrainReport): void {
  const { ddl, documentation, pairs } = report.added;
  process.stdout.write(
    `Added ${pairs} question/SQL pair(s), ${documentation} documentation section(s), ${ddl} DDL item(s).\n`,
  );
  if (report.skipped > 0) process.stdout.write(pc.dim(`${report.skipped} item(s) were already known.\n`));
  for (const refused of report.refused) {
    process.stdout.write(
      `${pc.yellow("refused:")} ${refused.question}\n  ${pc.dim(refused.sql)}\n  ${refused.reason}\n`,
    );
  }
}

export function registerTrainCommand(program: Command): void {
  program
    .command("train")
    .description("Teach askdb about a database: DDL, documentation (split by heading) and question/SQL pairs")
    .option("--db <file>", "the SQLite database (default: the demo database)")
    .option("--dir <dir>", "a folder with ddl/*.sql, documentation/*.md and question_sql_pairs/*.json")
    .option("--ddl <file>", "a .sql file of CREATE statements")
    .option("--doc <file>", "a markdown file of business rules (one item per heading)")
    .option("--pairs <file>", 'a JSON file [{"question": "…", "sql": "SELECT …"}]')
    .option("--json", "print {added, skipped, refused} as JSON")
    .addHelpText(
      "after",
      `
Examples:
  askdb train --db shop.sqlite --pairs questions.json
  askdb train --db shop.sqlite --doc rules.md
  askdb train --db shop.sqlite --dir training/

A pair is kept only if its SQL is a read-only query that runs on the database; the others are
listed with the reason. Training the same material twice adds nothing.`,
    )
    .action((options: TrainOptions, command: Command) =>
      runCommand(options.json === true, async () => {
        const material = materialFrom(options);
        await withAskDb(command, { db: options.db }, async (askdb) => {
          const report = await askdb.textToSql.train(askdb.database().path, material);
          if (options.json) printJson(report);
          else printReport(report);
          if (
            report.refused.length > 0 &&
            report.added.pairs + report.added.documentation + report.added.ddl === 0 &&
            report.skipped === 0
          ) {
            process.exitCode = 1;
          }
        });
      }),
    );
}
