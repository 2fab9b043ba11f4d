export { extractSql } from "./extract.js";
export {
  DEFAULT_MAX_SQL_TOKENS,
  generateSql,
  generateWithRepair,
  wasCut,
  type Attempt,
  type GenerateSqlOptions,
  type GeneratedSql,
  type RepairLoopOptions,
  type RepairLoopResult,
  type Validate,
} from "./generate.js";
