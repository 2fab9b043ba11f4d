import { endOf, meaningfulTokens, stringValue, type SqlToken } from "../guard/index.js";

/** A text the question asks to find inside a column's values, and the LIKE pattern that finds it. */
interface PartAsked {
  text: string;
  like: (value: string) => string;
}

/** A text in quotes, closed by the quote that opened it: "O'Neil", in double quotes, is one text. */
const QUOTED = String.raw`(?:'([^']+)'|"([^"]+)"|‘([^’]+)’|“([^”]+)”)`;
/** A quoted text, or one word. */
const TEXT = String.raw`(?:${QUOTED}|([\p{L}\p{N}][\p{L}\p{N}-]*))`;
/**
 * Nouns for a text, which a value is found inside. Without one, only a quoted text is taken: "a
 * playlist that contains 'Hey Jude'" holds a whole track, and "flights that end in Boston" land there.
 */
const TEXTUAL = String.raw`(?:names?|titles?|descriptions?|texts?|words?|address(?:es)?|e-?mails?|comments?|notes?|labels?)`;
/** "the word love", "the letters ab". */
const NAMED_AS = String.raw`(?:the\s+(?:word|phrase|letters?|string|substring)\s+)`;

/** "names containing love", "contains the word love"; "starting with 'The'", "titles that start with The". */
function partPattern(verb: string, textWithoutNoun: string): RegExp {
  return new RegExp(
    String.raw`\b${TEXTUAL}\s+(?:that\s+|which\s+)?${verb}\s+${NAMED_AS}?${TEXT}|\b${verb}\s+${textWithoutNoun}`,
    "giu",
  );
}

const CONTAINS = partPattern(String.raw`(?:contain(?:s|ing)?|includ(?:e|es|ing))`, `${NAMED_AS}${TEXT}`);
const STARTS = partPattern(String.raw`(?:start|begin)(?:s|ning|ing)?\s+with`, `${NAMED_AS}?${QUOTED}`);
const ENDS = partPattern(String.raw`end(?:s|ing)?\s+(?:with|in)`, `${NAMED_AS}?${QUOTED}`);
/** "'Greatest Hits' in the title", "'love' in their names". */
const QUOTED_IN = new RegExp(String.raw`${QUOTED}\s+in\s+(?:the|its|their|his|her)\s+${TEXTUAL}\b`, "giu");

/** What the question asks to find inside values rather than as a whole value. */
function partsAsked(question: string): PartAsked[] {
  const found = (pattern: RegExp, like: (value: string) => string) =>
    [...question.matchAll(pattern)].map((match) => {
      // Each pattern captures its text once, in whichever form it is written.
      const text = match.slice(1).find((group) => group !== undefined) ?? "";
      return { text, like };
    });
  return [
    ...found(CONTAINS, (value) => `%${value}%`),
    ...found(QUOTED_IN, (value) => `%${value}%`),
    ...found(STARTS, (value) => `${value}%`),
    ...found(ENDS, (value) => `%${value}`),
  ].filter(({ text }) => text !== "" && !/[%_]/.test(text));
}

/**
 * The query with a whole-value comparison made a LIKE where the question asks for part of a text:
 * "How many albums have 'Greatest Hits' in the title?" answered with `Title = 'Greatest Hits'`
 * (both models, every run on Chinook) finds one album of the three. `Title = 'Greatest Hits'` and
 * `Title LIKE 'Greatest Hits'` become `Title LIKE '%Greatest Hits%'`; "starting with" and "ending
 * with" put the % on one side. The pattern is the query's value, which is how the database writes
 * it (LIKE ignores the case of ASCII letters only). A text compared more than once is left alone:
 * "Rock tracks whose names contain Rock" compares the genre with 'Rock' too. So is a text with a
 * LIKE wildcard of its own, and a query that already matches part of it. Undefined when nothing
 * changes.
 */
export function matchingPartsAsked(sql: string, question: string): string | undefined {
  const asked = partsAsked(question);
  if (asked.length === 0) return undefined;
  const tokens = meaningfulTokens(sql);
  const comparisons = tokens.flatMap((token, at) => {
    const literal = tokens[at + 1];
    const value = literal && stringValue(literal);
    if (value === undefined || !comparesWhole(token) || !isColumnEnd(tokens[at - 1])) return [];
    const part = asked.find(({ text }) => sameText(text, value));
    return part ? [{ start: token.start, end: endOf(literal), value, part }] : [];
  });
  const once = comparisons.filter(
    ({ value }) => comparisons.filter((other) => sameText(other.value, value)).length === 1,
  );
  if (once.length === 0) return undefined;
  return once.reduceRight(
    (text, { start, end, value, part }) =>
      `${text.slice(0, start)}LIKE '${part.like(value).replaceAll("'", "''")}'${text.slice(end)}`,
    sql,
  );
}

function sameText(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function comparesWhole(token: SqlToken): boolean {
  return token.text === "=" || (token.kind === "word" && token.text.toUpperCase() === "LIKE");
}

/** The end of a column name: `Title`, `"Album Title"`, the `.Title` of `T1.Title`; or NOT, of NOT LIKE. */
function isColumnEnd(token: SqlToken | undefined): boolean {
  if (!token) return false;
  return (
    token.kind === "word" ||
    token.kind === "identifier" ||
    (token.kind === "symbol" && /^\.\S/.test(token.text))
  );
}
