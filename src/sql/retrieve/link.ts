import type { DatabaseSchema } from "../schema/index.js";
import { identifierTokens, tokenize } from "./text.js";

/** Column names too common to say which table a question is about. */
const GENERIC_COLUMNS = new Set([
  "id",
  "name",
  "created_at",
  "updated_at",
  "status",
  "notes",
  "note",
  "date",
  "description",
  "type",
  "code",
  "is_active",
  "active",
]);

function nameParts(name: string): string[] {
  return identifierTokens(name.replace(/_/g, " "));
}

function mentions(tokens: Set<string>, name: string): boolean {
  const whole = identifierTokens(name)[0];
  if (tokens.has(whole)) return true;
  const parts = nameParts(name);
  return parts.length > 0 && parts.every((part) => tokens.has(part));
}

/**
 * Schema linking: the tables a question is about — named by the question (a table, or a specific
 * column of it) or read by the SQL of the retrieved examples — plus their foreign-key neighbours.
 */
export function linkSchema(schema: DatabaseSchema, question: string, exampleSql: string[]): string[] {
  const tokens = new Set([...tokenize(question), ...identifierTokens(question)]);
  const sqlWords = new Set(exampleSql.flatMap((sql) => sql.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []));
  const linked = new Set<string>();
  for (const table of schema.tables) {
    const named = mentions(tokens, table.name) || sqlWords.has(table.name.toLowerCase());
    const byColumn = table.columns.some(
      (c) => !GENERIC_COLUMNS.has(c.name.toLowerCase()) && mentions(tokens, c.name),
    );
    if (named || byColumn) linked.add(table.name);
  }
  const withNeighbours = new Set(linked);
  for (const table of schema.tables) {
    for (const fk of table.foreignKeys) {
      if (linked.has(table.name)) withNeighbours.add(fk.table);
      if (linked.has(fk.table)) withNeighbours.add(table.name);
    }
  }
  return schema.tables.filter((t) => withNeighbours.has(t.name)).map((t) => t.name);
}
