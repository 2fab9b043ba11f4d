import { renderPrompt } from "../../engine/index.js";
import type { ChatMessage } from "../../engine/index.js";

export type CountTokens = (text: string) => Promise<number>;

export interface PromptBudget {
  /** The model's context window in tokens. */
  contextSize: number;
  /** Tokens kept free for the SQL the model writes. */
  maxOutputTokens: number;
  /** Tokens at most for the per-question part (examples, documentation, value hints, question). */
  questionTokens?: number;
}

/** A value of the database that the question seems to name. */
export interface ValueHint {
  table: string;
  column: string;
  value: string;
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
  /** False when the schema does not fit even without sample values: each question then carries its linked tables. */
  schemaIncluded: boolean;
  /** False when not all documentation fits: each question then carries the relevant sections it lacks. */
  documentationIncluded: boolean;
  /** The documentation sections in the stable part (all of them when documentationIncluded). */
  documentation: string[];
  /** The trained examples in the stable part: every one when a few fit beside the rest, else none. */
  examples: Example[];
}

export interface StablePromptInput {
  schemaDdl: string;
  /**
   * The same schema without sample values, for when `schemaDdl` does not fit the stable part (a
   * wide real-world database), or does not fit beside the few trained examples: it is kept whole
   * there rather than each question carrying only some tables or the examples.
   */
  leanSchemaDdl?: string;
  /** Every documentation section of the database, in a fixed order. */
  documentation: string[];
  /** Every trained example of the database, in a fixed order. */
  examples?: Example[];
  countTokens: CountTokens;
  budget: PromptBudget;
}

export interface QuestionPromptInput {
  stable: StablePrompt;
  question: string;
  /** Most relevant first; the last ones are dropped when the budget is short. */
  examples: Example[];
  /** Values the question names (value linking), shown as hints. */
  values?: ValueHint[];
  /** Relevant documentation, used only when the stable part lacks it. */
  documentation: string[];
  /** DDL of the tables linked to the question, used only when the stable part lacks the schema. */
  linkedSchemaDdl: string;
  /** The same tables without sample values, for when `linkedSchemaDdl` does not fit. */
  linkedLeanSchemaDdl?: string;
  countTokens: CountTokens;
  budget: PromptBudget;
}

/**
 * Tokens kept for the per-question part (examples, relevant documentation, value hints, question):
 * a share of the window, capped, because every one of them is evaluated anew for each question.
 * The cap was chosen by measurement with `askdb eval` (docs/accuracy.md): examples and the business
 * rules they carry are what lift a small model's accuracy, and at 160 tokens at most one or two
 * examples fit; at 512 the usual five do, for about 3 s of prompt evaluation with Qwen2.5-Coder-1.5B
 * on 2 CPU cores.
 */
const QUESTION_SHARE = 0.3;
export const DEFAULT_QUESTION_TOKENS = 512;

function questionReserve(budget: PromptBudget): number {
  return Math.min(
    budget.questionTokens ?? DEFAULT_QUESTION_TOKENS,
    Math.floor(budget.contextSize * QUESTION_SHARE),
  );
}

function stableLimit(budget: PromptBudget): number {
  return budget.contextSize - budget.maxOutputTokens - questionReserve(budget);
}

function renderSystem(schema: string, documentation: string[], examples: Example[] = []): string {
  const docs =
    documentation.length > 0 ? `\nBusiness rules and documentation:\n${documentation.join("\n\n")}\n` : "";
  return renderPrompt("sql-system", {
    schema: schema || "(given with each question)",
    documentation: docs,
    examples: examples.length > 0 ? `\n${renderExamples(examples)}\n` : "",
  });
}

function renderExamples(examples: Example[]): string {
  return `Examples of questions and their SQL on this database:\n${examples
    .map((e) => `Question: ${e.question}\nSQL: ${e.sql.replace(/\s+/g, " ").trim()}`)
    .join("\n\n")}`;
}

/**
 * Tokens at most of trained examples in the stable part. A database trained with a few pairs (about
 * twenty) has them all there, evaluated once instead of again with every question: on Chinook with
 * 12 pairs and Qwen2.5-Coder-1.5B on 2 cores, 31 of 45 questions right against 27 with the pairs
 * in each question's part, p50 2.4 s against 6.3 s (docs/accuracy.md). A pair trained later (the
 * feedback loop) comes last, so only it and the instructions after it are evaluated anew. Many
 * pairs would make every question's context long; the few most like the question are chosen for
 * each instead.
 */
