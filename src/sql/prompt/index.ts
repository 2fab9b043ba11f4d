export {
  buildQuestionPrompt,
  buildStablePrompt,
  followUpPrompt,
  repairMessages,
  sqlMessages,
  type CountTokens,
  type Example,
  type PromptBudget,
  type QuestionPromptInput,
  type StablePrompt,
  type StablePromptInput,
} from "./build.js";
