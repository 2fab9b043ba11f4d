import type { ChatMessage } from "../types.js";

/** Tokens a chat template adds around each message (role markers, separators); a safe over-estimate. */
const TEMPLATE_TOKENS_PER_MESSAGE = 8;

export type TokenCounter = (text: string) => Promise<number>;

export function messageText(message: ChatMessage): string {
  const calls = (message.toolCalls ?? []).map((call) =>
    JSON.stringify({ tool: call.name, arguments: call.arguments }),
  );
  return [message.content, ...calls].join("\n");
}

export async function messageTokens(message: ChatMessage, count: TokenCounter): Promise<number> {
  return (await count(messageText(message))) + TEMPLATE_TOKENS_PER_MESSAGE;
}

/**
 * How many of the oldest `messages` must go so that the rest fit in `budget` tokens. The newest
 * message always stays, and a tool result never stays without the assistant turn that asked for it.
 */
export async function messagesToDrop(
  messages: ChatMessage[],
  budget: number,
  count: TokenCounter,
): Promise<number> {
  const sizes = await Promise.all(messages.map((message) => messageTokens(message, count)));
  let total = sizes.reduce((a, b) => a + b, 0);
  let drop = 0;
  while (total > budget && drop < messages.length - 1) {
    total -= sizes[drop];
    drop += 1;
  }
  while (drop < messages.length - 1 && messages[drop].role === "tool") drop += 1;
  return drop;
}

export function transcript(messages: ChatMessage[]): string {
  return messages.map((message) => `${message.role}: ${messageText(message)}`).join("\n");
}
