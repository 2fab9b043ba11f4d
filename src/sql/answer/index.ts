export {
  createTextToSql,
  type ConnectInfo,
  type NewKnowledge,
  type TextToSql,
  type TextToSqlOptions,
  type TrainReport,
} from "./text-to-sql.js";
export { answerCacheKey, type CacheKeyParts } from "./cache.js";
export { looksLikeFollowUp } from "./followup.js";
export type { HistoryEntry } from "./history.js";
export type {
  Answer,
  AnswerLogger,
  AnswerSource,
  AnswerTimings,
  AskEvent,
  AskOptions,
  AskStage,
} from "./types.js";
export { ensureDemoTrained } from "./demo.js";
