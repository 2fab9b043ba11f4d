import { realpathSync } from "node:fs";
import { basename, resolve } from "node:path";
import type { Statement } from "better-sqlite3";
import type { Store } from "../../store/index.js";
import { AskDbError } from "../../errors/index.js";
import { newId } from "../../util/index.js";

export type KnowledgeKind = "ddl" | "documentation" | "question_sql";
export type KnowledgeSource = "schema" | "training-dir" | "user" | "feedback" | "api";

export interface KnowledgeItem {
  id: string;
  dbId: string;
  kind: KnowledgeKind;
  /** DDL text, documentation chunk, or the SQL of a question/SQL pair. */
  content: string;
  question?: string;
  /** Heading of a documentation chunk, table of a DDL item. */
  title?: string;
  source: KnowledgeSource;
  createdAt: string;
}

export type NewKnowledgeItem = Omit<KnowledgeItem, "id" | "dbId" | "createdAt">;

/** askdb's record of a user database (the file itself is never written). */
export interface DatabaseRecord {
  id: string;
  path: string;
  name: string;
  fingerprint?: string;
  trainedFingerprint?: string;
  knowledgeVersion: number;
}

interface DatabaseRow {
  id: string;
  path: string;
  name: string;
  fingerprint: string | null;
  trained_fingerprint: string | null;
  knowledge_version: number;
}

interface KnowledgeRow {
  id: string;
  db_id: string;
  kind: KnowledgeKind;
  content: string;
  question: string | null;
  title: string | null;
  source: KnowledgeSource;
  created_at: string;
}

/** The same file always maps to one record, however the path was spelled. */
export function canonicalDatabasePath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function toDatabaseRecord(row: DatabaseRow): DatabaseRecord {
  return {
    id: row.id,
    path: row.path,
    name: row.name,
    fingerprint: row.fingerprint ?? undefined,
    trainedFingerprint: row.trained_fingerprint ?? undefined,
    knowledgeVersion: row.knowledge_version,
  };
}

function toKnowledgeItem(row: KnowledgeRow): KnowledgeItem {
  return {
    id: row.id,
    dbId: row.db_id,
    kind: row.kind,
    content: row.content,
    ...(row.question === null ? {} : { question: row.question }),
    ...(row.title === null ? {} : { title: row.title }),
    source: row.source,
    createdAt: row.created_at,
  };
}

/** Knowledge ("training") items per database, in askdb's state store. Every change bumps `knowledge_version`. */
export class KnowledgeStore {
  constructor(private readonly store: Store) {}

  /** Registers the database (or refreshes its fingerprint) and returns askdb's record of it. */
  registerDatabase(path: string, fingerprint: string): DatabaseRecord {
    const canonical = canonicalDatabasePath(path);
    const now = new Date().toISOString();
    this.store.db
      .prepare(
        `INSERT INTO databases (id, path, name, fingerprint, added_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(path) DO UPDATE SET fingerprint = excluded.fingerprint, last_used_at = excluded.last_used_at`,
      )
      .run(newId("db"), canonical, basename(canonical), fingerprint, now, now);
    return this.requireDatabaseByPath(canonical);
  }

  databaseByPath(path: string): DatabaseRecord | undefined {
    const row = this.store.db
      .prepare<[string], DatabaseRow>("SELECT * FROM databases WHERE path = ?")
      .get(canonicalDatabasePath(path));
    return row ? toDatabaseRecord(row) : undefined;
  }

  database(dbId: string): DatabaseRecord {
    const row = this.store.db
      .prepare<[string], DatabaseRow>("SELECT * FROM databases WHERE id = ?")
      .get(dbId);
    if (!row) throw new AskDbError("NOT_FOUND", `no database with id ${dbId} is known to askdb`);
    return toDatabaseRecord(row);
  }

  /** Read on every question (is the index current?): its statement is prepared once. */
  private versionStatement?: Statement<[string], number>;

  knowledgeVersion(dbId: string): number {
    this.versionStatement ??= this.store.db
      .prepare<[string], number>("SELECT knowledge_version FROM databases WHERE id = ?")
      .pluck();
    return this.versionStatement.get(dbId) ?? 0;
  }

  markTrained(dbId: string, fingerprint: string): void {
    this.store.db.prepare("UPDATE databases SET trained_fingerprint = ? WHERE id = ?").run(fingerprint, dbId);
  }

  list(dbId: string, kind?: KnowledgeKind): KnowledgeItem[] {
    const rows = kind
      ? this.store.db
          .prepare<[string, string], KnowledgeRow>(
            "SELECT * FROM knowledge WHERE db_id = ? AND kind = ? ORDER BY created_at, rowid",
          )
          .all(dbId, kind)
      : this.store.db
          .prepare<[string], KnowledgeRow>(
            "SELECT * FROM knowledge WHERE db_id = ? ORDER BY kind, created_at, rowid",
          )
          .all(dbId);
    return rows.map(toKnowledgeItem);
  }

