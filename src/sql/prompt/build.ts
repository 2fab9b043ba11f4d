import { renderPrompt } from "../../engine/index.js";
import type { ChatMessage } from "../../engine/index.js";

export type CountTokens = (text: string) => Promise<number>;

export interface PromptBudget {
  /** The model's context window in tokens. */
  contextSize: number;
  /** Tokens kept free for the SQL the model writes. */
  maxOutputTokens: number;
}

export interface Example {
  question: string;
  sql: string;
}

/**
 * The part of the prompt that is byte-identical for every question on one database (for one
 * schema fingerprint and knowledge version), so the engine evaluates it once and reuses it.
 */
export interface StablePrompt {
  text: string;
  tokens: number;
  /** False when the whole schema does not fit: each question then carries its linked tables. */
  schemaIncluded: boolean;
  /** False when the documentation does not fit: each question then carries the relevant sections. */
  documentationIncluded: boolean;
}

export interface StablePromptInput {
  schemaDdl: string;
  /** Every documentation section of the database, in a fixed order. */
  documentation: string[];
  countTokens: CountTokens;
  budget: PromptBudget;
}

export interface QuestionPromptInput {
  stable: StablePrompt;
  question: string;
  /** Most relevant first; the last ones are dropped when the budget is short. */
  examples: Example[];
  /** Relevant documentation, used only when the stable part lacks it. */
  documentation: string[];
  /** DDL of the tables linked to the question, used only when the stable part lacks the schema. */
  linkedSchemaDdl: string;
  countTokens: CountTokens;
  budget: PromptBudget;
}

/**
 * Tokens kept for the per-question part (examples, relevant documentation, question): a share of
 * the window, capped, because every one of them is evaluated anew for each question, and each
 * attends to the whole stable part. The cap is set by the warm-answer targets (bench/): after the
 * demo's ~1,450-token stable part, a Qwen2.5-0.5B-shaped model on 2 CPU cores evaluates a
 * question's token in ~4.5 ms and writes one in ~27 ms, so 160 tokens (~0.7 s) plus a 48-token
 * query (~1.3 s) stays under 2 s; the most relevant examples are kept, the rest dropped.
 */
const QUESTION_SHARE = 0.3;
const MAX_QUESTION_TOKENS = 160;

function questionReserve(budget: PromptBudget): number {
  return Math.min(MAX_QUESTION_TOKENS, Math.floor(budget.contextSize * QUESTION_SHARE));
}

function stableLimit(budget: PromptBudget): number {
  return budget.contextSize - budget.maxOutputTokens - questionReserve(budget);
}

function renderSystem(schema: string, documentation: string[]): string {
  const docs =
    documentation.length > 0 ? `\nBusiness rules and documentation:\n${documentation.join("\n\n")}\n` : "";
  return renderPrompt("sql-system", { schema: schema || "(given with each question)", documentation: docs });
}

/** Whole schema and all documentation when they fit; else the schema alone; else instructions alone. */
export async function buildStablePrompt(input: StablePromptInput): Promise<StablePrompt> {
  const limit = stableLimit(input.budget);
  const noDocumentation = input.documentation.length === 0;
  const fitting: Array<Omit<StablePrompt, "tokens">> = [
    {
      text: renderSystem(input.schemaDdl, input.documentation),
      schemaIncluded: true,
      documentationIncluded: true,
    },
    { text: renderSystem(input.schemaDdl, []), schemaIncluded: true, documentationIncluded: noDocumentation },
  ];
  for (const candidate of fitting) {
    const tokens = await input.countTokens(candidate.text);
    if (tokens <= limit) return { ...candidate, tokens };
  }
  const text = renderSystem("", []);
  return {
    text,
    tokens: await input.countTokens(text),
    schemaIncluded: false,
    documentationIncluded: noDocumentation,
  };
}

function renderQuestion(input: QuestionPromptInput, examples: Example[], documentation: string[]): string {
  const parts: string[] = [];
  if (!input.stable.schemaIncluded && input.linkedSchemaDdl)
    parts.push(`Relevant tables:\n${input.linkedSchemaDdl}`);
  if (documentation.length > 0) parts.push(`Relevant documentation:\n${documentation.join("\n\n")}`);
  if (examples.length > 0) {
    parts.push(
      `Examples of questions and their SQL on this database:\n${examples
        .map((e) => `Question: ${e.question}\nSQL: ${e.sql.replace(/\s+/g, " ").trim()}`)
        .join("\n\n")}`,
    );
  }
  const context = parts.length > 0 ? `${parts.join("\n\n")}\n\n` : "";
  return renderPrompt("sql-question", { context, question: input.question.trim() });
}

/** The per-question message: examples and question, trimmed (least relevant first) to the budget. */
export async function buildQuestionPrompt(input: QuestionPromptInput): Promise<string> {
  const remaining = input.budget.contextSize - input.budget.maxOutputTokens - input.stable.tokens;
  // With the schema in the stable part, the question's part stays short; without it, the linked tables may use the rest.
  const limit = input.stable.schemaIncluded ? Math.min(remaining, questionReserve(input.budget)) : remaining;
  const examples = [...input.examples];
  const documentation = input.stable.documentationIncluded ? [] : [...input.documentation];
  for (;;) {
    const text = renderQuestion(input, examples, documentation);
    if (examples.length === 0 && documentation.length === 0) return text;
    if ((await input.countTokens(text)) <= limit) return text;
    if (documentation.length > examples.length) documentation.pop();
    else examples.pop();
  }
}

export function sqlMessages(stable: StablePrompt, questionPrompt: string): ChatMessage[] {
  return [
    { role: "system", content: stable.text },
    { role: "user", content: questionPrompt },
  ];
}

/** Continues the conversation with the failing SQL and SQLite's error, keeping the evaluated prefix. */
export function repairMessages(
  previous: ChatMessage[],
  question: string,
  failedSql: string,
  error: string,
): ChatMessage[] {
  return [
    ...previous,
    { role: "assistant", content: failedSql },
    { role: "user", content: renderPrompt("sql-repair", { sql: failedSql, error, question }) },
  ];
}

export function followUpPrompt(previousQuestion: string, previousSql: string, question: string): string {
  return renderPrompt("sql-followup", { previousQuestion, previousSql, question });
}
