import type { KnowledgeItem, KnowledgeKind } from "../knowledge/index.js";
import { Bm25Index, type WeightedField } from "./bm25.js";
import { identifierTokens, tokenize } from "./text.js";
import { VectorIndex } from "./vectors.js";

export interface ScoredItem {
  item: KnowledgeItem;
  /** Reciprocal-rank-fusion score (higher is better). */
  score: number;
}

const RRF_K = 60;

/**
 * Meaning beats shared words: on paraphrases of the demo's questions the embedding ranking alone
 * found the right pair in its top 5 every time, while equal-weight fusion lost a fifth of those
 * hits to pairs BM25 ranked moderately (docs/accuracy.md, scripts/retrieval-hit-rate.ts).
 */
const VECTOR_LIST_WEIGHT = 2;

/** Fuses ranked lists of ids: each list adds weight / (60 + rank) to an id's score (weight 1 by default). */
export function reciprocalRankFusion(lists: string[][], weights: number[] = []): Map<string, number> {
  const scores = new Map<string, number>();
  lists.forEach((list, index) => {
    const weight = weights[index] ?? 1;
    list.forEach((id, rank) => scores.set(id, (scores.get(id) ?? 0) + weight / (RRF_K + rank + 1)));
  });
  return scores;
}

/** The question counts most, then a title; SQL and text also by their identifiers (`invoice_items`). */
function fieldsOf(item: KnowledgeItem): WeightedField[] {
  return [
    { tokens: tokenize(item.question ?? ""), weight: 3 },
    { tokens: tokenize(item.title ?? ""), weight: 2 },
    { tokens: [...tokenize(item.content), ...identifierTokens(item.content)], weight: 1 },
  ];
}

/**
 * The in-memory search index of one database's knowledge: BM25 per kind and, when an embedding
 * model is available, unit vectors for cosine similarity. Updated item by item, never rebuilt
 * per question.
 */
export class KnowledgeIndex {
  private readonly items = new Map<string, KnowledgeItem>();
  private readonly text = new Map<KnowledgeKind, Bm25Index>();
  private readonly vectors = new Map<KnowledgeKind, VectorIndex>();
  private vectorModel: string | undefined;

  constructor(public version: number) {}

  get size(): number {
    return this.items.size;
  }

  get embeddingModel(): string | undefined {
    return this.vectorModel;
  }

  all(kind?: KnowledgeKind): KnowledgeItem[] {
    const items = [...this.items.values()];
    return kind ? items.filter((item) => item.kind === kind) : items;
  }

  add(items: KnowledgeItem[]): void {
    for (const item of items) {
      if (this.items.has(item.id)) continue;
      this.items.set(item.id, item);
      this.part(this.text, item.kind, () => new Bm25Index()).add(item.id, fieldsOf(item));
    }
  }

  remove(ids: string[]): void {
    for (const id of ids) {
      const item = this.items.get(id);
      if (!item) continue;
      this.text.get(item.kind)?.remove(id);
      this.vectors.get(item.kind)?.remove(id);
      this.items.delete(id);
    }
  }

  /** Vectors from one embedding model; a different model replaces them all. */
  setVectors(model: string, vectors: Map<string, ArrayLike<number>>): void {
    if (this.vectorModel !== model) for (const index of this.vectors.values()) index.clear();
    this.vectorModel = model;
    for (const [id, vector] of vectors) {
      const item = this.items.get(id);
      if (item) this.part(this.vectors, item.kind, () => new VectorIndex()).set(id, vector);
    }
  }

  /** Whether any item is searched by meaning (DDL is not): without one, a question needs no vector. */
  searchesByMeaning(): boolean {
    for (const item of this.items.values()) if (item.kind !== "ddl") return true;
    return false;
  }

  /** Items (other than DDL) without a vector from the current embedding model. */
  missingVectors(): KnowledgeItem[] {
    return [...this.items.values()].filter(
      (item) => item.kind !== "ddl" && !this.vectors.get(item.kind)?.has(item.id),
    );
  }

  /** Top `limit` items of one kind: BM25 and cosine rankings fused by reciprocal rank. */
  search(query: string, kind: KnowledgeKind, limit: number, queryVector?: ArrayLike<number>): ScoredItem[] {
    const depth = Math.max(limit * 4, 20);
    const lists = [this.text.get(kind)?.search(tokenize(query), depth) ?? []];
    const vectors = this.vectors.get(kind);
    if (queryVector && vectors && vectors.size > 0) lists.push(vectors.nearest(queryVector, depth));
    return [...reciprocalRankFusion(lists, [1, VECTOR_LIST_WEIGHT])]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([id, score]) => ({ item: this.items.get(id) as KnowledgeItem, score }));
  }

  private part<T>(parts: Map<KnowledgeKind, T>, kind: KnowledgeKind, create: () => T): T {
    let part = parts.get(kind);
    if (!part) {
      part = create();
      parts.set(kind, part);
    }
    return part;
  }
}
