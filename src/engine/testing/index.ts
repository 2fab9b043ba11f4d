/** Test servers speaking the Ollama and OpenAI wire formats (for tests only; never used by the product). */
export { startOllamaTestServer, type OllamaTestServer } from "./ollama-server.js";
export { startOpenAiTestServer, type OpenAiTestServer } from "./openai-server.js";
export type { RecordedRequest, ScriptedReply, ScriptOptions, TestServer } from "./http-server.js";
export { missingModelsReason, STORIES_MODEL, TINY_RANDOM_MODEL } from "./models.js";
