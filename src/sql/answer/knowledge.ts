import { AskDbError } from "../../errors/index.js";
import {
  canonicalDatabasePath,
  type KnowledgeItem,
  type KnowledgeKind,
  type KnowledgeStore,
  type NewKnowledgeItem,
} from "../knowledge/index.js";
import { executeOn, type ConnectedDatabase, type DatabaseRegistry } from "./databases.js";

export type NewKnowledge =
  | { kind: "question_sql"; question: string; sql: string }
  | { kind: "documentation"; content: string; title?: string }
  | { kind: "ddl"; content: string; title?: string };

/** A database's training data: kept in the state store and in the database's in-memory index together. */
export interface KnowledgeBase {
  /** The connected database of a path (opened, and its schema trained, on first use). */
  database(path: string): Promise<ConnectedDatabase>;
  list(dbPath: string, kind?: KnowledgeKind): Promise<KnowledgeItem[]>;
  add(dbPath: string, item: NewKnowledge): Promise<KnowledgeItem>;
  remove(dbPath: string, ids: string[]): Promise<string[]>;
  /** Adds items as they are (already checked). */
  addItems(db: ConnectedDatabase, items: NewKnowledgeItem[]): KnowledgeItem[];
  /** A question/SQL pair, kept only when its SQL passes the guard and runs; an identical pair is returned as is. */
  addPair(
    db: ConnectedDatabase,
    question: string,
    sql: string,
    source: NewKnowledgeItem["source"],
  ): Promise<KnowledgeItem>;
  /** The SQL as it would be stored (after the guard and one run), or the error that refuses it. */
  checkPairSql(db: ConnectedDatabase, sql: string): Promise<string>;
}

export function createKnowledgeBase(store: KnowledgeStore, registry: DatabaseRegistry): KnowledgeBase {
  const database = (path: string) => registry.get(canonicalDatabasePath(path));

  function addItems(db: ConnectedDatabase, items: NewKnowledgeItem[]): KnowledgeItem[] {
    registry.refreshIndex(db);
    const added = store.add(db.record.id, items);
    db.index.add(added);
    db.index.version = store.knowledgeVersion(db.record.id);
    return added;
  }

  const checkPairSql = async (db: ConnectedDatabase, sql: string) =>
    (await executeOn(db, sql, { maxRows: 1 })).sql;

  async function addPair(
    db: ConnectedDatabase,
    question: string,
    sql: string,
    source: NewKnowledgeItem["source"],
  ): Promise<KnowledgeItem> {
    const checked = await checkPairSql(db, sql);
    const existing = store.findPair(db.record.id, question, checked);
    if (existing) return existing;
    return addItems(db, [{ kind: "question_sql", question, content: checked, source }])[0];
  }

  return {
    database,
    addItems,
    addPair,
    checkPairSql,
    async list(dbPath, kind) {
      return store.list((await database(dbPath)).record.id, kind);
    },
    async add(dbPath, item) {
      const db = await database(dbPath);
      if (item.kind === "question_sql") return addPair(db, item.question.trim(), item.sql.trim(), "api");
      if (!item.content.trim()) throw new AskDbError("INVALID_INPUT", `the ${item.kind} text is empty`);
      const content = item.content.trim();
      return addItems(db, [
        { kind: item.kind, content, ...(item.title ? { title: item.title } : {}), source: "api" },
      ])[0];
    },
    async remove(dbPath, ids) {
      const db = await database(dbPath);
      registry.refreshIndex(db);
      const removed = store.remove(db.record.id, ids);
      db.index.remove(removed);
      db.index.version = store.knowledgeVersion(db.record.id);
      const unknown = ids.filter((id) => !removed.includes(id));
      if (unknown.length > 0) {
        throw new AskDbError("NOT_FOUND", `no knowledge item ${unknown.join(", ")} for ${db.path}`, {
          hint: "`askdb knowledge list --db FILE` shows the ids",
          details: { removed },
        });
      }
      return removed;
    },
  };
}
