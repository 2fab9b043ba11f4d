/**
 * The SQL capability: connect to a user's SQLite file read-only, introspect its schema, check and
 * run queries under the guard (off the main thread, with time/row/size limits), suggest a chart,
 * score results for evaluation, and expose database tools to the chat assistant.
 */
export { assertSqliteFile, openUserDatabase } from "./connect/index.js";
export type { UserDatabase } from "./connect/index.js";
export { introspectSchema, quoteIdentifier, renderSchemaDdl } from "./schema/index.js";
export type {
  DatabaseSchema,
  RenderSchemaOptions,
  SchemaColumn,
  SchemaForeignKey,
  SchemaIndex,
  SchemaTable,
} from "./schema/index.js";
export {
  acceptDoubleQuotedLiterals,
  checkSql,
  checkSqlText,
  createQueryExecutor,
  DEFAULT_LIMITS,
  MAX_SQL_LENGTH,
  meaningfulTokens,
  runGuardedQuery,
  splitStatements,
  tokenizeSql,
} from "./guard/index.js";
export type {
  BlobValue,
  ExecuteOptions,
  ExecutorStatus,
  QueryExecutor,
  QueryExecutorOptions,
  QueryLimits,
  QueryResult,
  ResultColumn,
  SqlToken,
  SqlTokenKind,
  SqlValue,
} from "./guard/index.js";
export { hostileSqlCases } from "./guard/index.js";
export type { HostileCaseTargets, HostileCategory, HostileOutcome, HostileSqlCase } from "./guard/index.js";
export { suggestChart } from "./chart/index.js";
export type { ChartSpec, ChartType } from "./chart/index.js";
export { compareResults, hasOrderBy } from "./eval/score.js";
export type { ComparableResult, CompareOptions } from "./eval/score.js";
export { createDatabaseTools } from "./tools/index.js";
export type { DatabaseTools, ToolOutput } from "./tools/index.js";
export * from "./answer/index.js";
export {
  parsePairs,
  readDdlFile,
  readDocumentationFile,
  readPairsFile,
  readTrainingDirectory,
  splitMarkdownByHeading,
} from "./knowledge/index.js";
export { evalKey, loadEvalQuestions, pipelineAnswerer, runEval, summarise } from "./eval/run.js";
export { plainAnswerer, type PairsByDatabase } from "./eval/plain.js";
export { compareRuns } from "./eval/compare.js";
export type { ComparedRun, RunComparison } from "./eval/compare.js";
export type {
  EvalAnswer,
  EvalAnswerer,
  EvalAsker,
  EvalQuestion,
  EvalRecord,
  EvalRunOptions,
  EvalSummary,
  PipelineVariant,
} from "./eval/run.js";
export type {
  KnowledgeItem,
  KnowledgeKind,
  KnowledgeSource,
  QuestionSqlPair,
  TrainingMaterial,
} from "./knowledge/index.js";
export { buildSqlGrammar, sqlGrammarFor } from "./grammar/index.js";
export type { GrammarOptions } from "./grammar/index.js";
export { extractSql, wasCut } from "./generate/index.js";
export type { Attempt } from "./generate/index.js";
