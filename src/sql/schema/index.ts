export { introspectSchema, quoteIdentifier } from "./introspect.js";
export type {
  DatabaseSchema,
  SchemaColumn,
  SchemaForeignKey,
  SchemaIndex,
  SchemaTable,
} from "./introspect.js";
export { LEAN_PROMPT_SCHEMA, PROMPT_SCHEMA, quoteText, renderSchemaDdl } from "./render.js";
export { joinPath } from "./join-path.js";
export { joinsTo, schemaHintFor, tablesNamedIn } from "./repair-hint.js";
export { ungroupedColumns } from "./grouping.js";
export { keysOnlyShown } from "./keys.js";
export { withoutFanOutJoin } from "./fan-out.js";
export { fullKeyJoin } from "./partial-key.js";
export { excludesNothing } from "./exclusion.js";
export { bothAskedQuery, countOverCompound, intersectedQuery } from "./compound.js";
export { comparedValue, oneEquals } from "./aliases.js";
export { distinctList, mendedQuery, regroupedQuery } from "./mend.js";
export type { UngroupedColumn } from "./grouping.js";
export type { RenderSchemaOptions } from "./render.js";
export { withoutRankingValue } from "./ranking.js";
export { comparedByDay, dateFunctionOnNonDate, picksByColumn, picksByDate } from "./date-functions.js";
export { throughReferencedName } from "./relink.js";
export type { ValueHolders } from "./relink.js";
