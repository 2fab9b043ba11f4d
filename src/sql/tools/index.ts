import type { ToolDefinition } from "../../engine/index.js";
import { AskDbError, toAskDbError } from "../../errors/index.js";
import type { UserDatabase } from "../connect/index.js";
import type { QueryExecutor, QueryResult } from "../guard/index.js";
import { introspectSchema, renderSchemaDdl, type DatabaseSchema } from "../schema/index.js";

/** What a tool call gives back: text for the model, and the rows when a query ran (for the UI). */
export interface ToolOutput {
  content: string;
  isError: boolean;
  result?: QueryResult;
}

export interface DatabaseTools {
  definitions: ToolDefinition[];
  /** Runs one tool call. Failures come back as `isError` text the model can act on, never as a throw. */
  call(name: string, args: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<ToolOutput>;
}

/** Rows shown to the model at most per run_sql call (the UI gets the full result). */
const MAX_ROWS_FOR_MODEL = 50;

const DEFINITIONS: ToolDefinition[] = [
  {
    name: "list_tables",
    description: "List the tables and views of the database with their row counts and columns.",
    parameters: { type: "object", properties: {}, additionalProperties: false },
  },
  {
    name: "describe_table",
    description: "Show one table's CREATE statement: columns, types, keys, foreign keys and example values.",
    parameters: {
      type: "object",
      properties: { table: { type: "string", description: "table or view name" } },
      required: ["table"],
      additionalProperties: false,
    },
  },
  {
    name: "run_sql",
    description: "Run one read-only SQLite SELECT query and return its rows (writes are refused).",
    parameters: {
      type: "object",
      properties: {
        sql: { type: "string", description: "a single SELECT (or WITH … SELECT) statement" },
        max_rows: {
          type: "integer",
          minimum: 1,
          maximum: MAX_ROWS_FOR_MODEL,
          description: `rows to return, at most ${MAX_ROWS_FOR_MODEL}`,
        },
      },
      required: ["sql"],
      additionalProperties: false,
    },
  },
];

/** The database tools the chat assistant can call: list_tables, describe_table, run_sql. */
export function createDatabaseTools(executor: QueryExecutor, database: UserDatabase): DatabaseTools {
  let schema: DatabaseSchema | undefined;
  const currentSchema = () => (schema ??= introspectSchema(database.db));

  const handlers: Record<
    string,
    (args: Record<string, unknown>, signal?: AbortSignal) => Promise<ToolOutput> | ToolOutput
  > = {
    list_tables: () => ({ content: listTables(currentSchema()), isError: false }),
    describe_table: (args) => ({
      content: describeTable(currentSchema(), stringArgument(args, "table")),
      isError: false,
    }),
    run_sql: async (args, signal) => {
      const maxRows = Math.min(
        Number(args.max_rows ?? MAX_ROWS_FOR_MODEL) || MAX_ROWS_FOR_MODEL,
        MAX_ROWS_FOR_MODEL,
      );
      const result = await executor.execute(stringArgument(args, "sql"), { maxRows, signal });
      return {
        content: JSON.stringify({
          columns: result.columns.map((c) => c.name),
          rows: result.rows,
          rowCount: result.rowCount,
          truncated: result.truncated,
        }),
        isError: false,
        result,
      };
    },
  };

  return {
    definitions: DEFINITIONS,
    async call(name, args, options = {}) {
      const handler = handlers[name];
      if (!handler)
        return {
          content: `error: unknown tool "${name}"; the tools are ${Object.keys(handlers).join(", ")}`,
          isError: true,
        };
      try {
        return await handler(args ?? {}, options.signal);
      } catch (error) {
        const failure = toAskDbError(error);
        if (failure.code === "CANCELLED") throw failure;
        return {
          content: `error: ${failure.message}${failure.hint ? ` (${failure.hint})` : ""}`,
          isError: true,
        };
      }
    },
  };
}

function listTables(schema: DatabaseSchema): string {
  return schema.tables
    .map((table) => {
      const rows = table.rowCount === null ? table.kind : `${table.rowCount} rows`;
      return `${table.name} (${rows}): ${table.columns.map((column) => column.name).join(", ")}`;
    })
    .join("\n");
}

function describeTable(schema: DatabaseSchema, name: string): string {
  const table = schema.tables.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
  if (!table) {
    throw new AskDbError("NOT_FOUND", `no table or view named "${name}"`, {
      hint: `the tables are: ${schema.tables.map((candidate) => candidate.name).join(", ")}`,
    });
  }
  return renderSchemaDdl(schema, { tables: [table.name] });
}

function stringArgument(args: Record<string, unknown>, key: string): string {
  const value = args[key];
  if (typeof value !== "string" || value.trim() === "") {
    throw new AskDbError("INVALID_INPUT", `the argument "${key}" must be a non-empty string`);
  }
  return value;
}
