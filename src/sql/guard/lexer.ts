/**
 * A small SQLite tokenizer: just enough to find statement boundaries, the leading keyword and
 * function names while skipping comments, string literals and quoted identifiers correctly.
 * SQLite itself does the real parsing (prepare); this only backs up the guard.
 */
export type SqlTokenKind = "word" | "string" | "identifier" | "number" | "semicolon" | "symbol" | "comment";

export interface SqlToken {
  kind: SqlTokenKind;
  text: string;
  start: number;
}

export function tokenizeSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let at = 0;
  while (at < sql.length) {
    const char = sql[at];
    if (/\s/.test(char)) {
      at += 1;
      continue;
    }
    const end = tokenEnd(sql, at);
    tokens.push({ kind: kindOf(sql, at), text: sql.slice(at, end), start: at });
    at = end;
  }
  return tokens;
}

/** Where the token's text ends in the query. */
export function endOf(token: SqlToken): number {
  return token.start + token.text.length;
}

/** The text a single-quoted string literal stands for ('O''Brien' is O'Brien); undefined for other tokens. */
export function stringValue(token: SqlToken): string | undefined {
  if (token.kind !== "string" || !token.text.startsWith("'")) return undefined;
  return token.text.slice(1, -1).replaceAll("''", "'");
}

/** The values of a query's string literals, in order. */
export function stringLiterals(sql: string): string[] {
  return tokenizeSql(sql).flatMap((token) => stringValue(token) ?? []);
}

/** Tokens without comments: what SQLite's parser sees. */
export function meaningfulTokens(sql: string): SqlToken[] {
  return tokenizeSql(sql).filter((token) => token.kind !== "comment");
}

/** The statements in `sql` (split on `;` outside strings and comments), empty ones dropped. */
export function splitStatements(tokens: SqlToken[]): SqlToken[][] {
  const statements: SqlToken[][] = [[]];
  for (const token of tokens) {
    if (token.kind === "semicolon") statements.push([]);
    else if (token.kind !== "comment") statements[statements.length - 1].push(token);
  }
  return statements.filter((statement) => statement.length > 0);
}

function kindOf(sql: string, at: number): SqlTokenKind {
  const char = sql[at];
  const next = sql[at + 1];
  if ((char === "-" && next === "-") || (char === "/" && next === "*")) return "comment";
  if (char === "'") return "string";
  if ((char === "x" || char === "X") && next === "'") return "string";
  if (char === '"' || char === "`" || char === "[") return "identifier";
  if (char === ";") return "semicolon";
  if (/[0-9]/.test(char) || (char === "." && /[0-9]/.test(next ?? ""))) return "number";
  if (isWordChar(char)) return "word";
  return "symbol";
}

function tokenEnd(sql: string, at: number): number {
  const char = sql[at];
  const next = sql[at + 1];
  if (char === "-" && next === "-") return untilAfter(sql, at + 2, "\n");
  if (char === "/" && next === "*") return untilAfter(sql, at + 2, "*/");
  if (char === "'") return quotedEnd(sql, at, "'");
  if ((char === "x" || char === "X") && next === "'") return quotedEnd(sql, at + 1, "'");
  if (char === '"' || char === "`") return quotedEnd(sql, at, char);
  if (char === "[") return untilAfter(sql, at + 1, "]");
  if (/[0-9.]/.test(char)) return whileMatches(sql, at, (c) => /[0-9a-zA-Z_.]/.test(c), /[eE][+-]/);
  if (isWordChar(char)) return whileMatches(sql, at, (c) => isWordChar(c) || /[0-9]/.test(c));
  return at + 1;
}

/** End of a quoted token; a doubled quote is an escaped quote. Unterminated runs to the end. */
function quotedEnd(sql: string, at: number, quote: string): number {
  let index = at + 1;
  while (index < sql.length) {
    if (sql[index] === quote) {
      if (sql[index + 1] === quote) index += 2;
      else return index + 1;
    } else index += 1;
  }
  return sql.length;
}

function untilAfter(sql: string, from: number, terminator: string): number {
  const found = sql.indexOf(terminator, from);
  return found === -1 ? sql.length : found + terminator.length;
}

/** The end of the run of characters from `at` that `continues` accepts; the first one always counts. */
function whileMatches(sql: string, at: number, continues: (char: string) => boolean, pair?: RegExp): number {
  let index = at + 1;
  while (index < sql.length) {
    if (pair && pair.test(sql.slice(index, index + 2))) index += 2;
    else if (continues(sql[index])) index += 1;
    else break;
  }
  return index;
}

/** As in SQLite, any character beyond ASCII may be part of a name (so "…" or an emoji is one). */
function isWordChar(char: string): boolean {
  return /[\p{L}_$]/u.test(char) || char.charCodeAt(0) > 127;
}
