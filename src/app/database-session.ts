import { basename } from "node:path";
import {
  assertSqliteFile,
  suggestChart,
  type Answer,
  type DatabaseSchema,
  type DatabaseTools,
  type HistoryEntry,
  type KnowledgeItem,
  type NewKnowledge,
  type TextToSql,
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

/**
 * One user database as askdb serves it: questions, training data, history and plain SQL with the
 * limits of the settings. The database itself is opened once, by the text-to-SQL pipeline.
 */
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
  schema(): Promise<DatabaseSchema>;
  /** list_tables, describe_table and run_sql, as an assistant (MCP, chat) calls them. */
  tools(): Promise<DatabaseTools>;
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

  return {
    info,
    ask: (question, ask = {}) =>
      textToSql.ask(info.path, question, {
        ...limits(),
        deadlineMs: settings.get("query.deadlineMs"),
        useGrammar: settings.get("query.grammar"),
        ...withoutUnset(ask),
        // A page's text is untrusted and changes the answer: such answers are never cached.
        useCache: ask.context === undefined && ask.useCache !== false,
        conversationId: ask.conversationId ?? newId("conv"),
      }),
    run: async (sql, runOptions = {}) => {
      const result = await textToSql.run(info.path, sql, {
        ...limits(),
        ...(runOptions.limit ? { maxRows: runOptions.limit } : {}),
        ...(runOptions.timeoutMs ? { timeoutMs: runOptions.timeoutMs } : {}),
        ...(runOptions.signal ? { signal: runOptions.signal } : {}),
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
    schema: () => textToSql.schema(info.path),
    tools: () => textToSql.tools(info.path),
  };
}

/** Options left out (undefined) keep the settings' values. */
function withoutUnset<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function matches(item: KnowledgeItem, q: string): boolean {
  const needle = q.toLowerCase();
  return [item.question, item.content, item.title].some((text) => text?.toLowerCase().includes(needle));
}
