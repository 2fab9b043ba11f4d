import type { Engine } from "../../engine/index.js";
import type { KnowledgeItem, KnowledgeStore } from "../knowledge/index.js";
import type { ConnectedDatabase } from "./databases.js";

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
