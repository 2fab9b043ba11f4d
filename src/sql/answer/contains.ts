import { meaningfulTokens, stringValue, type SqlToken } from "../guard/index.js";

/** A text the question asks to find inside a column's values, as a LIKE pattern. */
interface PartAsked {
  text: string;
  pattern: string;
}

/** A text in quotes, the closing one matching the opening: "O'Neil" is one text. */
const QUOTED = String.raw`(?:'([^']+)'|"([^"]+)"|‘([^’]+)’|“([^”]+)”)`;
/** A quoted text, or one word: what follows "contains", "starting with", … */
const TEXT = String.raw`(?:${QUOTED}|([\p{L}\p{N}][\p{L}\p{N}-]*))`;
/** Nouns for a text, which a value is found inside ("a playlist that contains 'Hey Jude'" holds a whole track). */
const TEXTUAL = String.raw`(?:names?|titles?|descriptions?|texts?|words?|address(?:es)?|e-?mails?|comments?|notes?|labels?)`;
const CONTAINING = String.raw`(?:contain(?:s|ing)?|includ(?:e|es|ing))\s+`;
/** "the word love", "the letters ab". */
const NAMED_AS = String.raw`the\s+(?:word|phrase|letters?|string|substring)\s+`;
const CONTAINS = new RegExp(
  String.raw`(?:\b${TEXTUAL}\s+(?:that\s+|which\s+)?${CONTAINING}(?:${NAMED_AS})?|\b${CONTAINING}${NAMED_AS})${TEXT}`,
  "giu",
);
const STARTS = new RegExp(
  String.raw`\b(?:start|begin)(?:s|ning|ing)?\s+with\s+(?:the\s+letters?\s+)?${TEXT}`,
  "giu",
);
const ENDS = new RegExp(String.raw`\bend(?:s|ing)?\s+(?:with|in)\s+(?:the\s+letters?\s+)?${TEXT}`, "giu");
/** "'Greatest Hits' in the title", "'love' in their names". */
const QUOTED_IN = new RegExp(String.raw`${QUOTED}\s+in\s+(?:the|its|their|his|her)\s+${TEXTUAL}\b`, "giu");

/** What the question asks to find inside values rather than as a whole value. */
function partsAsked(question: string): PartAsked[] {
  const found = (pattern: RegExp, like: (text: string) => string) =>
    [...question.matchAll(pattern)].map((match) => {
      // Each pattern captures its text once, in whichever form it is written.
      const text = match.slice(1).find((group) => group !== undefined) ?? "";
      return { text, pattern: like(text) };
    });
  return [
    ...found(CONTAINS, (text) => `%${text}%`),
    ...found(QUOTED_IN, (text) => `%${text}%`),
    ...found(STARTS, (text) => `${text}%`),
    ...found(ENDS, (text) => `%${text}`),
  ];
}

/**
 * The query with a whole-value comparison made a LIKE where the question asks for part of a text:
 * "How many albums have 'Greatest Hits' in the title?" answered with `Title = 'Greatest Hits'`
 * (both models, every run on Chinook) finds one album of the three. `Title = 'Greatest Hits'` and
 * `Title LIKE 'Greatest Hits'` become `Title LIKE '%Greatest Hits%'`; "starting with" and "ending
 * with" put the % on one side. A text with a LIKE wildcard of its own is left alone, and so is a
 * query that already matches part of it. Undefined when nothing changes.
 */
export function matchingPartsAsked(sql: string, question: string): string | undefined {
  const asked = partsAsked(question).filter(({ text }) => text !== "" && !/[%_]/.test(text));
  if (asked.length === 0) return undefined;
  const tokens = meaningfulTokens(sql);
  const edits = tokens.flatMap((token, at) => {
    const literal = tokens[at + 1];
    const value = literal && stringValue(literal);
    if (value === undefined || !comparesWhole(token) || !isColumnEnd(tokens[at - 1])) return [];
    const part = asked.find(({ text }) => text.toLowerCase() === value.toLowerCase());
    if (!part) return [];
    const end = literal.start + literal.text.length;
    return [{ start: token.start, end, text: `LIKE '${part.pattern.replaceAll("'", "''")}'` }];
  });
  if (edits.length === 0) return undefined;
  return edits.reduceRight((text, edit) => text.slice(0, edit.start) + edit.text + text.slice(edit.end), sql);
}

function comparesWhole(token: SqlToken): boolean {
  return token.text === "=" || (token.kind === "word" && token.text.toUpperCase() === "LIKE");
}

/** The end of a column name: `Title`, `"Album Title"`, or the `.Title` of `T1.Title`. */
function isColumnEnd(token: SqlToken | undefined): boolean {
  if (!token) return false;
  return (
    token.kind === "word" ||
    token.kind === "identifier" ||
    (token.kind === "symbol" && /^\.\S/.test(token.text))
  );
}
