import type { DatabaseSchema, SchemaTable } from "../schema/index.js";

/** Tables and views a query can read (virtual tables and column-less entries left out). */
export function queryableTables(schema: DatabaseSchema): SchemaTable[] {
  return schema.tables.filter((t) => t.columns.length > 0 && t.kind !== "virtual");
}
