import { AskDbError, toAskDbError } from "../../errors/index.js";
import type { ChatMessage, Engine, GenerationResult } from "../types.js";
import { memoryConversations, notFound, type Conversation, type ConversationStore } from "./conversations.js";
import { renderPrompt } from "./templates.js";
import {
  checkTools,
  runToolCall,
  toolDefinition,
  toolResultText,
  type ChatTool,
  type ToolOutcome,
} from "./tools.js";
import { messagesToDrop, messageTokens, transcript } from "./window.js";

export interface ChatSessionOptions {
  engine: Engine;
  /** Default: in memory. Use `storeConversations(store)` to keep conversations across runs. */
  conversations?: ConversationStore;
  /** Continue this conversation instead of starting one. */
  conversationId?: string;
  title?: string;
  tools?: ChatTool[];
  /** Default: prompts/chat-system.md. */
  systemPrompt?: string;
  /** Tool calls allowed per user message before the model must answer. */
  maxToolRounds?: number;
  maxTokens?: number;
  temperature?: number;
}

export interface SendOptions {
  onToken?: (text: string) => void;
  signal?: AbortSignal;
}

export interface ChatTurn {
  text: string;
  toolOutcomes: ToolOutcome[];
  /** Figures of the last generation of the turn. */
  result: GenerationResult;
  /** True when older messages were summarised to make room in the context. */
  summarized: boolean;
}

export interface ChatSession {
  readonly id: string;
  conversation(): Conversation;
  messages(): ChatMessage[];
  send(text: string, options?: SendOptions): Promise<ChatTurn>;
}

const DEFAULT_MAX_TOKENS = 512;
const SUMMARY_MAX_TOKENS = 200;

/** A multi-turn conversation with the model: persisted, kept within the context window, with tools. */
export function openChatSession(options: ChatSessionOptions): ChatSession {
  const { engine } = options;
  const conversations = options.conversations ?? memoryConversations();
  const tools = options.tools ?? [];
  checkTools(tools);
  const conversation = options.conversationId
    ? conversations.get(options.conversationId)
    : conversations.create(options.title);
  if (!conversation) throw notFound(options.conversationId as string);
  const id = conversation.id;
  const systemPrompt =
    options.systemPrompt ?? renderPrompt("chat-system", { date: new Date().toISOString().slice(0, 10) });
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  const maxToolRounds = options.maxToolRounds ?? 4;
  const countTokens = (text: string) => engine.countTokens(text);

  const current = () => conversations.get(id) as Conversation;
  const systemMessage = (summary: string | null): ChatMessage => ({
    role: "system",
    content: summary ? `${systemPrompt}\n\nSummary of the conversation so far: ${summary}` : systemPrompt,
  });

  /** The messages to send: system (with any summary) and the newest turns that fit the context. */
  async function promptMessages(
    signal?: AbortSignal,
  ): Promise<{ messages: ChatMessage[]; summarized: boolean }> {
    const all = conversations.messages(id);
    let { summary, summarizedCount } = current();
    summarizedCount = Math.min(summarizedCount, all.length);
    const budget = (await engine.contextSize()) - maxTokens;
    const recent = all.slice(summarizedCount);
    const systemTokens = await messageTokens(systemMessage(summary), countTokens);
    const drop = await messagesToDrop(recent, budget - systemTokens - SUMMARY_MAX_TOKENS, countTokens);
    if (drop === 0) return { messages: [systemMessage(summary), ...recent], summarized: false };
    summary = await summarize(summary, recent.slice(0, drop), signal);
    summarizedCount += drop;
    conversations.setSummary(id, summary, summarizedCount);
    return { messages: [systemMessage(summary), ...recent.slice(drop)], summarized: true };
  }

  async function summarize(
    previous: string | null,
    dropped: ChatMessage[],
    signal?: AbortSignal,
  ): Promise<string> {
    const budgetChars = ((await engine.contextSize()) - SUMMARY_MAX_TOKENS) * 2;
    const text = `${previous ? `Earlier summary: ${previous}\n` : ""}${transcript(dropped)}`;
    const prompt = renderPrompt("summarize", { conversation: text.slice(-budgetChars) });
    try {
      const result = await engine.chat([{ role: "user", content: prompt }], {
        maxTokens: SUMMARY_MAX_TOKENS,
        temperature: 0,
        signal,
      });
      return result.text.trim();
    } catch (error) {
      const failure = toAskDbError(error);
      // A prompt too long even when cut to its tail: keep the old summary rather than fail the turn.
      if (failure.code === "PAYLOAD_TOO_LARGE") return previous ?? "";
      throw failure;
    }
  }

  async function send(text: string, sendOptions: SendOptions = {}): Promise<ChatTurn> {
    if (text.trim().length === 0)
      throw new AskDbError("INVALID_INPUT", "the message is empty", { hint: "type a question or a request" });
    conversations.append(id, { role: "user", content: text });
    const toolOutcomes: ToolOutcome[] = [];
    let summarized = false;
    for (let round = 0; ; round += 1) {
      const offerTools = tools.length > 0 && round < maxToolRounds;
      const prompt = await promptMessages(sendOptions.signal);
      summarized ||= prompt.summarized;
      const result = await engine.chat(prompt.messages, {
        maxTokens,
        temperature: options.temperature ?? 0,
        signal: sendOptions.signal,
        onToken: sendOptions.onToken,
        ...(offerTools ? { tools: tools.map(toolDefinition) } : {}),
      });
      const calls = offerTools ? (result.toolCalls ?? []) : [];
      conversations.append(id, {
        role: "assistant",
        content: result.text,
        ...(calls.length ? { toolCalls: calls } : {}),
      });
      if (calls.length === 0) return { text: result.text, toolOutcomes, result, summarized };
      for (const call of calls) {
        const outcome = await runToolCall(tools, call, sendOptions.signal);
        toolOutcomes.push(outcome);
        conversations.append(id, { role: "tool", content: toolResultText(outcome), toolCallId: call.id });
      }
    }
  }

  return { id, conversation: current, messages: () => conversations.messages(id), send };
}
