import type { Command } from "commander";
import { AskDbError } from "../../errors/index.js";
import type { KnowledgeKind } from "../../sql/index.js";
import { printJson, printTable, runCommand } from "../output.js";
import { withAskDb } from "../askdb.js";

const KINDS: KnowledgeKind[] = ["ddl", "documentation", "question_sql"];

interface ListOptions {
  db?: string;
  kind?: string;
  json?: boolean;
}

function kindOf(value: string | undefined): KnowledgeKind | undefined {
  if (value === undefined) return undefined;
  if (!KINDS.includes(value as KnowledgeKind)) {
    throw new AskDbError("INVALID_INPUT", `--kind must be one of ${KINDS.join(", ")} (got ${value})`);
  }
  return value as KnowledgeKind;
}

function oneLine(text: string, width: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

export function registerKnowledgeCommand(program: Command): void {
  const knowledge = program
    .command("knowledge")
    .description("List or remove what askdb was trained with for a database")
    .addHelpText(
      "after",
      `
Examples:
  askdb knowledge list --db shop.sqlite
  askdb knowledge list --db shop.sqlite --kind question_sql
  askdb knowledge rm --db shop.sqlite kn_71d042dd05944180b93b

Add training with \`askdb train\`; see docs/your-own-database.md.`,
    );
  knowledge
    .command("list")
    .description("List the DDL, documentation and question/SQL pairs of a database")
    .option("--db <file>", "the SQLite database (default: the demo database)")
    .option("--kind <kind>", `only this kind: ${KINDS.join(", ")}`)
    .option("--json", "print the items as JSON")
    .addHelpText(
      "after",
      `
Examples:
  askdb knowledge list                                 the demo database
  askdb knowledge list --db shop.sqlite --kind documentation
  askdb knowledge list --db shop.sqlite --json`,
    )
    .action((options: ListOptions, command: Command) =>
      runCommand(options.json === true, async () => {
        const kind = kindOf(options.kind);
        await withAskDb(command, { db: options.db }, async (askdb) => {
          const items = await askdb.textToSql.knowledge.list(askdb.database().path, kind);
          if (options.json) {
            printJson(items);
            return;
          }
          printTable(
            ["id", "kind", "source", "text"],
            items.map((item) => [
              item.id,
              item.kind,
              item.source,
              oneLine(
                item.question
                  ? `${item.question} → ${item.content}`
                  : `${item.title ? `${item.title}: ` : ""}${item.content}`,
                90,
              ),
            ]),
          );
        });
      }),
    );
  knowledge
    .command("rm")
    .description("Remove knowledge items by id (see `askdb knowledge list`)")
    .argument("<ids...>", "one or more item ids")
    .option("--db <file>", "the SQLite database (default: the demo database)")
    .option("--json", "print {removed} as JSON")
    .addHelpText(
      "after",
      `
Examples:
  askdb knowledge rm --db shop.sqlite kn_71d042dd05944180b93b
  askdb knowledge rm --db shop.sqlite kn_1 kn_2 --json`,
    )
    .action((ids: string[], options: { db?: string; json?: boolean }, command: Command) =>
      runCommand(options.json === true, async () => {
        await withAskDb(command, { db: options.db }, async (askdb) => {
          const removed = await askdb.textToSql.knowledge.remove(askdb.database().path, ids);
          if (options.json) printJson({ removed });
          else process.stdout.write(`Removed ${removed.length} item(s).\n`);
        });
      }),
    );
}
