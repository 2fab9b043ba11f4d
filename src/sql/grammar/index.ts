import type { DatabaseSchema } from "../schema/index.js";
import { buildSqlGrammar, type GrammarOptions } from "./gbnf.js";

export { buildSqlGrammar, type GrammarOptions } from "./gbnf.js";
export { sqlIdentifier } from "./identifiers.js";

const cache = new Map<string, string>();
const MAX_CACHED = 32;

/** The database's grammar, built once per schema fingerprint. */
export function sqlGrammarFor(schema: DatabaseSchema, options: GrammarOptions = {}): string {
  const key = `${schema.fingerprint}:${options.shape ?? "full"}:${options.maxDepth ?? ""}:${options.maxJoins ?? ""}`;
  let grammar = cache.get(key);
  if (grammar === undefined) {
    grammar = buildSqlGrammar(schema, options);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    cache.set(key, grammar);
  }
  return grammar;
}
