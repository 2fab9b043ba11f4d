import type { Engine } from "../../engine/index.js";
import { followUpPrompt } from "../prompt/index.js";

/**
 * Whether a question leans on the previous one ("and last month?", "what about suppliers?",
 * "only the unpaid ones"): it starts with a connective or refers back with a pronoun, and is short.
 */
export function looksLikeFollowUp(question: string): boolean {
  const q = question.trim().toLowerCase();
  if (q.split(/\s+/).length > 12) return false;
  return (
    /^(and|or|but|also|then|now|same|only|just|except|what about|how about|and what about|instead|versus|vs\.?|compared)\b/.test(
      q,
    ) || /\b(those|these|them|that one|the same|it|its|their|ones)\b/.test(q)
  );
}

export interface FollowUpContext {
  previousQuestion: string;
  previousSql: string;
}

const MAX_REWRITE_TOKENS = 96;

/** One standalone question from the follow-up and the previous question and SQL, written by the model. */
export async function rewriteFollowUp(
  engine: Engine,
  context: FollowUpContext,
  question: string,
  options: { systemPrompt?: string; signal?: AbortSignal } = {},
): Promise<string> {
  const prompt = followUpPrompt(context.previousQuestion, context.previousSql, question);
  const result = await engine.chat(
    [
      ...(options.systemPrompt ? [{ role: "system" as const, content: options.systemPrompt }] : []),
      { role: "user", content: prompt },
    ],
    {
      temperature: 0,
      maxTokens: MAX_REWRITE_TOKENS,
      stop: ["\n"],
      ...(options.signal ? { signal: options.signal } : {}),
    },
  );
  const rewritten = result.text
    .split("\n")[0]
    .replace(/^standalone question:\s*/i, "")
    .trim();
  // A model that answers with SQL (or nothing) instead of a question leaves the follow-up as asked.
  return rewritten.length >= 3 && !/^(select|with)\b/i.test(rewritten) ? rewritten : question;
}
