import { statSync } from "node:fs";
import { openUserDatabase, type UserDatabase } from "../connect/index.js";
import {
  checkSql,
  quoteSpelledNames,
  withDateNames,
  createQueryExecutor,
  type ExecuteOptions,
  type QueryExecutor,
  type QueryExecutorOptions,
  type QueryResult,
} from "../guard/index.js";
import { ddlItems, type DatabaseRecord, type KnowledgeStore } from "../knowledge/index.js";
import type { StablePrompt } from "../prompt/index.js";
import { buildValueIndex, KnowledgeIndex, type ValueIndex } from "../retrieve/index.js";
import { introspectSchema, PROMPT_SCHEMA, renderSchemaDdl, type DatabaseSchema } from "../schema/index.js";
import { createDatabaseTools, type DatabaseTools } from "../tools/index.js";

/** Everything askdb keeps per connected database, built once and reused by every question. */
export interface ConnectedDatabase {
  record: DatabaseRecord;
  path: string;
  schema: DatabaseSchema;
  /** Size and mtime of the file when it was read: a change means re-reading the schema. */
  dataStamp: string;
  user: UserDatabase;
  executor: QueryExecutor;
  index: KnowledgeIndex;
  /** The text values for value linking, read at the first question that needs them. */
  values?: ValueIndex;
  /** The stable prompt prefix, cached per fingerprint, knowledge version and context size. */
  stable?: { key: string; prompt: StablePrompt };
  /** Whether the trained examples show ranking values, per knowledge version (read once, not per question). */
  rankingValues?: { version: number; shown: boolean };
  /** list_tables, describe_table and run_sql for an assistant, made on first use. */
  tools?: DatabaseTools;
}

/**
 * A query run under the guard, after giving the names of days and months it asks of strftime,
 * quoting the names it spells bare and reading double-quoted literals as SQLite's default build does.
 */
export interface ExecutedSql {
  /** The SQL as run (day and month names given, names quoted, double-quoted literals rewritten to single quotes). */
  sql: string;
  outcome: QueryResult;
}

/**
 * The SQL as it would run: names of days and months asked of strftime given (withDateNames), names
 * written bare quoted, double-quoted literals read (quoteSpelledNames).
 */
export function sqlAsRun(db: ConnectedDatabase, written: string): string {
  return quoteSpelledNames(db.user.db, withDateNames(written));
}

export async function executeOn(
  db: ConnectedDatabase,
  written: string,
  options: Pick<ExecuteOptions, "maxRows" | "timeoutMs" | "signal"> = {},
): Promise<ExecutedSql> {
  const sql = sqlAsRun(db, written);
  checkSql(db.user.db, sql);
  const run: ExecuteOptions = {};
  if (options.signal) run.signal = options.signal;
  if (options.timeoutMs) run.timeoutMs = options.timeoutMs;
  if (options.maxRows) run.maxRows = options.maxRows;
  return { sql, outcome: await db.executor.execute(sql, run) };
}

export function toolsOf(db: ConnectedDatabase): DatabaseTools {
  db.tools ??= createDatabaseTools(db.executor, db.user);
  return db.tools;
}

/** Size and mtime; "missing" when the file is gone (opening it then says so clearly). */
function dataStampOf(path: string): string {
  const stat = statSync(path, { throwIfNoEntry: false });
  return stat ? `${stat.size}:${stat.mtimeMs}` : "missing";
}

/** Bumped when the schema items are rendered differently, so stores trained before re-render them. */
const SCHEMA_ITEMS_FORMAT = "prompt-v3";

/** One DDL item per table and view, as the prompt shows it. */
export function schemaKnowledge(schema: DatabaseSchema): ReturnType<typeof ddlItems> {
  return schema.tables.map((table) => ({
    kind: "ddl" as const,
    content: renderSchemaDdl(schema, { ...PROMPT_SCHEMA, tables: [table.name] }),
    title: table.name,
    source: "schema" as const,
  }));
}

/** Opens each database once, trains its schema when it is new or changed, and keeps its index current. */
export class DatabaseRegistry {
  private readonly open = new Map<string, ConnectedDatabase>();

  constructor(
    private readonly knowledge: KnowledgeStore,
    private readonly limits: QueryExecutorOptions,
  ) {}

  async get(path: string): Promise<ConnectedDatabase> {
    const known = this.open.get(path);
    if (known) {
      if (dataStampOf(known.path) !== known.dataStamp || known.user.isStale()) {
        await this.close(path);
        return this.get(path);
      }
      this.refreshIndex(known);
      return known;
    }
    const connected = this.connect(path);
    this.open.set(path, connected);
    return connected;
  }

  /** The database's value index; a changed file is reconnected (see get), so it is never stale. */
  values(db: ConnectedDatabase): ValueIndex {
    db.values ??= buildValueIndex(db.user.db, db.schema);
    return db.values;
  }

  /** Reloads the index when another process (CLI vs server) changed the knowledge. */
  refreshIndex(db: ConnectedDatabase): void {
    const version = this.knowledge.knowledgeVersion(db.record.id);
    if (version === db.index.version) return;
    const fresh = new KnowledgeIndex(version);
    fresh.add(this.knowledge.list(db.record.id));
    db.index = fresh;
  }

  async close(path?: string): Promise<void> {
    const paths = path ? [path] : [...this.open.keys()];
    for (const p of paths) {
      const db = this.open.get(p);
      this.open.delete(p);
      if (!db) continue;
      db.user.close();
      await db.executor.close();
    }
  }

  private connect(path: string): ConnectedDatabase {
    const user = openUserDatabase(path);
    const dataStamp = dataStampOf(path);
    try {
      const schema = introspectSchema(user.db);
      let record = this.knowledge.registerDatabase(path, schema.fingerprint);
      const trainedKey = `${schema.fingerprint}:${SCHEMA_ITEMS_FORMAT}`;
      if (record.trainedFingerprint !== trainedKey) {
        this.knowledge.replaceSchemaItems(record.id, schemaKnowledge(schema), trainedKey);
        record = this.knowledge.database(record.id);
      }
      const index = new KnowledgeIndex(record.knowledgeVersion);
      index.add(this.knowledge.list(record.id));
      const executor = createQueryExecutor(path, this.limits);
      return { record, path, schema, dataStamp, user, executor, index };
    } catch (error) {
      user.close();
      throw error;
    }
  }
}
