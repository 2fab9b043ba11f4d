import type { DatabaseSchema } from "../schema/index.js";
import type { KnowledgeIndex, ScoredItem } from "./index-store.js";
import { linkSchema } from "./link.js";
import { NEAR_DUPLICATE_THRESHOLD, questionSimilarity } from "./text.js";

export { KnowledgeIndex, reciprocalRankFusion, type ScoredItem } from "./index-store.js";
export { linkSchema } from "./link.js";
export {
  buildValueIndex,
  columnsHolding,
  findValues,
  someValuesBesides,
  valueHints,
  type ValueHint,
  type ValueIndex,
} from "./values.js";
export { NEAR_DUPLICATE_THRESHOLD, normaliseQuestion, questionSimilarity, tokenize } from "./text.js";

export interface RetrieveOptions {
  /** Question/SQL pairs to return (default 5). */
  pairs?: number;
  /** Documentation sections to return (default 3). */
  documentation?: number;
  /** The question's embedding, when an embedding model is available. */
  queryVector?: ArrayLike<number>;
}

export interface Retrieval {
  pairs: ScoredItem[];
  documentation: ScoredItem[];
  /** Tables the question and the retrieved pairs point to, with their foreign-key neighbours. */
  linkedTables: string[];
}

export function retrieve(
  index: KnowledgeIndex,
  schema: DatabaseSchema,
  question: string,
  options: RetrieveOptions = {},
): Retrieval {
  const pairs = index.search(question, "question_sql", options.pairs ?? 5, options.queryVector);
  const documentation = index.search(
    question,
    "documentation",
    options.documentation ?? 3,
    options.queryVector,
  );
  const linkedTables = linkSchema(
    schema,
    question,
    pairs.map((p) => p.item.content),
  );
  return { pairs, documentation, linkedTables };
}

export interface NearDuplicate {
  item: ScoredItem["item"];
  similarity: number;
}

/**
 * The trained question that says the same as `question` (only rewording differs), if any. Among
 * equally close ones the newest wins, so a correction given as feedback replaces an older pair.
 */
export function findNearDuplicate(
  candidates: ScoredItem[],
  question: string,
  threshold = NEAR_DUPLICATE_THRESHOLD,
): NearDuplicate | undefined {
  let best: NearDuplicate | undefined;
  for (const { item } of candidates) {
    if (!item.question) continue;
    const similarity = questionSimilarity(question, item.question);
    if (similarity < threshold) continue;
    if (
      !best ||
      similarity > best.similarity ||
      (similarity === best.similarity && item.createdAt > best.item.createdAt)
    ) {
      best = { item, similarity };
    }
  }
  return best;
}
