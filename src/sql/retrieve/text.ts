/**
 * Words as retrieval sees them: lower case, light stemming (plurals), stop words dropped, and the
 * phrasings of "count" folded into one token so "how many" and "number of" match each other.
 */
const STOP_WORDS = new Set(
  (
    "a an the of in on at to for from by with and or is are was were be been being do does did " +
    "there their this that these those it its we our us you your i me my they them he she " +
    "what which who whom whose where when how please can could would should will shall may might " +
    "show list give display tell find get fetch return see want need let all each every any " +
    "me some have has had as into about than then so just also per"
  ).split(" "),
);

/** Tokens that change a question's meaning even though they are short. Never dropped. */
const MEANINGFUL = new Set([
  "not",
  "no",
  "without",
  "never",
  "top",
  "bottom",
  "most",
  "least",
  "last",
  "first",
  "next",
]);

const NUMBER_WORDS =
  "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty".split(
    " ",
  );
/** "one" is left alone: "the one with…" is no number. */
const NUMBER_WORD = new RegExp(`\\b(${NUMBER_WORDS.slice(2).join("|")})\\b`, "g");

const PHRASES: Array<[RegExp, string]> = [
  [/\bhow many\b/g, " count "],
  [/\bnumber of\b/g, " count "],
  [/\bhow much\b/g, " amount "],
];

export function stem(word: string): string {
  if (word.length <= 3 || /^\d/.test(word)) return word;
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(?:ss|us|is)$/.test(word)) return word;
  if (/(?:xes|ches|shes|sses)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith("s")) return word.slice(0, -1);
  return word;
}

/** Lower case, number words as digits ("top ten" = "top 10"), phrasings of count folded. */
function canonicalText(text: string): string {
  let lowered = text.toLowerCase().replace(NUMBER_WORD, (word) => String(NUMBER_WORDS.indexOf(word)));
  for (const [pattern, replacement] of PHRASES) lowered = lowered.replace(pattern, replacement);
  return lowered;
}

function words(text: string): string[] {
  const lowered = canonicalText(text);
  // A possessive is no part of the name: "King's" is King.
  return (lowered.match(/[\p{L}\p{N}]+(?:[.'][\p{L}\p{N}]+)*/gu) ?? []).map((word) =>
    word.replace(/'s$/, ""),
  );
}

/** Content tokens for search and similarity. */
export function tokenize(text: string): string[] {
  return words(text)
    .filter((w) => MEANINGFUL.has(w) || !STOP_WORDS.has(w))
    .map(stem);
}

/** Identifier-like tokens of a SQL text or name: `invoice_items` → invoice, item, invoice_item. */
export function identifierTokens(text: string): string[] {
  const out: string[] = [];
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []) {
    out.push(stem(word));
    if (word.includes("_")) for (const part of word.split("_")) if (part) out.push(stem(part));
  }
  return out;
}

/** Numbers and quoted values in a question: two questions differing in these ask different things. */
export function literals(text: string): string[] {
  const quoted = text.match(/'[^']*'|"[^"]*"/g) ?? [];
  const numbers = canonicalText(text.replace(/'[^']*'|"[^"]*"/g, "")).match(/\d+(?:\.\d+)?/g) ?? [];
  return [...quoted.map((q) => q.toLowerCase()), ...numbers].sort();
}

/** The question as a cache key: case, spacing and trailing punctuation do not matter. */
export function normaliseQuestion(question: string): string {
  return question
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/[\s?.!]+$/g, "")
    .trim();
}

/**
 * How alike two questions are, from 0 to 1: Jaccard overlap of content tokens, and 0 when their
 * numbers or quoted values differ ("top 5" vs "top 10").
 */
export function questionSimilarity(a: string, b: string): number {
  const la = literals(a);
  const lb = literals(b);
  if (la.length !== lb.length || la.some((value, i) => value !== lb[i])) return 0;
  const ta = new Set(tokenize(a));
  const tb = new Set(tokenize(b));
  if (ta.size === 0 || tb.size === 0) return 0;
  if (!sameShapeWords(ta, tb)) return 0;
  let shared = 0;
  for (const token of ta) if (tb.has(token)) shared += 1;
  return shared / (ta.size + tb.size - shared);
}

/**
 * Words that change what a query computes, not what it is about: "which formats are tracks sold in"
 * and "which format have we sold the most tracks in" share most words and need different SQL.
 */
const SHAPE_WORDS = new Set(
  [
    ...MEANINGFUL,
    "count",
    "amount",
    "average",
    "total",
    "sum",
    "highest",
    "lowest",
    "largest",
    "smallest",
    "biggest",
    "best",
    "worst",
    "cheapest",
    "maximum",
    "minimum",
    "more",
    "less",
    "fewer",
    "fewest",
    "greatest",
    "max",
    "min",
    "avg",
    "mean",
    "distinct",
    "unique",
    "different",
    "only",
    "both",
  ].map(stem),
);

function sameShapeWords(a: Set<string>, b: Set<string>): boolean {
  const shapeOf = (tokens: Set<string>) =>
    [...tokens]
      .filter((token) => SHAPE_WORDS.has(token))
      .sort()
      .join(" ");
  return shapeOf(a) === shapeOf(b);
}

/** Conservative: only rewordings (case, punctuation, filler words, plural forms, word order) reuse SQL. */
export const NEAR_DUPLICATE_THRESHOLD = 0.8;
