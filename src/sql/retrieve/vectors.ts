import { TopK } from "./bm25.js";

/** Above this many vectors a query first ranks by sign bits (Hamming distance), then rescores exactly. */
const EXACT_SEARCH_MAX = 5_000;
/** Candidates per wanted result that the bit pass hands to the exact pass. */
const RESCORE_FACTOR = 10;

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * Unit vectors of one embedding model in one contiguous Float32Array, so a query is a tight loop of
 * dot products (cosine similarity) with a top-k selection instead of a sort. Large indexes also keep
 * each vector's sign bits: 100,000 exact 384-dimension products cost ~130 ms on a small CPU, the
 * bit pass a few ms, and the exact rescoring of its best candidates keeps the ranking sound.
 */
export class VectorIndex {
  private data = new Float32Array(0);
  private bits = new Uint32Array(0);
  private ids: Array<string | undefined> = [];
  private readonly slotById = new Map<string, number>();
  private dimensions = 0;

  get size(): number {
    return this.slotById.size;
  }

  has(id: string): boolean {
    return this.slotById.has(id);
  }

  clear(): void {
    this.data = new Float32Array(0);
    this.bits = new Uint32Array(0);
    this.ids = [];
    this.slotById.clear();
    this.dimensions = 0;
  }

  set(id: string, vector: ArrayLike<number>): void {
    if (this.dimensions === 0) this.dimensions = vector.length;
    if (vector.length !== this.dimensions) return;
    let slot = this.slotById.get(id);
    if (slot === undefined) {
      slot = this.ids.length;
      this.ids.push(id);
      this.slotById.set(id, slot);
      this.ensureCapacity(this.ids.length * this.dimensions);
    }
    const offset = slot * this.dimensions;
    let norm = 0;
    for (let i = 0; i < vector.length; i += 1) norm += vector[i] * vector[i];
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < vector.length; i += 1) this.data[offset + i] = vector[i] / norm;
    this.bits.set(signBits(vector), slot * this.words());
  }

  remove(id: string): void {
    const slot = this.slotById.get(id);
    if (slot === undefined) return;
    this.slotById.delete(id);
    this.ids[slot] = undefined;
  }

  /** Ids of the `limit` vectors nearest to the query (cosine), best first. */
  nearest(query: ArrayLike<number>, limit: number): string[] {
    const dims = this.dimensions;
    if (dims === 0 || query.length !== dims) return [];
    let norm = 0;
    for (let i = 0; i < dims; i += 1) norm += query[i] * query[i];
    norm = Math.sqrt(norm) || 1;
    const q = Float32Array.from(query, (v) => v / norm);
    const candidates =
      this.size > EXACT_SEARCH_MAX ? this.nearestBySigns(query, limit * RESCORE_FACTOR) : undefined;
    const top = new TopK(limit);
    const { data, ids } = this;
    const score = (slot: number): void => {
      const offset = slot * dims;
      let dot = 0;
      for (let i = 0; i < dims; i += 1) dot += data[offset + i] * q[i];
      top.offer(slot, dot);
    };
    if (candidates) candidates.forEach(score);
    else for (let slot = 0; slot < ids.length; slot += 1) if (ids[slot] !== undefined) score(slot);
    return top.items.map(([slot]) => ids[slot] as string);
  }

  /** Slots whose sign bits are nearest the query's (smallest Hamming distance). */
  private nearestBySigns(query: ArrayLike<number>, limit: number): number[] {
    const words = this.words();
    const q = signBits(query);
    const top = new TopK(limit);
    const { bits, ids } = this;
    for (let slot = 0, offset = 0; slot < ids.length; slot += 1, offset += words) {
      if (ids[slot] === undefined) continue;
      let distance = 0;
      for (let w = 0; w < words; w += 1) distance += popcount(bits[offset + w] ^ q[w]);
      top.offer(slot, -distance);
    }
    return top.items.map(([slot]) => slot);
  }

  private words(): number {
    return Math.ceil(this.dimensions / 32);
  }

  private ensureCapacity(length: number): void {
    if (this.data.length >= length) return;
    const capacity = Math.max(length, this.data.length * 2);
    const grown = new Float32Array(capacity);
    grown.set(this.data);
    this.data = grown;
    const grownBits = new Uint32Array((capacity / this.dimensions) * this.words());
    grownBits.set(this.bits);
    this.bits = grownBits;
  }
}

function signBits(vector: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(Math.ceil(vector.length / 32));
  for (let i = 0; i < vector.length; i += 1) if (vector[i] > 0) out[i >>> 5] |= 1 << (i & 31);
  return out;
}
