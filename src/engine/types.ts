/**
 * The one interface the rest of askdb uses to run a model. It knows nothing of SQL: a caller that
 * wants SQL hands over a GBNF grammar. Backends: local llama.cpp, Ollama, OpenAI-compatible.
 */
export type BackendKind = "llamacpp" | "ollama" | "openai";

export interface ToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export interface ChatMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
  toolCalls?: ToolCall[];
  toolCallId?: string;
}

export interface GenerateOptions {
  maxTokens?: number;
  /** 0 = greedy (deterministic). */
  temperature?: number;
  stop?: string[];
  signal?: AbortSignal;
  /** GBNF grammar the output must obey (llama.cpp; Ollama/OpenAI backends report capabilities().grammar = false). */
  grammar?: string;
  /**
   * Chat only: the answer starts with this text and the model continues it (e.g. "```sql\n", so
   * that it writes the query at once). The returned text excludes it. Backends whose
   * capabilities().responsePrefix is false ignore it.
   */
  responsePrefix?: string;
  /** JSON schema the output must obey. */
  jsonSchema?: Record<string, unknown>;
  /** Called with each piece of text as it is generated. */
  onToken?: (text: string) => void;
  seed?: number;
}

export interface ChatOptions extends GenerateOptions {
  tools?: ToolDefinition[];
}

export type StopReason = "stop" | "eos" | "maxTokens" | "abort" | "toolCall";

export interface GenerationResult {
  text: string;
  toolCalls?: ToolCall[];
  model: string;
  backend: BackendKind;
  stopReason: StopReason;
  /** Tokens of the prompt in all, and how many of them were already evaluated in the context (prefix reuse). */
  promptTokens: number;
  reusedPromptTokens: number;
  generatedTokens: number;
  timeToFirstTokenMs: number;
  promptTokensPerSecond: number;
  tokensPerSecond: number;
  /** Time spent loading the model for this request (0 when it was already loaded). */
  loadMs: number;
  totalMs: number;
}

export interface EmbeddingResult {
  model: string;
  backend: BackendKind;
  dimensions: number;
  vectors: number[][];
}

export interface EngineStatus {
  state: "unloaded" | "loading" | "ready" | "busy" | "error";
  backend?: BackendKind;
  model?: string;
  queueLength: number;
  error?: string;
  /** Of the loaded local model: threads llama.cpp evaluates with, context window, memory held. */
  threads?: number;
  contextSize?: number;
  memoryBytes?: number;
}

export interface EngineCapabilities {
  grammar: boolean;
  /** The backend continues a given start of the answer (GenerateOptions.responsePrefix). */
  responsePrefix: boolean;
  embeddings: boolean;
  tools: boolean;
}

export interface Engine {
  chat(messages: ChatMessage[], options?: ChatOptions): Promise<GenerationResult>;
  complete(prompt: string, options?: GenerateOptions): Promise<GenerationResult>;
  embed(texts: string[], options?: { signal?: AbortSignal }): Promise<EmbeddingResult>;
  /** Tokens of `text` counted with the model's own tokenizer. */
  countTokens(text: string): Promise<number>;
  /** The context window the loaded (or next loaded) model runs with, in tokens. */
  contextSize(): Promise<number>;
  capabilities(): EngineCapabilities;
  status(): EngineStatus;
  unload(): Promise<void>;
}
