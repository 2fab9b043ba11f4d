export { checkSql, checkSqlText, MAX_SQL_LENGTH } from "./check.js";
export { acceptDoubleQuotedLiterals, quoteSpelledNames } from "./dialect.js";
export { withDateNames } from "./date-names.js";
export { createQueryExecutor } from "./executor.js";
export type { ExecuteOptions, ExecutorStatus, QueryExecutor, QueryExecutorOptions } from "./executor.js";
export {
  endOf,
  meaningfulTokens,
  splitStatements,
  stringLiterals,
  stringValue,
  tokenizeSql,
} from "./lexer.js";
export type { SqlToken, SqlTokenKind } from "./lexer.js";
export { runGuardedQuery } from "./run.js";
export { DEFAULT_LIMITS } from "./types.js";
export type { BlobValue, QueryLimits, QueryResult, ResultColumn, SqlValue } from "./types.js";
export { hostileSqlCases } from "./hostile-cases.js";
export type { HostileCaseTargets, HostileCategory, HostileOutcome, HostileSqlCase } from "./hostile-cases.js";
