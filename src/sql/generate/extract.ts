/**
 * Finds the SQL in a model's free-text answer: a ```sql fence, a "SQL:" line, or the first
 * SELECT/WITH … up to a semicolon or the end of the statement. Returns undefined when there is none.
 */
export function extractSql(text: string): string | undefined {
  const fenced = /```[ \t]*(?:sql|sqlite)?[ \t]*\n?([\s\S]*?)(?:```|$)/i.exec(text);
  const body = fenced && /\b(?:SELECT|WITH)\b/i.test(fenced[1]) ? fenced[1] : text;
  const start = sqlStart(body);
  if (start < 0) return undefined;
  const sql = cutAtStatementEnd(body.slice(start));
  return sql === "" ? undefined : sql;
}

const UPPER_START = /\b(?:WITH\s+(?:RECURSIVE\s+)?["`[\w]+\s*(?:\([^)]*\)\s*)?AS\s*\(|SELECT\b)/;
/** Lower-case SQL counts only with a FROM after it: "please select a table" is prose. */
const LOWER_START =
  /\b(?:with\s+(?:recursive\s+)?["`[\w]+\s*(?:\([^)]*\)\s*)?as\s*\(|select\b(?=[\s\S]*\bfrom\b))/i;

function sqlStart(text: string): number {
  const upper = text.search(UPPER_START);
  return upper >= 0 ? upper : text.search(LOWER_START);
}

/** Ends the statement at the first `;` outside strings, or at a blank line followed by prose. */
function cutAtStatementEnd(text: string): string {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"' || ch === "`") {
      quote = ch;
    } else if (ch === ";") {
      return text.slice(0, i).trim();
    } else if (ch === "\n" && PROSE_AFTER_BLANK_LINE.test(text.slice(i))) {
      return text.slice(0, i).trim();
    }
  }
  return text.trim();
}

/**
 * A blank line, then a sentence ("This query lists …", "- It counts …") or a heading
 * ("Explanation:"). A line of the statement itself may begin with a capitalised name
 * (`FROM\n    Track AS T1`, a second CTE `Totals AS (`), so one newline is not enough, and a name
 * followed by a keyword or an alias is not a sentence.
 */
const PROSE_AFTER_BLANK_LINE =
  /^\n[ \t\r]*\n\s*(?:[-*][ \t]+|\d+\.[ \t]+)?[A-Z][a-z']*(?::|,?[ \t]+[a-z]+[ \t]+[a-z])/;
