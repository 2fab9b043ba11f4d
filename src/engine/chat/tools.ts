import { Ajv, type ValidateFunction } from "ajv";
import { AskDbError, toAskDbError } from "../../errors/index.js";
import type { ToolCall, ToolDefinition } from "../types.js";

/** A tool the model may call: its definition (JSON-schema parameters) and the code that runs it. */
export interface ChatTool extends ToolDefinition {
  handler(args: Record<string, unknown>, context: { signal?: AbortSignal }): unknown;
}

export interface ToolOutcome {
  call: ToolCall;
  ok: boolean;
  /** What the tool returned, or the error a person (and the model) can read. */
  result: unknown;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new WeakMap<ToolDefinition, ValidateFunction>();

function validatorFor(tool: ToolDefinition): ValidateFunction {
  let validate = validators.get(tool);
  if (!validate) {
    try {
      validate = ajv.compile(tool.parameters);
    } catch (error) {
      throw new AskDbError(
        "INVALID_INPUT",
        `tool "${tool.name}" has an invalid parameters schema: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    validators.set(tool, validate);
  }
  return validate;
}

/** Checks every tool's schema up front, so a broken tool fails when it is registered, not mid-conversation. */
export function checkTools(tools: ChatTool[]): void {
  const names = new Set<string>();
  for (const tool of tools) {
    if (!/^[A-Za-z_][\w-]{0,63}$/.test(tool.name)) {
      throw new AskDbError(
        "INVALID_INPUT",
        `tool name "${tool.name}" must be letters, digits, _ or - (at most 64)`,
      );
    }
    if (names.has(tool.name)) throw new AskDbError("INVALID_INPUT", `two tools are named "${tool.name}"`);
    names.add(tool.name);
    validatorFor(tool);
  }
}

/**
 * Runs one call the model asked for. Unknown tools, arguments that break the schema and handler
 * failures come back as results the model can read and correct, never as exceptions, so one bad
 * call does not end the conversation. Cancellation is the exception: it stops everything.
 */
export async function runToolCall(
  tools: ChatTool[],
  call: ToolCall,
  signal?: AbortSignal,
): Promise<ToolOutcome> {
  const tool = tools.find((candidate) => candidate.name === call.name);
  if (!tool) {
    return {
      call,
      ok: false,
      result: `unknown tool "${call.name}"; the tools are ${tools.map((t) => t.name).join(", ")}`,
    };
  }
  const validate = validatorFor(tool);
  if (!validate(call.arguments)) {
    return {
      call,
      ok: false,
      result: `invalid arguments for ${tool.name}: ${ajv.errorsText(validate.errors, { dataVar: "arguments" })}`,
    };
  }
  try {
    return { call, ok: true, result: await tool.handler(call.arguments, { signal }) };
  } catch (error) {
    const failure = toAskDbError(error);
    if (failure.code === "CANCELLED") throw failure;
    return { call, ok: false, result: `${tool.name} failed: ${failure.message}` };
  }
}

export function toolResultText(outcome: ToolOutcome): string {
  if (typeof outcome.result === "string") return outcome.result;
  return JSON.stringify(outcome.result ?? null);
}

export function toolDefinition(tool: ChatTool): ToolDefinition {
  return { name: tool.name, description: tool.description, parameters: tool.parameters };
}

/** A set of tools defined elsewhere (e.g. the SQL module's database tools) that answers calls by name. */
export interface ToolProvider {
  definitions: ToolDefinition[];
  call(
    name: string,
    args: Record<string, unknown>,
    options?: { signal?: AbortSignal },
  ): Promise<{ content: string; isError: boolean }>;
}

export function chatToolsFrom(provider: ToolProvider): ChatTool[] {
  return provider.definitions.map((definition) => ({
    ...definition,
    handler: async (args, { signal }) => {
      const output = await provider.call(definition.name, args, { signal });
      if (output.isError) throw new AskDbError("UNPROCESSABLE", output.content);
      return output.content;
    },
  }));
}