const STABLE_EXAMPLE_TOKENS = 1024;

/**
 * Every trained example beside the whole schema and documentation, when they all fit and the
 * examples are few (`STABLE_EXAMPLE_TOKENS`), the schema without its sample values if need be (a
 * sample value is worth less than an example evaluated once: docs/accuracy.md); else no example,
 * and the rest as `stableWithout` makes it.
 */
export async function buildStablePrompt(input: StablePromptInput): Promise<StablePrompt> {
  const examples = input.examples ?? [];
  if (examples.length > 0 && (await input.countTokens(renderExamples(examples))) <= STABLE_EXAMPLE_TOKENS) {
    for (const schemaDdl of schemaForms(input)) {
      const text = renderSystem(schemaDdl, input.documentation, examples);
      const tokens = await input.countTokens(text);
      if (tokens <= stableLimit(input.budget)) {
        return {
          text,
          tokens,
          schemaIncluded: true,
          documentationIncluded: true,
          documentation: input.documentation,
          examples,
        };
      }
    }
  }
  return stableWithout(input);
}

/** The schema as the stable part may show it, the most detailed first. */
function schemaForms(input: StablePromptInput): string[] {
  return input.leanSchemaDdl ? [input.schemaDdl, input.leanSchemaDdl] : [input.schemaDdl];
}

/**
 * Whole schema and all documentation when they fit; else the schema with as many documentation
 * sections as fit, shortest first (the most rules for the tokens: a business rule is usually a few
 * lines), the schema without its sample values when it does not fit with them; else instructions
 * alone. Sections keep their order, so the text is stable.
 */
async function stableWithout(input: StablePromptInput): Promise<StablePrompt> {
  const limit = stableLimit(input.budget);
  const whole = renderSystem(input.schemaDdl, input.documentation);
  const wholeTokens = await input.countTokens(whole);
  if (wholeTokens <= limit) {
    return {
      text: whole,
      tokens: wholeTokens,
      schemaIncluded: true,
      documentationIncluded: true,
      documentation: input.documentation,
      examples: [],
    };
  }
  for (const schemaDdl of schemaForms(input)) {
    const schemaOnly = await input.countTokens(renderSystem(schemaDdl, []));
    if (schemaOnly > limit) continue;
    const documentation = await sectionsThatFit(input, limit - schemaOnly);
    const text = renderSystem(schemaDdl, documentation);
    return {
      text,
      tokens: await input.countTokens(text),
      schemaIncluded: true,
      documentationIncluded: documentation.length === input.documentation.length,
      documentation,
      examples: [],
    };
  }
  const text = renderSystem("", []);
  return {
    text,
    tokens: await input.countTokens(text),
    schemaIncluded: false,
    documentationIncluded: input.documentation.length === 0,
    documentation: [],
    examples: [],
  };
}

async function sectionsThatFit(input: StablePromptInput, room: number): Promise<string[]> {
  const sized = await Promise.all(
    input.documentation.map(async (section, order) => ({
      section,
      order,
      tokens: (await input.countTokens(section)) + 2,
    })),
  );
  const chosen = new Set<number>();
  let left = room - DOCUMENTATION_HEADER_TOKENS;
  for (const { order, tokens } of [...sized].sort((a, b) => a.tokens - b.tokens)) {
    if (tokens > left) break;
    chosen.add(order);
    left -= tokens;
  }
  return input.documentation.filter((_, order) => chosen.has(order));
}

/** "Business rules and documentation:" and the blank lines around it. */
const DOCUMENTATION_HEADER_TOKENS = 12;

function renderQuestion(
  input: QuestionPromptInput,
  linkedSchemaDdl: string,
  examples: Example[],
  documentation: string[],
): string {
  const parts: string[] = [];
  if (!input.stable.schemaIncluded && linkedSchemaDdl) parts.push(`Relevant tables:\n${linkedSchemaDdl}`);
  if (documentation.length > 0) parts.push(`Relevant documentation:\n${documentation.join("\n\n")}`);
  if (input.values?.length) parts.push(renderValueHints(input.values));
  if (examples.length > 0) parts.push(renderExamples(examples));
  const context = parts.length > 0 ? `${parts.join("\n\n")}\n\n` : "";
  return renderPrompt("sql-question", { context, question: input.question.trim() });
}

