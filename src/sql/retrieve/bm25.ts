/**
 * A compact BM25 index for knowledge retrieval, written here rather than taken from a search
 * library for speed and to carry no dependency: it must answer in ≤ 30 ms per query at the
 * 100,000-item target, and a general-purpose library that builds a result object per matching
 * document took over a second for common words at that size. Postings are plain number arrays,
 * scores accumulate in one typed array, and only the top results are kept. Removal leaves a
 * tombstone; postings are compacted when tombstones outnumber live documents.
 */
export interface WeightedField {
  tokens: string[];
  weight: number;
}

interface Postings {
  slots: number[];
  frequencies: number[];
}

const K1 = 1.2;
const B = 0.75;

/** Keeps the `limit` best [slot, score] pairs, best first. */
export class TopK {
  readonly items: Array<[number, number]> = [];

  constructor(private readonly limit: number) {}

  offer(slot: number, score: number): void {
    const items = this.items;
    if (items.length === this.limit && score <= items[items.length - 1][1]) return;
    let i = items.length;
    while (i > 0 && items[i - 1][1] < score) i -= 1;
    items.splice(i, 0, [slot, score]);
    if (items.length > this.limit) items.pop();
  }
}

export class Bm25Index {
  private ids: Array<string | undefined> = [];
  private lengths: number[] = [];
  private readonly slotById = new Map<string, number>();
  private readonly postings = new Map<string, Postings>();
  private totalLength = 0;
  private tombstones = 0;

  get size(): number {
    return this.slotById.size;
  }

  add(id: string, fields: WeightedField[]): void {
    if (this.slotById.has(id)) this.remove(id);
    const slot = this.ids.length;
    const frequencies = new Map<string, number>();
    let length = 0;
    for (const field of fields) {
      for (const token of field.tokens) {
        frequencies.set(token, (frequencies.get(token) ?? 0) + field.weight);
        length += field.weight;
      }
    }
    this.ids.push(id);
    this.lengths.push(length);
    this.slotById.set(id, slot);
    this.totalLength += length;
    for (const [token, frequency] of frequencies) {
      let list = this.postings.get(token);
      if (!list) {
        list = { slots: [], frequencies: [] };
        this.postings.set(token, list);
      }
      list.slots.push(slot);
      list.frequencies.push(frequency);
    }
  }

  remove(id: string): void {
    const slot = this.slotById.get(id);
    if (slot === undefined) return;
    this.slotById.delete(id);
    this.ids[slot] = undefined;
    this.totalLength -= this.lengths[slot];
    this.tombstones += 1;
    if (this.tombstones > this.slotById.size) this.compact();
  }

  /** Ids of the best `limit` documents for the query tokens, best first. */
  search(tokens: string[], limit: number): string[] {
    const live = this.slotById.size;
    if (live === 0 || limit <= 0) return [];
    const averageLength = this.totalLength / live || 1;
    const scores = new Float64Array(this.ids.length);
    const touched: number[] = [];
    for (const token of new Set(tokens)) {
      const list = this.postings.get(token);
      if (!list) continue;
      const idf = Math.log(1 + (live - list.slots.length + 0.5) / (list.slots.length + 0.5));
      for (let i = 0; i < list.slots.length; i += 1) {
        const slot = list.slots[i];
        if (this.ids[slot] === undefined) continue;
        const tf = list.frequencies[i];
        const norm = tf + K1 * (1 - B + (B * this.lengths[slot]) / averageLength);
        if (scores[slot] === 0) touched.push(slot);
        scores[slot] += (idf * tf * (K1 + 1)) / norm;
      }
    }
    const top = new TopK(limit);
    for (const slot of touched) top.offer(slot, scores[slot]);
    return top.items.map(([slot]) => this.ids[slot] as string);
  }

  private compact(): void {
    const remap = new Map<number, number>();
    const ids: string[] = [];
    const lengths: number[] = [];
    this.ids.forEach((id, slot) => {
      if (id === undefined) return;
      remap.set(slot, ids.length);
      this.slotById.set(id, ids.length);
      ids.push(id);
      lengths.push(this.lengths[slot]);
    });
    for (const [token, list] of this.postings) {
      const next: Postings = { slots: [], frequencies: [] };
      list.slots.forEach((slot, i) => {
        const moved = remap.get(slot);
        if (moved === undefined) return;
        next.slots.push(moved);
        next.frequencies.push(list.frequencies[i]);
      });
      if (next.slots.length === 0) this.postings.delete(token);
      else this.postings.set(token, next);
    }
    this.ids = ids;
    this.lengths = lengths;
    this.tombstones = 0;
  }
}