  get(id: string): KnowledgeItem | undefined {
    const row = this.store.db.prepare<[string], KnowledgeRow>("SELECT * FROM knowledge WHERE id = ?").get(id);
    return row ? toKnowledgeItem(row) : undefined;
  }

  /** The pair already stored for exactly this question and SQL, if any (training twice adds nothing). */
  findPair(dbId: string, question: string, sql: string): KnowledgeItem | undefined {
    const row = this.store.db
      .prepare<[string, string, string], KnowledgeRow>(
        "SELECT * FROM knowledge WHERE db_id = ? AND kind = 'question_sql' AND question = ? AND content = ?",
      )
      .get(dbId, question, sql);
    return row ? toKnowledgeItem(row) : undefined;
  }

  add(dbId: string, items: NewKnowledgeItem[]): KnowledgeItem[] {
    if (items.length === 0) return [];
    const insert = this.store.db.prepare(
      `INSERT INTO knowledge (id, db_id, kind, content, question, title, source, created_at)
       VALUES (@id, @dbId, @kind, @content, @question, @title, @source, @createdAt)`,
    );
    const createdAt = new Date().toISOString();
    const added = items.map((item) => ({ ...item, id: newId("kn"), dbId, createdAt }));
    this.store.transaction(() => {
      for (const item of added) insert.run({ question: null, title: null, ...item });
      this.bumpVersion(dbId);
    });
    return added;
  }

  /** Removes items by id; returns the ids that existed. */
  remove(dbId: string, ids: string[]): string[] {
    const del = this.store.db.prepare("DELETE FROM knowledge WHERE id = ? AND db_id = ?");
    const removed = this.store.transaction(() => {
      const gone = ids.filter((id) => del.run(id, dbId).changes > 0);
      if (gone.length > 0) this.bumpVersion(dbId);
      return gone;
    });
    return removed;
  }

  /** Replaces the DDL items learned from the schema (after a fingerprint change). */
  replaceSchemaItems(
    dbId: string,
    items: NewKnowledgeItem[],
    fingerprint: string,
  ): { added: KnowledgeItem[]; removed: string[] } {
    return this.store.transaction(() => {
      const removed = this.store.db
        .prepare<[string], { id: string }>("SELECT id FROM knowledge WHERE db_id = ? AND source = 'schema'")
        .all(dbId)
        .map((r) => r.id);
      this.store.db.prepare("DELETE FROM knowledge WHERE db_id = ? AND source = 'schema'").run(dbId);
      const added = this.add(dbId, items);
      this.markTrained(dbId, fingerprint);
      this.bumpVersion(dbId);
      return { added, removed };
    });
  }

  saveEmbeddings(modelId: string, vectors: Array<{ knowledgeId: string; vector: Float32Array }>): void {
    const upsert = this.store.db.prepare(
      `INSERT INTO knowledge_embeddings (knowledge_id, model_id, dimensions, vector) VALUES (?, ?, ?, ?)
       ON CONFLICT(knowledge_id, model_id) DO UPDATE SET dimensions = excluded.dimensions, vector = excluded.vector`,
    );
    this.store.transaction(() => {
      for (const { knowledgeId, vector } of vectors) {
        upsert.run(
          knowledgeId,
          modelId,
          vector.length,
          Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength),
        );
      }
    });
  }

  loadEmbeddings(dbId: string, modelId: string): Map<string, Float32Array> {
    const rows = this.store.db
      .prepare<[string, string], { id: string; vector: Buffer }>(
        `SELECT e.knowledge_id AS id, e.vector FROM knowledge_embeddings e
         JOIN knowledge k ON k.id = e.knowledge_id WHERE k.db_id = ? AND e.model_id = ?`,
      )
      .all(dbId, modelId);
    return new Map(rows.map((r) => [r.id, toFloat32(r.vector)]));
  }

  private requireDatabaseByPath(path: string): DatabaseRecord {
    const record = this.databaseByPath(path);
    if (!record) throw new AskDbError("INTERNAL", `database ${path} was not registered`);
    return record;
  }

  private bumpVersion(dbId: string): void {
    this.store.db
      .prepare("UPDATE databases SET knowledge_version = knowledge_version + 1 WHERE id = ?")
      .run(dbId);
  }
}

function toFloat32(blob: Buffer): Float32Array {
  // Copy: the Buffer may share a pool and its offset need not be 4-byte aligned.
  const copy = new Uint8Array(blob.byteLength);
  copy.set(blob);
  return new Float32Array(copy.buffer);
}
