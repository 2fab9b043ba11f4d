import { meaningfulTokens } from "../guard/index.js";

/** The part of a query result that scoring looks at. */
export interface ComparableResult {
  rows: unknown[][];
}

export interface CompareOptions {
  /** Compare row order too (when the gold SQL has ORDER BY; see hasOrderBy). */
  orderMatters: boolean;
}

/** Permutations of columns tried at most (wide results with many equal columns). */
const MAX_PERMUTATIONS = 20_000;

/**
 * Spider's execution-accuracy rule: the predicted rows equal the gold rows as a multiset (as a
 * list when order matters), with columns matched by their values in any order, not by name.
 * NULL equals NULL, 1 equals 1.0, duplicates count, and floats are compared to 12 significant
 * digits so that summing in a different order does not fail a correct query.
 */
export function compareResults(gold: ComparableResult, predicted: ComparableResult, options: CompareOptions): boolean {
  if (gold.rows.length !== predicted.rows.length) return false;
  if (gold.rows.length === 0) return true;
  const width = gold.rows[0].length;
  if (predicted.rows[0].length !== width) return false;
  const goldRows = gold.rows.map((row) => row.map(valueKey));
  const predictedRows = predicted.rows.map((row) => row.map(valueKey));
  const goldRowKeys = options.orderMatters ? goldRows.map(rowKey) : undefined;
  const goldMultiset = options.orderMatters ? undefined : countKeys(goldRows.map(rowKey));
  for (const permutation of columnPermutations(goldRows, predictedRows, width)) {
    const reordered = predictedRows.map((row) => rowKey(permutation.map((source) => row[source])));
    const equal = goldRowKeys ? reordered.every((key, index) => key === goldRowKeys[index]) : sameCounts(goldMultiset!, countKeys(reordered));
    if (equal) return true;
  }
  return false;
}

/** True when the query's outermost SELECT has ORDER BY (one inside a subquery fixes no final order). */
export function hasOrderBy(sql: string): boolean {
  let depth = 0;
  const tokens = meaningfulTokens(sql);
  return tokens.some((token, index) => {
    if (token.text === "(") depth += 1;
    if (token.text === ")") depth -= 1;
    return depth === 0 && token.kind === "word" && token.text.toUpperCase() === "ORDER" && tokens[index + 1]?.text.toUpperCase() === "BY";
  });
}

/**
 * Column orders for the predicted rows to try: position i takes a predicted column whose values
 * (as a multiset) equal gold column i's, so only plausible permutations are generated.
 */
function* columnPermutations(gold: string[][], predicted: string[][], width: number): Generator<number[]> {
  const goldColumns = Array.from({ length: width }, (_, column) => multisetKey(gold.map((row) => row[column])));
  const predictedColumns = Array.from({ length: width }, (_, column) => multisetKey(predicted.map((row) => row[column])));
  const candidates = goldColumns.map((key) => predictedColumns.flatMap((other, index) => (other === key ? [index] : [])));
  let produced = 0;
  const chosen: number[] = [];
  const used = new Set<number>();
  function* extend(position: number): Generator<number[]> {
    if (produced >= MAX_PERMUTATIONS) return;
    if (position === width) {
      produced += 1;
      yield [...chosen];
      return;
    }
    for (const source of candidates[position]) {
      if (used.has(source)) continue;
      used.add(source);
      chosen.push(source);
      yield* extend(position + 1);
      chosen.pop();
      used.delete(source);
    }
  }
  yield* extend(0);
}

function valueKey(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") return Number.isFinite(value) ? `n:${Number(value.toPrecision(12))}` : `n:${value}`;
  if (typeof value === "bigint") return `n:${value}`;
  if (typeof value === "string") return `s:${value}`;
  return `j:${JSON.stringify(value)}`;
}

function rowKey(row: string[]): string {
  return JSON.stringify(row);
}

function multisetKey(values: string[]): string {
  return JSON.stringify([...values].sort());
}

function countKeys(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

function sameCounts(a: Map<string, number>, b: Map<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, count] of a) if (b.get(key) !== count) return false;
  return true;
}
