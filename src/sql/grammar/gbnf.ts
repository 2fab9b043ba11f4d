import type { DatabaseSchema, SchemaTable } from "../schema/index.js";
import { sqlIdentifier } from "./identifiers.js";
import { buildScopedSqlGrammar } from "./scoped.js";
import { queryableTables } from "./tables.js";

/**
 * A GBNF grammar (llama.cpp) accepting one SQLite query: WITH (several CTEs, not RECURSIVE),
 * SELECT [DISTINCT], joins of any kind and count (ON/USING, comma joins), subqueries in FROM,
 * IN, EXISTS and as scalars, GROUP BY/HAVING, UNION/INTERSECT/EXCEPT, ORDER BY … NULLS FIRST/LAST,
 * LIMIT/OFFSET, CASE, CAST, window functions, and SQLite's common scalar, date and aggregate
 * functions.
 *
 * Identifiers: a table read by FROM/JOIN is one of the database's real tables or views; inside a
 * WITH query it may also be a CTE name. Names the query itself defines (table aliases, CTE names,
 * output column aliases) follow a safe pattern (short lowercase words), and a column reference is a
 * real column or such a name, optionally qualified. Real names outside the pattern (mixed case,
 * quoted) are listed explicitly. CFGs cannot check that an alias is in scope, so a query can still
 * fail to prepare ("no such column"); the repair loop handles that.
 *
 * Termination: nesting is layered (an expression or query of level L only nests level L-1, and
 * level 0 holds only columns and literals), and every repetition is bounded, so even a model with
 * random weights ends in a finite query.
 */
export interface GrammarOptions {
  /**
   * `full` (default): the grammar described above. `scoped`: a narrower grammar whose every query
   * prepares by construction (columns scoped to the FROM clause; no aliases, CTEs, window
   * functions or joins of 3+ tables), for weak models and tests with random weights.
   */
  shape?: "full" | "scoped";
  /** Nesting levels of expressions and subqueries (1-6). Default 4. */
  maxDepth?: number;
  /** Joined sources per FROM after the first (0-8). Default 5 (`scoped`: 1); 0 reads single tables only. */
  maxJoins?: number;
}

const DEFAULT_DEPTH = 4;
const DEFAULT_JOINS = 5;
/** The pattern of names a query defines for itself: aliases, CTE names, output columns. */
const SAFE_NAME = /^[a-z_][a-z0-9_]{0,23}$/;

/** Functions by the arguments they take; each accepted in upper and lower case. */
const FUNCTIONS = {
  one: ["ABS", "LOWER", "UPPER", "LENGTH", "LTRIM", "RTRIM", "TYPEOF", "HEX", "QUOTE", "UNICODE", "SIGN"],
  oneOrTwo: ["ROUND", "TRIM"],
  two: ["IFNULL", "NULLIF", "INSTR"],
  twoOrMore: ["COALESCE", "MIN", "MAX"],
  three: ["IIF", "REPLACE"],
  twoOrThree: ["SUBSTR"],
  date: ["DATE", "TIME", "DATETIME", "JULIANDAY", "UNIXEPOCH"],
  format: ["STRFTIME", "PRINTF"],
  aggregate: ["COUNT", "SUM", "AVG", "MIN", "MAX", "TOTAL"],
  rankWindow: ["ROW_NUMBER", "RANK", "DENSE_RANK", "PERCENT_RANK", "CUME_DIST"],
  offsetWindow: ["LAG", "LEAD"],
  valueWindow: ["FIRST_VALUE", "LAST_VALUE"],
};

function literal(text: string): string {
  return JSON.stringify(text);
}

function anyCase(names: string[]): string {
  return `(${names.flatMap((n) => [literal(n), literal(n.toLowerCase())]).join(" | ")})`;
}

/** Real names the safe pattern does not already cover, as SQL text. */
function namesOutsidePattern(names: string[]): string[] {
  return [...new Set(names.map(sqlIdentifier))].filter((n) => !SAFE_NAME.test(n));
}

function identifierRules(tables: SchemaTable[]): string[] {
  const tableNames = [...new Set(tables.map((t) => sqlIdentifier(t.name)))];
  const oddTables = namesOutsidePattern(tables.map((t) => t.name));
  const oddColumns = namesOutsidePattern(tables.flatMap((t) => t.columns.map((c) => c.name)));
  const withOdd = (odd: string[]): string => ["name", ...odd.map(literal)].join(" | ");
  return [
    `name ::= [a-z_] [a-z0-9_]{0,23}`,
    `table ::= ${tableNames.map(literal).join(" | ")}`,
    `qualifier ::= ${withOdd(oddTables)}`,
    `column ::= ${withOdd(oddColumns)}`,
    `colref ::= (qualifier ".")? column`,
    `alias ::= name`,
  ];
}

