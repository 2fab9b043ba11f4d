import type { DatabaseSchema, SchemaTable } from "../schema/index.js";
import { queryableTables } from "./tables.js";
import { sqlIdentifier } from "./identifiers.js";

/**
 * The "scoped" shape of the grammar, for weak models: each FROM clause (one table, or two tables
 * joined along a foreign key) has its own column rules, so a column can only come from a table the
 * query reads, and every repetition is bounded, so even a model with random weights ends in SQL
 * that prepares. It has no aliases, CTEs, window functions, or joins of three or more tables.
 */
interface Scope {
  id: string;
  from: string[];
  /** Column references as SQL text (qualified when the scope joins tables). */
  columns: string[];
}

const SCALAR_ONE_ARG = ["LOWER", "UPPER", "LENGTH", "ABS", "TRIM", "JULIANDAY", "TYPEOF"];
const AGGREGATES = ["SUM", "AVG", "MIN", "MAX", "COUNT", "TOTAL"];

function literal(text: string): string {
  return JSON.stringify(text);
}

function alternatives(options: string[]): string {
  return options.join(" | ");
}

function ruleName(prefix: string, scope: Scope): string {
  return `${prefix}-${scope.id}`;
}

function singleScopes(tables: SchemaTable[]): Scope[] {
  return tables.map((table, i) => ({
    id: `t${i}`,
    from: [sqlIdentifier(table.name)],
    columns: table.columns.map((c) => sqlIdentifier(c.name)),
  }));
}

function joinScopes(tables: SchemaTable[]): Scope[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const scopes: Scope[] = [];
  const seen = new Set<string>();
  for (const child of tables) {
    for (const fk of child.foreignKeys) {
      const parent = byName.get(fk.table);
      if (!parent || parent.name === child.name) continue;
      const toColumns = fk.toColumns.length > 0 ? fk.toColumns : parent.primaryKey;
      if (toColumns.length !== fk.columns.length || toColumns.length === 0) continue;
      const c = sqlIdentifier(child.name);
      const p = sqlIdentifier(parent.name);
      const on = fk.columns
        .map((col, i) => `${c}.${sqlIdentifier(col)} = ${p}.${sqlIdentifier(toColumns[i])}`)
        .join(" AND ");
      if (seen.has(`${c} ${on}`)) continue;
      seen.add(`${c} ${on}`);
      const columns = [child, parent].flatMap((t) =>
        t.columns.map((col) => `${sqlIdentifier(t.name)}.${sqlIdentifier(col.name)}`),
      );
      scopes.push({
        id: `j${scopes.length}`,
        from: [`${c} JOIN ${p} ON ${on}`, `${c} LEFT JOIN ${p} ON ${on}`],
        columns,
      });
    }
  }
  return scopes;
}

/** Rules shared by every scope: literals, operators, aliases. */
function sharedRules(): string[] {
  return [
    `number ::= "-"? [0-9]{1,9} ("." [0-9]{1,4})?`,
    `string ::= "'" [^'\\n\\r]{0,40} "'"`,
    `literal ::= number | string | "NULL"`,
    `count ::= [1-9] [0-9]{0,3}`,
    `alias ::= "\\"" [a-zA-Z_] [a-zA-Z0-9_ ]{0,24} "\\""`,
    `binop ::= " + " | " - " | " * " | " / " | " || "`,
    `cmp ::= " = " | " != " | " < " | " <= " | " > " | " >= "`,
    `logic ::= " AND " | " OR "`,
    `type ::= "INTEGER" | "REAL" | "TEXT" | "NUMERIC"`,
    `aggname ::= ${alternatives(AGGREGATES.map(literal))}`,
    `fn1 ::= ${alternatives(SCALAR_ONE_ARG.map(literal))}`,
    `dir ::= " ASC" | " DESC"`,
    `not ::= " NOT"`,
  ];
}

