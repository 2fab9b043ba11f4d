/**
 * askdb as a library:
 *
 *   import { createAskDb } from "askdb";
 *   const askdb = await createAskDb({ db: "shop.sqlite" });
 *   const answer = await askdb.ask("top 5 customers by revenue");
 *   console.log(answer.sql, answer.rows);
 *   await askdb.close();
 *
 * `startServer` serves the same instance over HTTP (the API, /v1 and the web UI), and
 * `createMcpServer` exposes it to MCP clients.
 */
export { createAskDb } from "./app/index.js";
export type * from "./app/index.js";
export {
  startServer,
  createMcpServer,
  DEFAULT_HOST,
  DEFAULT_PORT,
  type RunningServer,
  type ServerOptions,
} from "./server/index.js";
export { AskDbError, isAskDbError, type ErrorCode } from "./errors/index.js";
export type {
  Engine,
  ChatMessage,
  ChatOptions,
  GenerationResult,
  EmbeddingResult,
  ToolDefinition,
  ToolCall,
} from "./engine/index.js";
export type { ModelManager, CatalogEntry as ModelCatalogEntry, DownloadProgress } from "./models/index.js";
export type { SettingsService, Settings, SettingKey, FeatureFlags, FlagState } from "./settings/index.js";
export type { QueryResult, DatabaseSchema, ChartSpec, SqlValue } from "./sql/index.js";
