export {
  createTextToSql,
  type ConnectInfo,
  type PurgedAnswers,
  type TextToSql,
  type TextToSqlOptions,
} from "./text-to-sql.js";
export type { NewKnowledge } from "./knowledge.js";
export type { TrainReport } from "./training.js";
export type { Feedback } from "./feedback.js";
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
