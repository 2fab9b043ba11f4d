import type { Example } from "../prompt/index.js";
import { withoutRankingValue } from "../schema/index.js";

/**
 * "and how many", "with their totals", "what is the total …": the question asks for a value beside
 * what it ranks. "the top 3 countries by total sales" and "the genre with the most tracks" do not.
 */
const ASKS_FOR_A_VALUE =
  /\bhow (?:many|much)\b|\b(?:and|with|plus|along with|together with|as well as|including)\s+(?:(?:the|their|its|his|her)\s+)?(?:[\p{L}-]+\s+)?(?:numbers?|counts?|totals?|amounts?|sums?|averages?|values?|figures?|how|what)\b|^\s*what(?:'s|\s+is|\s+are|\s+was|\s+were)\s+(?:the\s+)?(?:number|count|total|amount|sum|average|value)\b/iu;

/**
 * Whether the answer to a ranking question ("which city brought in the most revenue") shows the
 * value it ranks by. Small models add it, as an analyst would: on Chinook, 4 of the 20 wrong
 * answers of Qwen2.5-Coder-1.5B were the right rows with the ranking value beside them, which
 * the question did not ask for (the model alone adds it once). It is shown when the question asks
 * for it, or when the database's trained examples show it in rankings of their own that did not
 * ask: the examples are how the database's owner says what an answer shows.
 */
export function showsRankingValue(question: string, examples: Example[]): boolean {
  return (
    ASKS_FOR_A_VALUE.test(question) ||
    examples.some((example) => !ASKS_FOR_A_VALUE.test(example.question) && withoutRankingValue(example.sql))
  );
}
