export type * from "./types.js";
export { createEngine, type CreateEngineOptions, type ManagedEngine, type ModelKind } from "./engine.js";
export {
  DEFAULT_ENGINE_CONFIG,
  isLoopbackUrl,
  type EngineConfig,
  type EngineConfigInput,
  type OllamaConfig,
  type OpenAiConfig,
} from "./config.js";
export { getSharedLlama, type ModelFile } from "./backends/llama-runtime.js";
export type { LlamaCppRuntime } from "./backends/llamacpp.js";
export { registerEngineMetrics, renderPrometheus, type ModelMetrics } from "./metrics.js";
export { loadPromptTemplate, renderPrompt, renderTemplate } from "./chat/templates.js";
export {
  openChatSession,
  type ChatSession,
  type ChatSessionOptions,
  type ChatTurn,
  type SendOptions,
} from "./chat/session.js";
export {
  memoryConversations,
  purgeConversations,
  storeConversations,
  type Conversation,
  type ConversationStore,
} from "./chat/conversations.js";
export {
  chatToolsFrom,
  runToolCall,
  type ChatTool,
  type ToolOutcome,
  type ToolProvider,
} from "./chat/tools.js";
