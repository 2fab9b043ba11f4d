import type { ChatMessage, ToolCall, ToolDefinition } from "../types.js";
import { renderPrompt } from "../chat/templates.js";
import { newId } from "../../util/index.js";

/**
 * Function calling for a local model without a native tool format: the tools are described in the
 * system message and the reply is constrained (by a JSON-schema grammar) to either one tool call
 * or a final answer, so even a weak model always produces something parseable.
 */
export function toolReplySchema(tools: ToolDefinition[]): Record<string, unknown> {
  return {
    oneOf: [
      ...tools.map((tool) => ({
        type: "object",
        properties: { tool: { const: tool.name }, arguments: argumentsSchema(tool) },
        required: ["tool", "arguments"],
      })),
      { type: "object", properties: { answer: { type: "string" } }, required: ["answer"] },
    ],
  };
}

function argumentsSchema(tool: ToolDefinition): Record<string, unknown> {
  const parameters = tool.parameters;
  const hasProperties = parameters.properties && Object.keys(parameters.properties).length > 0;
  return hasProperties ? parameters : { type: "object", properties: {} };
}

export function withToolInstructions(messages: ChatMessage[], tools: ToolDefinition[]): ChatMessage[] {
  const catalog = tools
    .map(
      (tool) =>
        `- ${tool.name}: ${tool.description}\n  arguments (JSON schema): ${JSON.stringify(tool.parameters)}`,
    )
    .join("\n");
  const instructions = renderPrompt("tools", { tools: catalog });
  const [first, ...rest] = messages;
  if (first?.role === "system")
    return [{ ...first, content: `${first.content}\n\n${instructions}` }, ...rest];
  return [{ role: "system", content: instructions }, ...messages];
}

export function parseToolReply(text: string): { text: string; toolCalls: ToolCall[] } {
  let reply: unknown;
  try {
    reply = JSON.parse(text);
  } catch {
    return { text, toolCalls: [] };
  }
  if (isRecord(reply) && typeof reply.tool === "string") {
    const args = isRecord(reply.arguments) ? reply.arguments : {};
    return { text: "", toolCalls: [{ id: newId("call"), name: reply.tool, arguments: args }] };
  }
  if (isRecord(reply) && typeof reply.answer === "string") return { text: reply.answer, toolCalls: [] };
  return { text, toolCalls: [] };
}

/** How an assistant tool call and a tool result read in a plain-text chat template. */
export function toolCallAsText(call: ToolCall): string {
  return JSON.stringify({ tool: call.name, arguments: call.arguments });
}

export function toolResultAsText(message: ChatMessage, calls: Map<string, ToolCall>): string {
  const name = message.toolCallId ? calls.get(message.toolCallId)?.name : undefined;
  return `Result of tool ${name ?? "call"}: ${message.content}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
