import { statSync } from "node:fs";
import type { Engine } from "../../engine/index.js";
import { openUserDatabase, type UserDatabase } from "../connect/index.js";
import { createQueryExecutor, type QueryExecutor, type QueryExecutorOptions } from "../guard/index.js";
import {
  ddlItems,
  type DatabaseRecord,
  type KnowledgeItem,
  type KnowledgeStore,
} from "../knowledge/index.js";
import type { StablePrompt } from "../prompt/index.js";
import { buildValueIndex, KnowledgeIndex, type ValueIndex } from "../retrieve/index.js";
import { introspectSchema, PROMPT_SCHEMA, renderSchemaDdl, type DatabaseSchema } from "../schema/index.js";

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

/**
 * Embeds knowledge and questions when an embedding model is available. Without one (or when the
 * backend cannot embed) it turns itself off quietly and retrieval is BM25 alone.
 */
export class Embedder {
  private disabled = false;

  constructor(
    private readonly engine: Engine | undefined,
    private readonly knowledge: KnowledgeStore,
  ) {}

  /** The question's vector, filling in the database's missing item vectors first; undefined without embeddings. */
  async queryVector(
    db: ConnectedDatabase,
    text: string,
    signal?: AbortSignal,
  ): Promise<number[] | undefined> {
    const embedded = await this.embed([text], signal);
    if (!embedded) return undefined;
    await this.fill(db, embedded.model, signal);
    return embedded.vectors[0];
  }

  private async fill(db: ConnectedDatabase, model: string, signal?: AbortSignal): Promise<void> {
    if (db.index.embeddingModel !== model)
      db.index.setVectors(model, this.knowledge.loadEmbeddings(db.record.id, model));
    const missing = db.index.missingVectors();
    for (let start = 0; start < missing.length; start += 32) {
      const batch = missing.slice(start, start + 32);
      const embedded = await this.embed(batch.map(embeddingText), signal);
      if (!embedded) return;
      const vectors = batch.map((item, i) => ({
        knowledgeId: item.id,
        vector: Float32Array.from(embedded.vectors[i]),
      }));
      this.knowledge.saveEmbeddings(embedded.model, vectors);
      db.index.setVectors(embedded.model, new Map(vectors.map((v) => [v.knowledgeId, v.vector])));
    }
  }

  private async embed(
    texts: string[],
    signal?: AbortSignal,
  ): Promise<{ model: string; vectors: number[][] } | undefined> {
    if (this.disabled || !this.engine || !this.engine.capabilities().embeddings) return undefined;
    try {
      return await this.engine.embed(texts, signal ? { signal } : {});
    } catch (error) {
      if ((error as Error).name === "AbortError") throw error;
      this.disabled = true;
      return undefined;
    }
  }
}

function embeddingText(item: KnowledgeItem): string {
  return item.kind === "question_sql" ? (item.question ?? item.content) : item.content;
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
