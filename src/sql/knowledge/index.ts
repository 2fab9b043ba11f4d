export {
  KnowledgeStore,
  canonicalDatabasePath,
  type DatabaseRecord,
  type KnowledgeItem,
  type KnowledgeKind,
  type KnowledgeSource,
  type NewKnowledgeItem,
} from "./store.js";
export {
  ddlItems,
  documentationItems,
  emptyMaterial,
  parsePairs,
  readDdlFile,
  readDocumentationFile,
  readPairsFile,
  readTrainingDirectory,
  type QuestionSqlPair,
  type TrainingMaterial,
} from "./train.js";
export { splitMarkdownByHeading, type MarkdownSection } from "./markdown.js";
