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
  signal?: AbortSignal,
): Promise<string> {
  const result = await engine.chat(
    [{ role: "user", content: followUpPrompt(context.previousQuestion, context.previousSql, question) }],
    {
      temperature: 0,
      maxTokens: MAX_REWRITE_TOKENS,
      stop: ["\n"],
      ...(signal ? { signal } : {}),
    },
  );
  const rewritten = result.text
    .split("\n")[0]
    .replace(/^standalone question:\s*/i, "")
    .trim();
  return rewritten.length >= 3 ? rewritten : question;
}