/** Expression and predicate rules of one scope (no subqueries: usable inside a subquery too). */
function scopeExpressionRules(scope: Scope): string[] {
  const r = (prefix: string): string => ruleName(prefix, scope);
  return [
    `${r("col")} ::= ${alternatives(scope.columns.map(literal))}`,
    `${r("atom")} ::= ${r("col")} | literal`,
    `${r("fn")} ::= fn1 "(" ${r("atom")} ")" | "ROUND(" ${r("atom")} (", " [0-4])? ")" | "COALESCE(" ${r("atom")} ", " ${r("atom")} ")"` +
      ` | "SUBSTR(" ${r("atom")} ", " count (", " count)? ")" | "STRFTIME(" string ", " ${r("atom")} ")"` +
      ` | "DATE(" ${r("atom")} (", " string)? ")" | "CAST(" ${r("atom")} " AS " type ")"` +
      ` | "CASE WHEN " ${r("atom")} cmp ${r("atom")} " THEN " ${r("atom")} " ELSE " ${r("atom")} " END"`,
    `${r("term")} ::= ${r("atom")} | ${r("fn")}`,
    `${r("expr")} ::= ${r("term")} (binop ${r("term")}){0,2}`,
    `${r("pred")} ::= ${r("expr")} cmp ${r("expr")} | ${r("expr")} " IS" not? " NULL"` +
      ` | ${r("expr")} not? " BETWEEN " ${r("atom")} " AND " ${r("atom")} | ${r("expr")} not? " LIKE " string` +
      ` | ${r("expr")} not? " IN (" literal (", " literal){0,5} ")"`,
    `${r("cond")} ::= ${r("pred")} (logic ${r("pred")}){0,2}`,
    `${r("agg")} ::= "COUNT(*)" | aggname "(" "DISTINCT "? ${r("expr")} ")" | "ROUND(" aggname "(" ${r("expr")} ")" (", " [0-4])? ")"`,
  ];
}

/** Query rules of one scope: plain, grouped and whole-table aggregate SELECTs. */
function scopeQueryRules(scope: Scope, subqueries: boolean): string[] {
  const r = (prefix: string): string => ruleName(prefix, scope);
  const whereClause = `(" WHERE " ${r("where")})?`;
  return [
    `${r("from")} ::= ${alternatives(scope.from.map(literal))}`,
    `${r("where")} ::= ${r("wpred")} (logic ${r("wpred")}){0,2}`,
    `${r("wpred")} ::= ${r("pred")} | "NOT (" ${r("pred")} ")" | "(" ${r("pred")} " OR " ${r("pred")} ")"${subqueries ? ` | ${r("expr")} not? " IN (" insub ")" | ${r("expr")} cmp scalarsub` : ""}`,
    `${r("aterm")} ::= ${r("term")} | ${r("agg")}${subqueries ? " | scalarsub" : ""}`,
    `${r("aexpr")} ::= ${r("aterm")} (binop ${r("aterm")}){0,2}`,
    `${r("oterm")} ::= ${r("col")} | ${r("fn")}`,
    `${r("aoterm")} ::= ${r("oterm")} | ${r("agg")}`,
    `${r("plain")} ::= "SELECT " "DISTINCT "? ("*" | ${r("expr")} (" AS " alias)? (", " ${r("expr")} (" AS " alias)?){0,5}) " FROM " ${r("from")} ${whereClause}` +
      ` (" ORDER BY " ${r("oterm")} dir? (", " ${r("oterm")} dir?)?)? (" LIMIT " count (" OFFSET " count)?)?`,
    `${r("grouped")} ::= "SELECT " ${r("aexpr")} (" AS " alias)? (", " ${r("aexpr")} (" AS " alias)?){0,4} " FROM " ${r("from")} ${whereClause}` +
      ` " GROUP BY " ${r("oterm")} (", " ${r("oterm")}){0,2} (" HAVING " ${r("agg")} cmp ${r("aexpr")})?` +
      ` (" ORDER BY " ${r("aoterm")} dir? (", " ${r("aoterm")} dir?)?)? (" LIMIT " count)?`,
    `${r("total")} ::= "SELECT " ${r("agg")} (" AS " alias)? (", " ${r("aexpr")} (" AS " alias)?){0,3} " FROM " ${r("from")} ${whereClause}`,
    `${r("query")} ::= ${r("plain")} | ${r("grouped")} | ${r("total")}`,
  ];
}

/** Single-column subqueries over one table, for `x IN (…)` and `x > (SELECT AVG(…) …)`. */
function subqueryRules(scopes: Scope[]): string[] {
  const where = (s: Scope): string => `(" WHERE " ${ruleName("cond", s)})?`;
  return [
    `insub ::= ${alternatives(scopes.map((s) => `"SELECT " "DISTINCT "? ${ruleName("col", s)} " FROM " ${literal(s.from[0])} ${where(s)}`))}`,
    `scalarsub ::= ${alternatives(scopes.map((s) => `"(SELECT " ${ruleName("agg", s)} " FROM " ${literal(s.from[0])} ${where(s)} ")"`))}`,
  ];
}

export function buildScopedSqlGrammar(schema: DatabaseSchema, withJoins: boolean): string {
  const tables = queryableTables(schema);
  const singles = singleScopes(tables);
  const joins = withJoins ? joinScopes(tables) : [];
  const scopes = [...singles, ...joins];
  const rules = [
    `root ::= ${alternatives(scopes.map((s) => ruleName("query", s)))}`,
    ...sharedRules(),
    ...subqueryRules(singles),
    ...scopes.flatMap((s) => [...scopeExpressionRules(s), ...scopeQueryRules(s, true)]),
  ];
  return `${rules.join("\n")}\n`;
}