function sharedRules(): string[] {
  return [
    `number ::= [0-9]{1,12} ("." [0-9]{1,6})?`,
    `string ::= "'" ([^'\\n\\r] | "''"){0,60} "'"`,
    `literal ::= number | string | "NULL" | "TRUE" | "FALSE" | "CURRENT_DATE" | "CURRENT_TIMESTAMP"`,
    `count ::= "0" | [1-9] [0-9]{0,5}`,
    `binop ::= " + " | " - " | " * " | " / " | " % " | " || "`,
    `cmp ::= " = " | " == " | " != " | " <> " | " < " | " <= " | " > " | " >= "`,
    `logic ::= " AND " | " OR "`,
    `type ::= "INTEGER" | "INT" | "REAL" | "FLOAT" | "TEXT" | "NUMERIC" | "BLOB"`,
    `not ::= " NOT"`,
    `collate ::= " COLLATE " ("NOCASE" | "BINARY" | "RTRIM")`,
    `direction ::= collate? (" ASC" | " DESC")? (" NULLS FIRST" | " NULLS LAST")?`,
    `bound ::= "UNBOUNDED PRECEDING" | "UNBOUNDED FOLLOWING" | "CURRENT ROW" | count " PRECEDING" | count " FOLLOWING"`,
    `frame ::= (" ROWS " | " RANGE ") (bound | "BETWEEN " bound " AND " bound)`,
    `compound ::= " UNION ALL " | " UNION " | " INTERSECT " | " EXCEPT "`,
    `join ::= " JOIN " | " INNER JOIN " | " LEFT JOIN " | " LEFT OUTER JOIN " | " CROSS JOIN " | " NATURAL JOIN " | ", "`,
  ];
}

/** Rule namer for one nesting level and variant (`c`: CTE names may be read; `n`: real tables only). */
type Namer = (rule: string, level?: number) => string;

function functionCallRules(r: Namer, level: number): string[] {
  const a = r("cond", level - 1);
  const args = (min: number, max: number): string =>
    [a, ...Array<string>(min - 1).fill(`", " ${a}`), max > min ? `(", " ${a}){0,${max - min}}` : ""]
      .filter(Boolean)
      .join(" ");
  const call = (names: string[], min: number, max: number): string =>
    `${anyCase(names)} "(" ${args(min, max)} ")"`;
  const aggregate =
    `${anyCase(["COUNT"])} "(*)" | ${anyCase(FUNCTIONS.aggregate)} "(" "DISTINCT "? ${a} ")"` +
    ` | ${anyCase(["GROUP_CONCAT"])} "(" "DISTINCT "? ${a} (", " string)? ")"`;
  const windowFunction =
    `${anyCase(FUNCTIONS.rankWindow)} "()" | ${anyCase(["NTILE"])} "(" count ")"` +
    ` | ${anyCase(FUNCTIONS.offsetWindow)} "(" ${a} (", " count (", " ${a})?)? ")" | ${call(FUNCTIONS.valueWindow, 1, 1)}`;
  return [
    `${r("agg")} ::= ${aggregate}`,
    `${r("window")} ::= "(" ("PARTITION BY " ${r("list", level - 1)} (" " ${r("winorder")})? | ${r("winorder")})? ")"`,
    `${r("winorder")} ::= "ORDER BY " ${r("order", level - 1)} (", " ${r("order", level - 1)}){0,2} frame?`,
    `${r("call")} ::= ${r("agg")} (" OVER " ${r("window")})? | (${windowFunction}) " OVER " ${r("window")}` +
      ` | ${call(FUNCTIONS.one, 1, 1)} | ${call(FUNCTIONS.oneOrTwo, 1, 2)} | ${call(FUNCTIONS.two, 2, 2)}` +
      ` | ${call(FUNCTIONS.twoOrMore, 2, 4)} | ${call(FUNCTIONS.three, 3, 3)} | ${call(FUNCTIONS.twoOrThree, 2, 3)}` +
      ` | ${call(FUNCTIONS.date, 1, 4)} | ${call(FUNCTIONS.format, 1, 5)}`,
    `${r("case")} ::= "CASE " (${a} " ")? "WHEN " ${a} " THEN " ${a} (" WHEN " ${a} " THEN " ${a}){0,5} (" ELSE " ${a})? " END"`,
  ];
}

