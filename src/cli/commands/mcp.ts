import type { Command } from "commander";
import { serveMcpOverStdio } from "../../server/index.js";
import { openAskDb } from "../askdb.js";
import { runCommand } from "../output.js";

export function registerMcpCommand(program: Command): void {
  program
    .command("mcp")
    .description(
      "Serve the Model Context Protocol over stdio (tools: ask, run_sql, list_tables, describe_table)",
    )
    .option("--db <file>", "the SQLite database to expose (default: the demo database)")
    .addHelpText(
      "after",
      `
Examples:
  askdb mcp --db shop.sqlite

  In an MCP client's configuration (e.g. Claude Desktop):
  { "mcpServers": { "askdb": { "command": "askdb", "args": ["mcp", "--db", "/path/to/shop.sqlite"] } } }`,
    )
    .action((options: { db?: string }, command: Command) =>
      runCommand(false, async () => {
        // stdout carries the protocol: progress notes go to stderr.
        const askdb = await openAskDb(command, {
          mode: "service",
          db: options.db,
          onProgress: (line) => process.stderr.write(`${line}\n`),
        });
        try {
          await serveMcpOverStdio(askdb);
        } finally {
          await askdb.close();
        }
      }),
    );
}
