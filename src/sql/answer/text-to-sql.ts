import type { Engine } from "../../engine/index.js";
import type { Store } from "../../store/index.js";
import type { QueryExecutorOptions, QueryResult } from "../guard/index.js";
import {
  KnowledgeStore,
  type KnowledgeItem,
  type KnowledgeKind,
  type TrainingMaterial,
} from "../knowledge/index.js";
import type { DatabaseSchema } from "../schema/index.js";
import type { DatabaseTools } from "../tools/index.js";
import { createAsking } from "./asking.js";
import { AnswerCache } from "./cache.js";
import { DatabaseRegistry, executeOn, toolsOf } from "./databases.js";
import { Embedder } from "./embedder.js";
import { createFeedback, type Feedback } from "./feedback.js";
import { HistoryLog, type HistoryEntry } from "./history.js";
import { createKnowledgeBase, type NewKnowledge } from "./knowledge.js";
import { trainDatabase, type TrainReport } from "./training.js";
import type { Answer, AnswerLogger, AskOptions } from "./types.js";
import { createSqlWriter, type SqlWriterOptions } from "./writing.js";

export interface TextToSqlOptions extends SqlWriterOptions {
  store: Store;
  /** Without an engine, only the fast paths answer (cache, near-duplicate trained questions). */
  engine?: Engine;
  /** The model's name as the cache knows it (an installed model id or a file); a function when it can change. */
  model?: string | (() => string | undefined);
  logger?: AnswerLogger;
  limits?: QueryExecutorOptions;
}

export interface ConnectInfo {
  dbId: string;
  path: string;
  fingerprint: string;
  tables: number;
  knowledgeVersion: number;
  knowledgeItems: number;
}

/** What the history retention deleted (see `purgeHistory`). */
export interface PurgedAnswers {
  history: number;
  cachedAnswers: number;
}

export interface TextToSql {
  connect(dbPath: string): Promise<ConnectInfo>;
  ask(dbPath: string, question: string, options?: AskOptions): Promise<Answer>;
  /** One read-only query through the guard, on the same connection the answers use. */
  run(
    dbPath: string,
    sql: string,
    options?: Pick<AskOptions, "maxRows" | "timeoutMs" | "signal">,
  ): Promise<QueryResult>;
  schema(dbPath: string): Promise<DatabaseSchema>;
  /** list_tables, describe_table and run_sql, as an assistant (MCP, chat) calls them. */
  tools(dbPath: string): Promise<DatabaseTools>;
  train(dbPath: string, material: TrainingMaterial): Promise<TrainReport>;
  knowledge: {
    list(dbPath: string, kind?: KnowledgeKind): Promise<KnowledgeItem[]>;
    add(dbPath: string, item: NewKnowledge): Promise<KnowledgeItem>;
    remove(dbPath: string, ids: string[]): Promise<string[]>;
  };
  feedback: Feedback;
  history(options?: { dbPath?: string; conversationId?: string; limit?: number }): Promise<HistoryEntry[]>;
  /** Deletes questions and cached answers created before `cutoff` (all of them when null): the retention setting's owner hook. */
  purgeHistory(cutoff: Date | null): PurgedAnswers;
  /**
   * Before the first question: loads the model, reads the database's values and evaluates its
   * stable prompt, which the model keeps, so that the first question evaluates only its own part.
   */
  warm(dbPath: string, options?: { signal?: AbortSignal }): Promise<void>;
  close(): Promise<void>;
}

/** askdb's text-to-SQL: asking, training, knowledge, feedback and history over connected databases. */
export function createTextToSql(options: TextToSqlOptions): TextToSql {
  const knowledgeStore = new KnowledgeStore(options.store);
  const registry = new DatabaseRegistry(knowledgeStore, options.limits ?? {});
  const knowledge = createKnowledgeBase(knowledgeStore, registry);
  const history = new HistoryLog(options.store);
  const cache = new AnswerCache(options.store);
  const writer = createSqlWriter({ engine: options.engine, registry, history, options });
  const ask = createAsking({
    knowledge,
    writer,
    embedder: new Embedder(options.engine, knowledgeStore),
    cache,
    history,
    logger: options.logger ?? { info: () => {} },
    modelLabel: () => (typeof options.model === "function" ? options.model() : options.model) ?? "default",
    values: (db) => registry.values(db),
  });

  return {
    async connect(dbPath) {
      const db = await knowledge.database(dbPath);
      return {
        dbId: db.record.id,
        path: db.path,
        fingerprint: db.schema.fingerprint,
        tables: db.schema.tables.length,
        knowledgeVersion: db.index.version,
        knowledgeItems: db.index.size,
      };
    },
    ask,
    run: async (dbPath, sql, runOptions = {}) =>
      (await executeOn(await knowledge.database(dbPath), sql, runOptions)).outcome,
    schema: async (dbPath) => (await knowledge.database(dbPath)).schema,
    tools: async (dbPath) => toolsOf(await knowledge.database(dbPath)),
    train: (dbPath, material) => trainDatabase(knowledge, dbPath, material),
    knowledge: { list: knowledge.list, add: knowledge.add, remove: knowledge.remove },
    feedback: createFeedback({ store: options.store, history, knowledge, knowledgeStore }),
    async history(query = {}) {
      const dbId = query.dbPath ? knowledgeStore.databaseByPath(query.dbPath)?.id : undefined;
      if (query.dbPath && !dbId) return [];
      return history.list({
        ...(dbId ? { dbId } : {}),
        ...(query.conversationId ? { conversationId: query.conversationId } : {}),
        ...(query.limit ? { limit: query.limit } : {}),
      });
    },
    purgeHistory: (cutoff) => ({ history: history.purge(cutoff), cachedAnswers: cache.purge(cutoff) }),
    warm: async (dbPath, warmOptions = {}) =>
      writer.warm(await knowledge.database(dbPath), warmOptions.signal),
    close: () => registry.close(),
  };
}
