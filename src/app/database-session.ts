import { basename } from "node:path";
import {
  acceptDoubleQuotedLiterals,
  assertSqliteFile,
  createDatabaseTools,
  createQueryExecutor,
  introspectSchema,
  openUserDatabase,
  suggestChart,
  type Answer,
  type DatabaseSchema,
  type DatabaseTools,
  type HistoryEntry,
  type KnowledgeItem,
  type NewKnowledge,
  type QueryExecutor,
  type TextToSql,
  type UserDatabase,
} from "../sql/index.js";
import type { SettingsService } from "../settings/index.js";
import { newId } from "../util/index.js";
import type {
  AskOptions,
  DatabaseInfo,
  FeedbackInput,
  KnowledgeQuery,
  Page,
  SqlRun,
  SqlRunOptions,
} from "./types.js";

/** One user database: questions, training data, history and plain SQL, all read-only on the file. */
export interface DatabaseSession {
  readonly info: DatabaseInfo;
  ask(question: string, options?: AskOptions): Promise<Answer>;
  run(sql: string, options?: SqlRunOptions): Promise<SqlRun>;
  train(item: NewKnowledge): Promise<KnowledgeItem>;
  knowledge(query: KnowledgeQuery): Promise<Page<KnowledgeItem>>;
  removeKnowledge(id: string): Promise<void>;
  feedback(input: FeedbackInput): Promise<KnowledgeItem>;
  history(query: { limit?: number; conversationId?: string }): Promise<HistoryEntry[]>;
  /** Counts for /status: schema items (trained) and user-given items (pairs, documentation). */
  trainingCounts(): Promise<{ schema: number; examples: number }>;
  schema(): DatabaseSchema;
  /** list_tables, describe_table and run_sql, as an assistant (MCP, chat) calls them. */
  tools(): DatabaseTools;
  close(): Promise<void>;
}

export interface SessionOptions {
  demo: boolean;
  settings: SettingsService;
  textToSql: TextToSql;
}

export async function openDatabaseSession(path: string, options: SessionOptions): Promise<DatabaseSession> {
  const { settings, textToSql } = options;
  assertSqliteFile(path);
  const connected = await textToSql.connect(path);
  let connection: UserDatabase | undefined;
  let executor: QueryExecutor | undefined;
  let schema: DatabaseSchema | undefined;
  let tools: DatabaseTools | undefined;
  const info: DatabaseInfo = {
    id: connected.dbId,
    name: basename(connected.path).replace(/\.(sqlite3?|db)$/i, ""),
    path: connected.path,
    demo: options.demo,
  };
  const limits = () => ({
    maxRows: settings.get("query.maxRows"),
    timeoutMs: settings.get("query.timeoutMs"),
  });

  /** A snapshot of a WAL database goes stale when another program writes the file: reopen it. */
  function userDatabase(): UserDatabase {
    if (connection?.isStale()) {
      connection.close();
      connection = undefined;
      schema = undefined;
      tools = undefined;
    }
    return (connection ??= openUserDatabase(info.path));
  }

  /** Started on the first plain query: the pipeline has its own executor for questions. */
  const queryExecutor = () => (executor ??= createQueryExecutor(info.path));

  return {
    info,
    ask: (question, askOptions = {}) =>
      textToSql.ask(info.path, question, {
        ...limits(),
        deadlineMs: settings.get("query.deadlineMs"),
        useGrammar: settings.get("query.grammar"),
        signal: askOptions.signal,
        onEvent: askOptions.onEvent,
        context: askOptions.context,
        useCache: askOptions.context === undefined,
        conversationId: askOptions.conversationId ?? newId("conv"),
      }),
    run: async (sql, runOptions = {}) => {
      const result = await queryExecutor().execute(acceptDoubleQuotedLiterals(userDatabase().db, sql), {
        ...limits(),
        ...(runOptions.limit ? { maxRows: runOptions.limit } : {}),
        signal: runOptions.signal,
      });
      return { ...result, chart: suggestChart(result) };
    },
    train: (item) => textToSql.knowledge.add(info.path, item),
    knowledge: async ({ kind, q, limit, offset }) => {
      const all = await textToSql.knowledge.list(info.path, kind);
      const matching = q ? all.filter((item) => matches(item, q)) : all;
      return { items: matching.slice(offset, offset + limit), total: matching.length };
    },
    removeKnowledge: async (id) => void (await textToSql.knowledge.remove(info.path, [id])),
    feedback: (input) =>
      input.verdict === "correct"
        ? textToSql.feedback.markCorrect(input.historyId)
        : textToSql.feedback.correct(input.historyId, input.sql),
    history: (query) => textToSql.history({ dbPath: info.path, ...query }),
    trainingCounts: async () => {
      const all = await textToSql.knowledge.list(info.path);
      const schemaItems = all.filter((item) => item.source === "schema").length;
      return { schema: schemaItems, examples: all.length - schemaItems };
    },
    schema: () => (schema ??= introspectSchema(userDatabase().db)),
    tools: () => (tools ??= createDatabaseTools(queryExecutor(), userDatabase())),
    close: async () => {
      await executor?.close();
      connection?.close();
    },
  };
}

function matches(item: KnowledgeItem, q: string): boolean {
  const needle = q.toLowerCase();
  return [item.question, item.content, item.title].some((text) => text?.toLowerCase().includes(needle));
}
