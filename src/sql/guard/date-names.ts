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

interface Replacement {
  start: number;
  end: number;
  text: string;
}

/**
 * SQLite's strftime has no names of days and months: `%A`, `%a`, `%B` and `%b` give NULL there, and
 * people and models write them as C's and Python's strftime read them ("invoices issued on a
 * Saturday or Sunday": `strftime('%A', InvoiceDate) IN ('Saturday', 'Sunday')` finds nothing, every
 * time). Each call whose format asks for one runs as the text it means, built from the number SQLite
 * gives: `CASE strftime('%w', InvoiceDate) WHEN '0' THEN 'Sunday' … END`, the rest of the format
 * joined to it with `||`. The SQL unchanged when no call asks for a name.
 */
export function withDateNames(sql: string): string {
  if (!/%[AaBb]/.test(sql)) return sql;
  const tokens = meaningfulTokens(sql);
  const replacements = tokens.flatMap((token, at) => {
    const call = strftimeCall(sql, tokens, at);
    return call ? [call] : [];
  });
  let result = "";
  let from = 0;
  for (const { start, end, text } of replacements) {
    if (start < from) continue; // a call inside another's arguments: the outer one carries it
    result += sql.slice(from, start) + text;
    from = end;
  }
  return result + sql.slice(from);
}

/** `strftime('<format with a name>', <time value and modifiers>)` at `at`, as the text it means. */
function strftimeCall(sql: string, tokens: SqlToken[], at: number): Replacement | undefined {
  const [name, open, format, comma] = tokens.slice(at, at + 4);
  if (name.kind !== "word" || name.text.toUpperCase() !== "STRFTIME" || open?.text !== "(") return undefined;
  const pattern = format && stringValue(format);
  const pieces = pattern === undefined ? undefined : formatPieces(pattern);
  const close = pieces && closingParenthesis(tokens, at + 1);
  if (!pieces || close === undefined) return undefined;
  const args =
    comma?.text === "," && at + 3 < close ? withDateNames(textBetween(sql, tokens, at + 4, close)) : "";
  const parts = pieces.map((piece) => pieceSql(piece, args));
  const text = `(${parts.join(" || ")})`;
  return { start: name.start, end: endOf(tokens[close]), text };
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