/** Expressions and conditions of one level: level 0 holds only columns and literals. */
function expressionRules(r: Namer, level: number): string[] {
  const nested = level >= 1;
  const subqueries = level >= 2;
  const below = (rule: string): string => r(rule, level - 1);
  const terms = ["colref", "literal"];
  if (nested)
    terms.push(r("call"), r("case"), `"CAST(" ${below("cond")} " AS " type ")"`, `"(" ${below("cond")} ")"`);
  if (subqueries) terms.push(`"(" ${below("query")} ")"`);
  const inTargets = subqueries ? `(${r("list")} | ${below("query")})` : r("list");
  const exists = subqueries ? ` | "NOT "? "EXISTS (" ${below("query")} ")"` : "";
  return [
    ...(nested ? functionCallRules(r, level) : []),
    `${r("term")} ::= ${terms.join(" | ")}`,
    `${r("expr")} ::= "-"? ${r("term")} (binop "-"? ${r("term")}){0,5}`,
    `${r("list")} ::= ${r("expr")} (", " ${r("expr")}){0,9}`,
    `${r("order")} ::= ${r("expr")} direction`,
    `${r("pred")} ::= ${r("expr")} (cmp ${r("expr")} | " IS" not? " NULL" | not? " BETWEEN " ${r("expr")} " AND " ${r("expr")}` +
      ` | not? " LIKE " ${r("expr")} | not? " IN (" ${inTargets} ")")? collate?${exists}`,
    `${r("cond")} ::= "NOT "? ${r("pred")} (logic "NOT "? ${r("pred")}){0,5}`,
  ];
}

/** One SELECT (or compound SELECT) of a level ≥ 1, its sources reading level - 1 subqueries. */
function queryRules(r: Namer, level: number, readsCtes: boolean, maxJoins: number): string[] {
  const sources = ["table"];
  if (readsCtes) sources.push("name");
  if (level >= 2) sources.push(`"(" ${r("query", level - 1)} ")"`);
  return [
    `${r("item")} ::= "*" | qualifier ".*" | ${r("cond")} (" AS " alias)?`,
    `${r("source")} ::= (${sources.join(" | ")}) (" " "AS "? alias)?`,
    `${r("from")} ::= ${r("source")} (join ${r("source")} (" ON " ${r("cond")} | " USING (" column (", " column){0,2} ")")?){0,${maxJoins}}`,
    `${r("select")} ::= "SELECT " "DISTINCT "? ${r("item")} (", " ${r("item")}){0,9} (" FROM " ${r("from")})?` +
      ` (" WHERE " ${r("cond")})? (" GROUP BY " ${r("list")} (" HAVING " ${r("cond")})?)?`,
    `${r("query")} ::= ${r("select")} (compound ${r("select")}){0,2} (" ORDER BY " ${r("order")} (", " ${r("order")}){0,4})?` +
      ` (" LIMIT " count (" OFFSET " count)?)?`,
  ];
}

/** All levels of one variant: `n` reads only real tables, `c` (inside WITH) also CTE names. */
function variantRules(variant: "n" | "c", depth: number, maxJoins: number): string[] {
  const rules: string[] = [];
  for (let level = 0; level <= depth; level += 1) {
    const r: Namer = (rule, at = level) => `${rule}-${at}${variant}`;
    rules.push(...expressionRules(r, level));
    if (level >= 1) rules.push(...queryRules(r, level, variant === "c", maxJoins));
  }
  return rules;
}

function clamp(value: number | undefined, fallback: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.trunc(value ?? fallback)));
}

export function buildSqlGrammar(schema: DatabaseSchema, options: GrammarOptions = {}): string {
  const tables = queryableTables(schema);
  if (tables.length === 0) return `root ::= "SELECT 1"\n`;
  if (options.shape === "scoped") return buildScopedSqlGrammar(schema, (options.maxJoins ?? 1) > 0);
  const depth = clamp(options.maxDepth, DEFAULT_DEPTH, 1, 6);
  const maxJoins = clamp(options.maxJoins, DEFAULT_JOINS, 0, 8);
  const top = (variant: string): string => `query-${depth}${variant}`;
  const rules = [
    // A trailing ";" is where most models end a statement; refusing it would push them into more SQL.
    `root ::= (${top("n")} | "WITH " cte (", " cte){0,3} " " ${top("c")}) ";"?`,
    `cte ::= name ("(" alias (", " alias){0,5} ")")? " AS (" ${top("c")} ")"`,
    ...identifierRules(tables),
    ...sharedRules(),
    ...variantRules("n", depth, maxJoins),
    ...variantRules("c", depth, maxJoins),
  ];
  return `${rules.join("\n")}\n`;
}
