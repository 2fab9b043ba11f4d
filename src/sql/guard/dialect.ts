import type Database from "better-sqlite3";
import { sqlIdentifier } from "../grammar/index.js";
import { tokenizeSql, type SqlToken } from "./lexer.js";

/**
 * SQLite's default build reads a double-quoted word that names no column as a string literal, and
 * people, models and benchmarks write `WHERE name = "Kyle"` relying on it. askdb's SQLite has that
 * misfeature off (SQLITE_DQS=0), so such a query fails with `no such column: "Kyle"`. This applies
 * SQLite's own rule, with SQLite as the judge: while preparing fails because a double-quoted token
 * resolves to no column, that token becomes a single-quoted literal. A double-quoted name that does
 * resolve stays an identifier. Backticks and [brackets] need nothing: SQLite reads them as names.
 */
export function acceptDoubleQuotedLiterals(db: Database.Database, sql: string): string {
  let current = sql;
  for (let tries = 0; tries < MAX_REWRITES; tries += 1) {
    const missing = missingColumn(db, current);
    if (missing === undefined) return current;
    const token = tokenizeSql(current).find((t) => isDoubleQuoted(t) && unquote(t.text) === missing);
    if (!token) return current;
    current =
      current.slice(0, token.start) + toLiteral(token) + current.slice(token.start + token.text.length);
  }
  return current;
}

/** A query seldom holds more string literals than this; the loop prepares once per rewrite. */
const MAX_REWRITES = 16;

/** The word SQLite suggests may be a string literal, if preparing the SQL fails with that hint. */
function missingColumn(db: Database.Database, sql: string): string | undefined {
  if (!sql.includes('"')) return undefined;
  try {
    db.prepare(sql);
    return undefined;
  } catch (error) {
    return /^no such column: "([\s\S]*)" - should this be a string literal/.exec(
      (error as Error).message,
    )?.[1];
  }
}

function isDoubleQuoted(token: SqlToken): boolean {
  return (
    token.kind === "identifier" &&
    token.text.startsWith('"') &&
    token.text.endsWith('"') &&
    token.text.length > 1
  );
}

function unquote(text: string): string {
  return text.slice(1, -1).replaceAll('""', '"');
}

function toLiteral(token: SqlToken): string {
  return `'${unquote(token.text).replaceAll("'", "''")}'`;
}

/**
 * A name with spaces or signs must be quoted ("Airline Name", "Altitude (ft)"), and small models
 * write it bare or joined (`SELECT Airline Name FROM Airline Directory`, `Flight_Count`,
 * `Altitude_ft`), or without the unit in brackets at its end (`ORDER BY Altitude`): on a database
 * with such names, every answer of Qwen2.5-Coder-1.5B failed so, with askdb and alone. With SQLite
 * as the judge again: only a query that fails to prepare is touched, and in it only the words
 * (outside literals and quoted names) that spell such a name of the database: its words in order,
 * case aside, apart by spaces, underscores, its own signs or nothing.
 */
export function quoteSpelledNames(db: Database.Database, sql: string): string {
  if (prepares(db, sql)) return sql;
  const spellings = spellingsOf(db);
  if (spellings.length === 0) return sql;
  const masked = maskQuoted(sql);
  const found = spellings.flatMap(({ name, pattern }) =>
    [...masked.matchAll(pattern)].map((match) => ({
      start: match.index,
      end: match.index + balanced(match[0]).length,
      name,
    })),
  );
  let rewritten = "";
  let at = 0;
  for (const match of longestFirst(found)) {
    rewritten += sql.slice(at, match.start) + `"${match.name.replaceAll('"', '""')}"`;
    at = match.end;
  }
  return at === 0 ? sql : rewritten + sql.slice(at);
}

function prepares(db: Database.Database, sql: string): boolean {
  try {
    db.prepare(sql);
    return true;
  } catch {
    return false;
  }
}

interface Spelling {
  name: string;
  pattern: RegExp;
}

