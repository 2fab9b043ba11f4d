import type Database from "better-sqlite3";
import { sqlIdentifier } from "../grammar/index.js";
import { MAX_SQL_LENGTH } from "./check.js";
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
 * with such names, every answer of Qwen2.5-Coder-1.5B failed so, with askdb and alone. Only a
 * query that fails to prepare is touched (double-quoted literals read as strings first), and in
 * it only words outside literals and quoted names that spell such a name: its words in order,
 * case aside, apart by spaces, underscores or nothing. A word that is a name of the database or an
 * alias the query declares is left alone, and so is the whole query when a name it would quote
 * then resolves to nothing (SQLite would read it as a string). Returns the SQL as it is to run:
 * names quoted, double-quoted literals read as strings (acceptDoubleQuotedLiterals).
 */
export function quoteSpelledNames(db: Database.Database, sql: string): string {
  const literal = acceptDoubleQuotedLiterals(db, sql);
  if (sql.length > MAX_SQL_LENGTH || prepares(db, literal)) return literal;
  const spelled = withSpelledNamesQuoted(db, sql) ?? literal;
  return prepares(db, spelled) ? spelled : (withKeywordNamesQuoted(db, spelled) ?? spelled);
}

function withSpelledNamesQuoted(db: Database.Database, sql: string): string | undefined {
  const { spellings, names } = spellingsOf(db);
  if (spellings.length === 0) return undefined;
  const masked = maskQuoted(sql);
  const left = new Set([...names, ...declaredAliases(sql)]);
  const found = spellings.flatMap(({ name, pattern }) =>
    [...masked.matchAll(pattern)]
      .filter((match) => !left.has(match[0].toLowerCase()))
      .map((match) => ({ start: match.index, end: match.index + match[0].length, quoted: quoteName(name) })),
  );
  if (found.length === 0) return undefined;
  return readWithNames(db, sql, longestFirst(found));
}

/**
 * `sql` with the replacements made and double-quoted literals read; undefined when a name quoted
 * by them was read as a literal (it resolves to nothing there).
 */
function readWithNames(db: Database.Database, sql: string, replacements: Replacement[]): string | undefined {
  const readAs = acceptDoubleQuotedLiterals(db, withReplaced(sql, replacements));
  const stillNames = tokenizeSql(readAs).filter((t) => t.kind === "identifier");
  const resolves = replacements.every(
    (replacement) =>
      stillNames.filter((t) => t.text === replacement.quoted).length >=
      replacements.filter((other) => other.quoted === replacement.quoted).length,
  );
  return resolves ? readAs : undefined;
}

interface Replacement {
  start: number;
  end: number;
  quoted: string;
}

/** `sql` with each (ordered, apart) stretch replaced by its quoted name. */
function withReplaced(sql: string, replacements: Replacement[]): string {
  let rewritten = "";
  let at = 0;
  for (const { start, end, quoted } of replacements) {
    rewritten += sql.slice(at, start) + quoted;
    at = end;
  }
  return rewritten + sql.slice(at);
}

/** More bare keywords that name something than a query is tried with (every subset is prepared). */
const MAX_KEYWORD_PLACES = 10;

/**
 * A table or column named with a keyword must be quoted too: `index` (pandas writes a frame's
 * index so), a table `order`, columns `from` and `to`; written bare, the query does not parse.
 * Quoted where it is meant as the keyword, the query still fails, so SQLite tells the two apart:
 * the fewest of its bare words that name such a thing are quoted that make the query prepare
 * (with double-quoted literals read, and none of the words quoted read as one: a quoted word that
 * names nothing there is no fix).
 */
function withKeywordNamesQuoted(db: Database.Database, sql: string): string | undefined {
  const { keywordNames } = spellingsOf(db);
  if (keywordNames.size === 0) return undefined;
  const places = tokenizeSql(sql).flatMap((token): Replacement[] => {
    // The lexer reads `t.index` as the word `t` and the symbol `.index`.
    const qualified = token.kind === "symbol" && token.text.startsWith(".");
    if (token.kind !== "word" && !qualified) return [];
    const name = keywordNames.get((qualified ? token.text.slice(1) : token.text).toLowerCase());
    if (name === undefined) return [];
    const start = qualified ? token.start + 1 : token.start;
    return [{ start, end: token.start + token.text.length, quoted: quoteName(name) }];
  });
  if (places.length === 0 || places.length > MAX_KEYWORD_PLACES) return undefined;
  for (const chosen of subsetsSmallestFirst(places)) {
    const read = readWithNames(db, sql, chosen);
    if (read !== undefined && prepares(db, read)) return read;
  }
  return undefined;
}

/** Every non-empty subset of `items`, the smaller first, each in the items' order. */
function subsetsSmallestFirst<T>(items: T[]): T[][] {
  const subsets: T[][] = [];
  for (let mask = 1; mask < 1 << items.length; mask += 1)
    subsets.push(items.filter((_, at) => (mask & (1 << at)) !== 0));
  return subsets.sort((a, b) => a.length - b.length);
}

function prepares(db: Database.Database, sql: string): boolean {
  try {
    db.prepare(sql);
    return true;
  } catch {
    return false;
  }
}

function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

interface Spelling {
  name: string;
  pattern: RegExp;
}

