import MiniSearch from "minisearch";
import type { KnowledgeItem, KnowledgeKind } from "../knowledge/index.js";
import { identifierTokens, tokenize } from "./text.js";

export interface ScoredItem {
  item: KnowledgeItem;
  /** Reciprocal-rank-fusion score (higher is better). */
  score: number;
}

interface Document {
  id: string;
  question: string;
  content: string;
  title: string;
}

const RRF_K = 60;

function newMiniSearch(): MiniSearch<Document> {
  return new MiniSearch<Document>({
    fields: ["question", "content", "title"],
    storeFields: [],
    tokenize: (text, field) => (field === "content" ? [...tokenize(text), ...identifierTokens(text)] : tokenize(text)),
    processTerm: (term) => term,
    searchOptions: { boost: { question: 3, title: 2 }, combineWith: "OR" },
  });
}

/** Fuses ranked lists of ids: each list adds 1 / (60 + rank) to an id's score. */
export function reciprocalRankFusion(lists: string[][]): Map<string, number> {
  const scores = new Map<string, number>();
  for (const list of lists) {
    list.forEach((id, rank) => scores.set(id, (scores.get(id) ?? 0) + 1 / (RRF_K + rank + 1)));
  }
  return scores;
}

function normalise(vector: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(vector);
  let norm = 0;
  for (const v of out) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < out.length; i += 1) out[i] /= norm;
  return out;
}

/**
 * The in-memory search index of one database's knowledge: BM25 per kind (MiniSearch) and, when an
 * embedding model is available, unit vectors for cosine similarity. Updated item by item.
 */
export class KnowledgeIndex {
  private readonly items = new Map<string, KnowledgeItem>();
  private readonly text = new Map<KnowledgeKind, MiniSearch<Document>>();
  private readonly vectors = new Map<string, Float32Array>();
  private vectorModel: string | undefined;

  constructor(public version: number) {}

  get size(): number {
    return this.items.size;
  }

  get embeddingModel(): string | undefined {
    return this.vectorModel;
  }

  has(id: string): boolean {
    return this.items.has(id);
  }

  all(kind?: KnowledgeKind): KnowledgeItem[] {
    const items = [...this.items.values()];
    return kind ? items.filter((item) => item.kind === kind) : items;
  }

  add(items: KnowledgeItem[]): void {
    for (const item of items) {
      if (this.items.has(item.id)) continue;
      this.items.set(item.id, item);
      this.searchFor(item.kind).add({
        id: item.id,
        question: item.question ?? "",
        content: item.content,
        title: item.title ?? "",
      });
    }
  }

  remove(ids: string[]): void {
    for (const id of ids) {
      const item = this.items.get(id);
      if (!item) continue;
      this.searchFor(item.kind).discard(id);
      this.items.delete(id);
      this.vectors.delete(id);
    }
  }

  /** Vectors from one embedding model; a different model replaces them all. */
  setVectors(model: string, vectors: Map<string, ArrayLike<number>>): void {
    if (this.vectorModel !== model) this.vectors.clear();
    this.vectorModel = model;
    for (const [id, vector] of vectors) if (this.items.has(id)) this.vectors.set(id, normalise(vector));
  }

  /** Ids of items that have no vector yet from the current embedding model. */
  missingVectors(): KnowledgeItem[] {
    return [...this.items.values()].filter((item) => item.kind !== "ddl" && !this.vectors.has(item.id));
  }

  /** Top `limit` items of one kind: BM25 and cosine rankings fused by reciprocal rank. */
  search(query: string, kind: KnowledgeKind, limit: number, queryVector?: ArrayLike<number>): ScoredItem[] {
    const depth = Math.max(limit * 4, 20);
    const lexical = this.searchFor(kind)
      .search(query)
      .slice(0, depth)
      .map((hit) => String(hit.id));
    const lists = [lexical];
    if (queryVector && this.vectors.size > 0) lists.push(this.nearest(normalise(queryVector), kind, depth));
    return [...reciprocalRankFusion(lists)]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([id, score]) => ({ item: this.items.get(id) as KnowledgeItem, score }));
  }

  private nearest(query: Float32Array, kind: KnowledgeKind, depth: number): string[] {
    const scored: Array<[string, number]> = [];
    for (const [id, vector] of this.vectors) {
      if (vector.length !== query.length || this.items.get(id)?.kind !== kind) continue;
      let dot = 0;
      for (let i = 0; i < vector.length; i += 1) dot += vector[i] * query[i];
      scored.push([id, dot]);
    }
    return scored
      .sort((a, b) => b[1] - a[1])
      .slice(0, depth)
      .map(([id]) => id);
  }

  private searchFor(kind: KnowledgeKind): MiniSearch<Document> {
    let search = this.text.get(kind);
    if (!search) {
      search = newMiniSearch();
      this.text.set(kind, search);
    }
    return search;
  }
}
