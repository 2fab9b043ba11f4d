import type { ChatHistoryItem, ChatWrapper, Llama, LlamaGrammar, LlamaModel } from "node-llama-cpp";
import { AskDbError } from "../../errors/index.js";
import type { ChatMessage, GenerateOptions, StopReason, ToolCall } from "../types.js";
import type { LlamaCpp } from "./llama-runtime.js";
import { toolCallAsText, toolResultAsText } from "./tool-protocol.js";

/**
 * What the llama.cpp backend hands node-llama-cpp, and what it reads back: the model's chat
 * format, askdb's messages as a chat history, grammars, the context limit and stop reasons.
 */

export function compileGrammar(llama: Llama, options: GenerateOptions): Promise<LlamaGrammar> {
  const compiling = options.jsonSchema
    ? // node-llama-cpp accepts the JSON-schema subset it can turn into a grammar; others are rejected below.
      llama.createGrammarForJsonSchema(
        options.jsonSchema as Parameters<Llama["createGrammarForJsonSchema"]>[0],
      )
    : llama.createGrammar({ grammar: options.grammar as string });
  return Promise.resolve(compiling).catch((error: unknown) => {
    throw new AskDbError(
      "INVALID_INPUT",
      `the ${options.jsonSchema ? "JSON schema" : "GBNF grammar"} could not be compiled: ${(error as Error).message}`,
      {
        hint: "check the grammar's syntax (llama.cpp GBNF) or simplify the schema",
        cause: error,
      },
    );
  });
}

export function assertFitsContext(promptTokens: number, contextSize: number): void {
  if (promptTokens < contextSize) return;
  throw new AskDbError(
    "PAYLOAD_TOO_LARGE",
    `the prompt is ${promptTokens} tokens but the model's context holds ${contextSize}`,
    {
      hint: "shorten the input, or raise the engine context size in settings if the model supports it",
    },
  );
}

export function stopReasonOf(reason: string): StopReason {
  if (reason === "maxTokens") return "maxTokens";
  if (reason === "abort") return "abort";
  if (reason === "eogToken") return "eos";
  return "stop";
}

export function chatWrapperFor(
  model: LlamaModel,
  { resolveChatWrapper, GeneralChatWrapper }: LlamaCpp,
): ChatWrapper {
  return (
    resolveChatWrapper({
      bosString: model.tokens.bosString,
      filename: model.filename,
      fileInfo: model.fileInfo,
      tokenizer: model.tokenizer,
    }) ?? new GeneralChatWrapper()
  );
}

/** askdb messages in node-llama-cpp's chat history shape; tool traffic becomes plain text turns. */
export function toChatHistory(messages: ChatMessage[]): ChatHistoryItem[] {
  const calls = new Map<string, ToolCall>();
  return messages.map((message): ChatHistoryItem => {
    if (message.role === "system") return { type: "system", text: message.content };
    if (message.role === "user") return { type: "user", text: message.content };
    if (message.role === "tool") return { type: "user", text: toolResultAsText(message, calls) };
    for (const call of message.toolCalls ?? []) calls.set(call.id, call);
    const parts = [message.content, ...(message.toolCalls ?? []).map(toolCallAsText)].filter(
      (part) => part.length > 0,
    );
    return { type: "model", response: [parts.join("\n")] };
  });
}