/**
 * One line a value. A value stored in several columns is said in one line that names them all, so
 * the model chooses by the question; as one line per column, it took the first as a filter to copy.
 */
function renderValueHints(values: ValueHint[]): string {
  const columnsOf = new Map<string, string[]>();
  for (const hint of values)
    columnsOf.set(hint.value, [...(columnsOf.get(hint.value) ?? []), `${hint.table}.${hint.column}`]);
  const lines = [...columnsOf].map(([value, [only, ...more]]) => {
    const literal = `'${value.replaceAll("'", "''")}'`;
    return more.length === 0
      ? `- ${only} = ${literal}`
      : `- ${literal} is stored in ${[only, ...more].join(" and in ")}`;
  });
  return `Values in the database that the question may refer to:\n${lines.join("\n")}`;
}

export interface QuestionPrompt {
  text: string;
  /** The examples the model is shown: the stable part's, and the question's that fit. */
  examples: Example[];
}

/**
 * The per-question message: examples and question, trimmed (least relevant first) to the budget.
 * Linked tables lose their sample values before any example or documentation is dropped.
 */
export async function buildQuestionPrompt(input: QuestionPromptInput): Promise<QuestionPrompt> {
  const remaining = input.budget.contextSize - input.budget.maxOutputTokens - input.stable.tokens;
  // With the schema in the stable part, the question's part stays short; without it, the linked tables may use the rest.
  const limit = input.stable.schemaIncluded ? Math.min(remaining, questionReserve(input.budget)) : remaining;
  const shown = new Set(input.stable.examples.map(exampleKey));
  const examples = input.examples.filter((example) => !shown.has(exampleKey(example)));
  const inStable = new Set(input.stable.documentation);
  const documentation = input.documentation.filter((section) => !inStable.has(section));
  let linkedSchemaDdl = input.linkedSchemaDdl;
  for (;;) {
    const text = renderQuestion(input, linkedSchemaDdl, examples, documentation);
    if ((await input.countTokens(text)) <= limit)
      return { text, examples: [...input.stable.examples, ...examples] };
    if (input.linkedLeanSchemaDdl && linkedSchemaDdl !== input.linkedLeanSchemaDdl)
      linkedSchemaDdl = input.linkedLeanSchemaDdl;
    else if (documentation.length > examples.length) documentation.pop();
    else if (examples.length > 0) examples.pop();
    else return { text, examples: [...input.stable.examples] };
  }
}

function exampleKey(example: Example): string {
  return `${example.question}\0${example.sql}`;
}

export function sqlMessages(stable: StablePrompt, questionPrompt: string): ChatMessage[] {
  return [
    { role: "system", content: stable.text },
    { role: "user", content: questionPrompt },
  ];
}

/**
 * The question again, with the query that failed and why, behind the same stable prefix (so that is
 * reused). Not a continuation of the conversation: shown its own failed answer as its last turn, a
 * small model mostly repeats it (measured: no repair of a wrong join succeeded that way).
 */
export function repairMessages(first: ChatMessage[], failedSql: string, error: string): ChatMessage[] {
  return questionAgain(first, renderPrompt("sql-repair", { sql: failedSql, error }));
}

/**
 * The question again with facts about the database, and without the query that failed: shown a
 * query with a table or column the database lacks, a small model writes it again.
 */
export function factsMessages(first: ChatMessage[], facts: string): ChatMessage[] {
  return questionAgain(first, renderPrompt("sql-facts", { facts }));
}

/** The first question's messages with `more` after the question, behind the same stable prefix. */
function questionAgain(first: ChatMessage[], more: string): ChatMessage[] {
  const [system, question] = first;
  return [system, { role: "user", content: `${question.content}\n\n${more}` }];
}

export function followUpPrompt(previousQuestion: string, previousSql: string, question: string): string {
  return renderPrompt("sql-followup", { previousQuestion, previousSql, question });
}
