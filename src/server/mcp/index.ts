import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { AskDb } from "../../app/index.js";
import { describeError, toAskDbError } from "../../errors/index.js";
import type { QueryResult } from "../../sql/index.js";

/** Rows shown in the text of an answer; the structured result carries every row returned. */
const ROWS_IN_TEXT = 50;
const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const;

/**
 * askdb as a Model Context Protocol server: an assistant (Claude Desktop, an IDE) can ask the
 * database in plain language, run read-only SQL, and look at its tables. The table tools are the
 * same ones askdb's own chat assistant uses.
 */
export function createMcpServer(askdb: AskDb): McpServer {
  const server = new McpServer({ name: "askdb", version: askdb.version });
  const database = askdb.database().name;

  server.registerTool(
    "ask",
    {
      title: "Ask the database",
      description: `Answer a question about the SQLite database "${database}" in plain language: askdb writes the SQL with its local model (or reuses a trained example), runs it read-only, and returns the SQL and the rows.`,
      inputSchema: {
        question: z
          .string()
          .min(1)
          .max(4000)
          .describe("the question, e.g. 'which 5 products sold most last month?'"),
        conversationId: z
          .string()
          .max(100)
          .optional()
          .describe("from an earlier answer: makes 'and last year?' a follow-up"),
      },
      annotations: READ_ONLY,
    },
    ({ question, conversationId }, extra) =>
      guarded(async () => {
        const answer = await askdb.ask(question, { conversationId, signal: extra.signal });
        return {
          content: [
            { type: "text", text: `SQL (${answer.source}):\n${answer.sql}\n\n${renderRows(answer)}` },
          ],
          structuredContent: { ...answer },
        };
      }),
  );

  server.registerTool(
    "run_sql",
    {
      title: "Run read-only SQL",
      description: `Run one SELECT statement on "${database}". Anything that could write (INSERT, UPDATE, ATTACH, PRAGMA writes…) is refused.`,
      inputSchema: {
        sql: z.string().min(1).max(100_000).describe("one SQLite SELECT (or WITH … SELECT) statement"),
        max_rows: z.number().int().min(1).max(50).optional().describe("rows to return, at most 50"),
      },
      annotations: READ_ONLY,
    },
    (args, extra) => callDatabaseTool(askdb, "run_sql", args, extra.signal),
  );

  server.registerTool(
    "list_tables",
    {
      title: "List tables",
      description: `The tables and views of "${database}", with row counts and columns.`,
      inputSchema: {},
      annotations: READ_ONLY,
    },
    (_args, extra) => callDatabaseTool(askdb, "list_tables", {}, extra.signal),
  );

  server.registerTool(
    "describe_table",
    {
      title: "Describe a table",
      description: "One table's CREATE statement: columns, types, keys, foreign keys and example values.",
      inputSchema: {
        table: z.string().min(1).max(200).describe("the table's name, as list_tables shows it"),
      },
      annotations: READ_ONLY,
    },
    (args, extra) => callDatabaseTool(askdb, "describe_table", args, extra.signal),
  );

  return server;
}

/** Serves MCP on stdin/stdout until the client disconnects. */
export async function serveMcpOverStdio(askdb: AskDb): Promise<void> {
  const server = createMcpServer(askdb);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  await server.connect(transport);
  process.stdin.once("end", () => void server.close());
  await closed;
}

async function callDatabaseTool(
  askdb: AskDb,
  name: string,
  args: Record<string, unknown>,
  signal: AbortSignal,
): Promise<CallToolResult> {
  return guarded(async () => {
    const output = await (await askdb.tools()).call(name, args, { signal });
    return {
      content: [{ type: "text", text: output.content }],
      isError: output.isError,
      ...(output.result ? { structuredContent: { ...output.result } } : {}),
    };
  });
}

async function guarded(run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await run();
  } catch (error) {
    const typed = toAskDbError(error);
    return { isError: true, content: [{ type: "text", text: `error: ${describeError(typed)}` }] };
  }
}

/** A small Markdown table of the first rows, for assistants that read text. */
function renderRows(result: Pick<QueryResult, "columns" | "rows" | "rowCount" | "truncated">): string {
  if (result.columns.length === 0) return "(no columns)";
  const header = `| ${result.columns.map((c) => c.name).join(" | ")} |`;
  const rule = `| ${result.columns.map(() => "---").join(" | ")} |`;
  const rows = result.rows.slice(0, ROWS_IN_TEXT).map((row) => `| ${row.map(cellText).join(" | ")} |`);
  const shown = Math.min(result.rows.length, ROWS_IN_TEXT);
  const more = result.rowCount > shown || result.truncated;
  return (
    [header, rule, ...rows].join("\n") +
    (more
      ? `\n(showing ${shown} of ${result.rowCount}${result.truncated ? "+" : ""} rows)`
      : `\n(${result.rowCount} rows)`)
  );
}

function cellText(value: unknown): string {
  if (value === null) return "NULL";
  if (typeof value === "object") return `<blob ${(value as { $blob: number }).$blob} bytes>`;
  return String(value).replace(/\|/g, "\\|").replace(/\n/g, " ");
}