/**
 * How each table, view or column name that only works quoted may be spelled bare. A name that
 * ends in a unit in brackets may also be spelled without it, when no other name is spelled so
 * (and not as a keyword or function: `Count (total)` is no `COUNT(*)`).
 */
function spellingsOf(db: Database.Database): Spelling[] {
  const all = namesOf(db);
  const taken = new Set(all.map((name) => wordsOf(name).join("_").toLowerCase()));
  const quoted = all.filter((name) => sqlIdentifier(name) !== name);
  const spelled = quoted
    .filter(
      (name) => wordsOf(name).length > 1 && !all.some((other) => other !== name && sameWords(other, name)),
    )
    .map((name) => ({ name, pattern: spellingPattern(name, "") }));
  const withoutUnit = quoted.flatMap((name) => {
    const stem = /^(.*[\p{L}\p{N}])\s*\([^()]*\)$/u.exec(name)?.[1];
    return stem ? [{ name, stem }] : [];
  });
  const unitless = withoutUnit
    .filter(({ stem }) => !taken.has(wordsOf(stem).join("_").toLowerCase()) && !isKeyword(stem))
    .filter(({ stem }) => withoutUnit.filter((other) => sameWords(other.stem, stem)).length === 1)
    .map(({ name, stem }) => ({ name, pattern: spellingPattern(stem, "(?!\\s*\\()") }));
  return [...spelled, ...unitless];
}

function isKeyword(stem: string): boolean {
  const joined = wordsOf(stem).join("_");
  return sqlIdentifier(joined) !== joined;
}

function namesOf(db: Database.Database): string[] {
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  const columns = tables.flatMap(
    (table) => db.prepare("SELECT name FROM pragma_table_info(?)").pluck().all(table) as string[],
  );
  return [...new Set([...tables, ...columns])];
}

function wordsOf(name: string): string[] {
  return name.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

function sameWords(a: string, b: string): boolean {
  return wordsOf(a).join(" ").toLowerCase() === wordsOf(b).join(" ").toLowerCase();
}

/** The name's words in order, apart by spaces, underscores, the signs the name has there, or nothing. */
function spellingPattern(name: string, after: string): RegExp {
  const pieces = name.split(/([\p{L}\p{N}]+)/u);
  const pattern = pieces
    .map((piece, index) => {
      if (index % 2 === 1) return escapeRegExp(piece);
      const signs = escapeRegExp([...new Set(piece.replace(/\s/g, ""))].join(""));
      const inside = index > 0 && index < pieces.length - 1;
      return inside ? `[\\s_${signs}]*` : signs ? `[${signs}]*` : "";
    })
    .join("");
  return new RegExp(`(?<![\\p{L}\\p{N}_$\\0])${pattern}(?![\\p{L}\\p{N}_$\\0])${after}`, "giu");
}

/** Without the closing brackets it has more of than opening ones: `AVG(Delay_min)` takes no `)` of AVG's. */
function balanced(text: string): string {
  let kept = text;
  while (kept.endsWith(")") && kept.split(")").length > kept.split("(").length) kept = kept.slice(0, -1);
  return kept;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/** The SQL with literals, quoted names and comments blanked out (same length), so nothing in them matches. */
function maskQuoted(sql: string): string {
  let masked = sql;
  for (const token of tokenizeSql(sql))
    if (token.kind === "string" || token.kind === "identifier" || token.kind === "comment")
      masked =
        masked.slice(0, token.start) +
        "\0".repeat(token.text.length) +
        masked.slice(token.start + token.text.length);
  return masked;
}

/** The longest of overlapping matches, in the order they stand. */
function longestFirst<T extends { start: number; end: number }>(matches: T[]): T[] {
  const kept: T[] = [];
  for (const match of [...matches].sort((a, b) => b.end - b.start - (a.end - a.start)))
    if (!kept.some((k) => match.start < k.end && k.start < match.end)) kept.push(match);
  return kept.sort((a, b) => a.start - b.start);
}
