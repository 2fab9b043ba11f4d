import { MAX_SQL_LENGTH } from "./check.js";
import { endOf, meaningfulTokens, stringValue, type SqlToken } from "./lexer.js";

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** Each name SQLite's strftime lacks: the number it has instead, and the names that number stands for. */
const NAMED: Record<string, { number: string; names: string[] }> = {
  "%A": { number: "%w", names: DAYS },
  "%a": { number: "%w", names: DAYS.map((day) => day.slice(0, 3)) },
  "%B": { number: "%m", names: MONTHS },
  "%b": { number: "%m", names: MONTHS.map((month) => month.slice(0, 3)) },
};

/** A call rewritten: where it stood in the text, its new text, and the token that closed it. */
interface GivenCall {
  start: number;
  end: number;
  text: string;
  closedAt: number;
}

/**
 * No query written to answer a question asks strftime this often: past it the SQL is left as it is,
 * so a crafted one cannot make the rewrite's work (each call repeats its arguments for each name it
 * gives) or its length grow without bound.
 */
const MAX_CALLS = 32;

/**
 * SQLite's strftime has no names of days and months: `%A`, `%a`, `%B` and `%b` give NULL there, and
 * people and models write them as C's and Python's strftime read them ("invoices issued on a
 * Saturday or Sunday": `strftime('%A', InvoiceDate) IN ('Saturday', 'Sunday')` finds nothing, every
 * time). Each call whose format asks for one runs as the text it means, built from the number SQLite
 * gives: `CASE strftime('%w', InvoiceDate) WHEN '0' THEN 'Sunday' … END`, the rest of the format
 * joined to it with `||`. The SQL unchanged when no call asks for a name, when a call's format is
 * not a plain literal, or when the SQL is too long or asks strftime too often to rewrite.
 */
export function withDateNames(sql: string): string {
  if (sql.length > MAX_SQL_LENGTH || !/%[AaBb]/.test(sql)) return sql;
  if ((sql.match(/strftime/gi) ?? []).length > MAX_CALLS) return sql;
  try {
    const given = givenIn(sql);
    return given.length > MAX_SQL_LENGTH ? sql : given;
  } catch (error) {
    if (error instanceof TooLong) return sql;
    throw error;
  }
}

/** A rewrite that would outgrow what the guard runs: stopped before it is built. */
class TooLong extends Error {}

/** Left to right; a call's arguments are given by the call itself, so each call is read once. */
function givenIn(sql: string): string {
  const tokens = meaningfulTokens(sql);
  let result = "";
  let from = 0;
  for (let at = 0; at < tokens.length; at += 1) {
    const call = strftimeCall(sql, tokens, at);
    if (!call) continue;
    result += sql.slice(from, call.start) + call.text;
    from = call.end;
    at = call.closedAt;
  }
  return result + sql.slice(from);
}

/**
 * `strftime('<format with a name>'[, <time value and modifiers>])` at `at`, as the text it means.
 * Only a format that is a literal alone: `strftime('%A' || x, d)` is left as written.
 */
function strftimeCall(sql: string, tokens: SqlToken[], at: number): GivenCall | undefined {
  const [name, open, format, next] = tokens.slice(at, at + 4);
  if (name.kind !== "word" || name.text.toUpperCase() !== "STRFTIME" || open?.text !== "(") return undefined;
  const pattern = format && stringValue(format);
  const pieces = pattern === undefined ? undefined : formatPieces(pattern);
  const close = pieces && closingParenthesis(tokens, at + 1);
  if (!pieces || close === undefined) return undefined;
  const alone = at + 3 === close;
  if (!alone && (next?.text !== "," || at + 4 >= close)) return undefined;
  const args = alone ? "" : givenIn(textBetween(sql, tokens, at + 4, close));
  if (args.length * pieces.length > MAX_SQL_LENGTH) throw new TooLong();
  const parts = pieces.map((piece) => pieceSql(piece, args));
  return { start: name.start, end: endOf(tokens[close]), text: `(${parts.join(" || ")})`, closedAt: close };
}

function closingParenthesis(tokens: SqlToken[], open: number): number | undefined {
  let depth = 0;
  for (let at = open; at < tokens.length; at += 1) {
    if (tokens[at].text === "(") depth += 1;
    if (tokens[at].text === ")") depth -= 1;
    if (depth === 0) return at;
  }
  return undefined;
}

function textBetween(sql: string, tokens: SqlToken[], first: number, end: number): string {
  return first < end ? sql.slice(tokens[first].start, endOf(tokens[end - 1])) : "";
}

/**
 * The format cut at each name it asks for: `'%A, %d %B'` → `%A`, `, %d `, `%B`; undefined when it
 * asks for none. `%%` is a percent sign, never the start of a name.
 */
function formatPieces(format: string): string[] | undefined {
  const pieces: string[] = [];
  for (const part of format.match(/%[\s\S]|[^%]+|%$/g) ?? []) {
    if (part in NAMED) pieces.push(part);
    else if (pieces.length > 0 && !(pieces[pieces.length - 1] in NAMED)) pieces[pieces.length - 1] += part;
    else pieces.push(part);
  }
  return pieces.some((piece) => piece in NAMED) ? pieces : undefined;
}

function pieceSql(piece: string, args: string): string {
  const named = NAMED[piece];
  const call = (format: string) => `strftime(${quoted(format)}${args ? `, ${args}` : ""})`;
  if (!named) return call(piece);
  const whens = named.names.map((name, at) => {
    const number = named.number === "%m" ? String(at + 1).padStart(2, "0") : String(at);
    return `WHEN '${number}' THEN ${quoted(String(name))}`;
  });
  return `CASE ${call(named.number)} ${whens.join(" ")} END`;
}

function quoted(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