interface Spellings {
  spellings: Spelling[];
  /** Every table, view and column name that works bare, lower-cased: words that are left as written. */
  names: Set<string>;
  /** The names that are one word but a keyword (`index`, `order`), by their lower-cased spelling. */
  keywordNames: Map<string, string>;
}

const spellingsCache = new WeakMap<Database.Database, { version: number; spellings: Spellings }>();

/** The spellings of the database's names, read again when its schema changes. */
function spellingsOf(db: Database.Database): Spellings {
  const version = db.pragma("schema_version", { simple: true }) as number;
  const cached = spellingsCache.get(db);
  if (cached?.version === version) return cached.spellings;
  const spellings = spellingsFrom(namesOf(db));
  spellingsCache.set(db, { version, spellings });
  return spellings;
}

/**
 * How each table, view or column name that only works quoted may be spelled bare: of two words
 * or more, and the only name so spelled. A name that ends in a unit in brackets ("Altitude (ft)")
 * may be spelled with it, its words joined, or without it, when no other name is spelled as what
 * is left and that is no keyword (nor a function call: `Count (all)` is not `COUNT(ALL x)`).
 */
function spellingsFrom(all: string[]): Spellings {
  const compact = (name: string) => wordsOf(name).join("").toLowerCase();
  const sharing = new Map<string, number>();
  for (const name of all) sharing.set(compact(name), (sharing.get(compact(name)) ?? 0) + 1);
  const units = all.flatMap((name) => {
    const unit = /^(.*[\p{L}\p{N}])\s*\(([^()]*[\p{L}\p{N}][^()]*)\)$/u.exec(name);
    return unit ? [{ name, stem: unit[1], unit: unit[2] }] : [];
  });
  const stems = new Map<string, number>();
  for (const { stem } of units) stems.set(compact(stem), (stems.get(compact(stem)) ?? 0) + 1);
  const spellings = all
    .filter((name) => needsQuotes(name) && wordsOf(name).length > 1 && sharing.get(compact(name)) === 1)
    .map((name) => {
      const unit = units.find((u) => u.name === name);
      const stemAlone =
        unit !== undefined &&
        !sharing.has(compact(unit.stem)) &&
        stems.get(compact(unit.stem)) === 1 &&
        !needsQuotes(wordsOf(unit.stem).join("_"));
      return { name, pattern: spellingPattern(unit?.stem ?? name, unit?.unit, stemAlone) };
    });
  const bare = all.filter((name) => !needsQuotes(name)).map((name) => name.toLowerCase());
  const keywords = all.filter((name) => needsQuotes(name) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
  return {
    spellings,
    names: new Set(bare),
    keywordNames: new Map(keywords.map((name) => [name.toLowerCase(), name])),
  };
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

/** Quoted in SQL: with a space or sign, or a keyword. */
function needsQuotes(name: string): boolean {
  return sqlIdentifier(name) !== name;
}

function wordsOf(name: string): string[] {
  return name.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** The words apart by spaces, underscores or nothing; then the unit, in its brackets or joined, or (when `stemAlone`) not. */
function spellingPattern(stem: string, unit: string | undefined, stemAlone: boolean): RegExp {
  const joined = (words: string[]) => words.map(escapeRegExp).join("[\\s_]*");
  let pattern = joined(wordsOf(stem));
  if (unit !== undefined) {
    const inBrackets = `[\\s_]*\\(\\s*${escapeRegExp(unit.trim()).replace(/\s+/g, "\\s*")}\\s*\\)`;
    const alternatives = [
      inBrackets,
      `[\\s_]*${joined(wordsOf(unit))}`,
      ...(stemAlone ? ["(?!\\s*\\()"] : []),
    ];
    pattern += `(?:${alternatives.join("|")})`;
  }
  return new RegExp(`(?<![\\p{L}\\p{N}_$\\0])${pattern}(?![\\p{L}\\p{N}_$\\0])`, "giu");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/** The names a query declares with AS (`COUNT(*) AS Flight_Count`): where it uses them, they are its own. */
function declaredAliases(sql: string): string[] {
  const tokens = tokenizeSql(sql).filter((token) => token.kind !== "comment");
  return tokens.flatMap((token, at) =>
    at > 0 &&
    tokens[at - 1].kind === "word" &&
    tokens[at - 1].text.toUpperCase() === "AS" &&
    token.kind === "word"
      ? [token.text.toLowerCase()]
      : [],
  );
}

/** The SQL with literals, quoted names and comments blanked out (same length), so nothing in them matches. */
function maskQuoted(sql: string): string {
  let masked = "";
  let at = 0;
  for (const token of tokenizeSql(sql)) {
    if (token.kind !== "string" && token.kind !== "identifier" && token.kind !== "comment") continue;
    masked += sql.slice(at, token.start) + "\0".repeat(token.text.length);
    at = token.start + token.text.length;
  }
  return masked + sql.slice(at);
}

/** The longest of overlapping matches, in the order they stand. */
function longestFirst<T extends { start: number; end: number }>(matches: T[]): T[] {
  const kept: T[] = [];
  for (const match of [...matches].sort((a, b) => b.end - b.start - (a.end - a.start)))
    if (!kept.some((k) => match.start < k.end && k.start < match.end)) kept.push(match);
  return kept.sort((a, b) => a.start - b.start);
}
