import type { Example } from "../prompt/index.js";
import { tokenize } from "../retrieve/index.js";
import { withoutRankingValue } from "../schema/index.js";

/**
 * "and how many", "with their totals", "what is the total …": the question asks for a value beside
 * what it ranks. "the top 3 countries by total sales" and "the genre with the most tracks" do not.
 */
const ASKS_FOR_A_VALUE =
  /\bhow (?:many|much)\b|\b(?:and|with|plus|along with|together with|as well as|including)\s+(?:(?:the|their|its|his|her)\s+)?(?:[\p{L}-]+\s+)?(?:numbers?|counts?|totals?|amounts?|sums?|averages?|values?|figures?|how|what)\b|^\s*what(?:'s|\s+is|\s+are|\s+was|\s+were)\s+(?:the\s+)?(?:number|count|total|amount|sum|average|value)\b/iu;

/** The words after "and", "with", …: what the question asks for besides its subject ("and their revenue"). */
const ALSO_ASKED =
  /\b(?:and|with|plus|along with|together with|as well as|including)\s+((?:[\p{L}\p{N}_'-]+\s*){1,3})/giu;

/** "with the most tracks" is how the question ranks, not a value it asks for. */
const RANKS =
  /^(?:the\s+)?(?:most|least|more|less|fewest|highest|lowest|largest|smallest|biggest|greatest|best|worst|top|longest|shortest|oldest|newest|youngest|cheapest)\b/iu;

/** The words of a query's text: `SUM(T2.UnitPrice) AS TotalRevenue` → sum, t2, unit, price, total, revenue. */
function wordsOfSql(text: string): string[] {
  return tokenize(text.replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, "$1 $2").replace(/[_.]/g, " "));
}

/**
 * The database's trained examples show ranking values in answers to questions that did not ask for
 * them: the examples are how the database's owner says what an answer shows.
 */
export function examplesShowRankingValues(examples: Example[]): boolean {
  return examples.some(
    (example) => !ASKS_FOR_A_VALUE.test(example.question) && withoutRankingValue(example.sql),
  );
}

/**
 * Which values a ranking's answer shows beside what it ranks ("which city brought in the most
 * revenue"). Small models add the value, as an analyst would: on Chinook, 4 of the 20 wrong
 * answers of Qwen2.5-Coder-1.5B were the right rows with the ranking value beside them, which the
 * question did not ask for (the model alone adds it once). Every value is shown when the question
 * asks for one in so many words, or when the database's examples show them
 * (`examplesShowRankingValues`); else a value is shown when the question names it after "and",
 * "with" … ("the top 5 products and their revenue").
 */
export function rankingValuesShown(question: string, examplesShowThem: boolean): (value: string) => boolean {
  if (examplesShowThem || ASKS_FOR_A_VALUE.test(question)) return () => true;
  const named = new Set(
    [...question.matchAll(ALSO_ASKED)]
      .map((match) => match[1])
      .filter((words) => !RANKS.test(words))
      .flatMap((words) => tokenize(words)),
  );
  return (value) => wordsOfSql(value).some((word) => named.has(word));
}
