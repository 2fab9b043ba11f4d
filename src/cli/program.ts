import { Command } from "commander";
import { commands } from "./commands/index.js";
import { readPackageVersion } from "./version.js";

/** The width the examples and notes of every command are written for. */
export const HELP_WIDTH = 100;

/** A terminal's width up to HELP_WIDTH; HELP_WIDTH when piped, so descriptions wrap where the notes do. */
function helpWidth(stream: NodeJS.WriteStream): number {
  return stream.isTTY ? Math.min(stream.columns, HELP_WIDTH) : HELP_WIDTH;
}

export function createProgram(): Command {
  const program = new Command("askdb")
    .description(
      "Ask questions about a SQLite database in plain language. A local model writes the SQL; " +
        "askdb runs it read-only and shows the rows. Nothing leaves your machine.",
    )
    .configureOutput({
      getOutHelpWidth: () => helpWidth(process.stdout),
      getErrHelpWidth: () => helpWidth(process.stderr),
    })
    .version(readPackageVersion())
    .option(
      "--data-dir <dir>",
      "where askdb keeps its state and models (default: $ASKDB_HOME or the OS app-data folder)",
    )
    .showHelpAfterError("(run `askdb --help` for usage)")
    .addHelpText(
      "after",
      `
Examples:
  askdb serve                                   serve the web UI and API on the demo database
  askdb ask --db shop.sqlite "top 5 customers by revenue"
  askdb sql --db shop.sqlite "SELECT count(*) FROM invoices"
  askdb models pull qwen2.5-coder-1.5b          download the recommended model`,
    );
  for (const register of commands) register(program);
  return program;
}
