import { stringValue, type SqlToken } from "../guard/index.js";
import {
  callsAggregate,
  comparedValue,
  depthsOf,
  hasColumn,
  isSingleSelect,
  isWord,
  nameTokens,
  oneEquals,
  sameName,
  splitTopLevel,
  type TableRead,
  tablesReadIn,
  textOf,
  topLevelWords,
  unquoted,
} from "./aliases.js";
import { quoteIdentifier, type DatabaseSchema } from "./introspect.js";

/** Clauses after which WHERE's conditions no longer hold for each row alone. */
const GROUPING = ["GROUP", "HAVING", "WINDOW"];

/**
 * The query that asks one column to equal two values in the same row, run as one query for each
 * value, intersected: "customers who have bought both rock and jazz tracks" answered `… WHERE
 * T5.Name = 'Rock' AND T5.Name = 'Jazz'` finds nothing, ever (every answer of the 1.5B model to
 * Chinook's one such question, untrained), and its repair rarely fits in the question's time.
 * Undefined when no column is asked for two values, or for a shape `intersection` does not split.
 */
export function intersectedQuery(schema: DatabaseSchema, sql: string): string | undefined {
  return intersection(schema, sql, { keyedCountsOnly: false }, (conditions, text) => {
    const asked = valuesAskedTogether(conditions);
    return asked && { replaced: asked, alternatives: asked.map(text) };
  });
}

/**
 * The count of rows with either of the values a question asks to have both of, as the count of
 * what one query for each value finds, intersected: "How many customers have bought both rock and
 * jazz tracks?" answered `SELECT COUNT(DISTINCT C.CustomerId) … WHERE G.Name IN ('Rock', 'Jazz')`
 * (the 1.5B model trained on Chinook, every run) counts who bought either. Only an IN list of the
 * two values the question names around its "and" ("both rock and jazz"), in a count of rows by
 * their key (`*`, a table's own key or one that refers to another table): a list's shown values,
 * names or years, may be alike in both queries by chance. Undefined otherwise. Which the question
 * means is not always so: a customer "in both Canada and the USA" lives in one country, and there
 * the intersection finds nothing (the caller keeps the query as written).
 */
export function bothAskedQuery(schema: DatabaseSchema, sql: string, question: string): string | undefined {
  const named = namedAsBoth(question);
  if (!named) return undefined;
  return intersection(schema, sql, { keyedCountsOnly: true }, (conditions, text) => {
    for (const condition of conditions) {
      const list = inListOf(condition);
      if (!list || list.values.length !== 2) continue;
      const [first, second] = list.values.map((value) => stringValue(value) ?? value.text);
      if (!(named(first, second) || named(second, first))) continue;
      return {
        replaced: [condition],
        alternatives: list.values.map((value) => `${text(list.column)} = ${value.text}`),
      };
    }
    return undefined;
  });
}

/**
 * Whether two values are the ones the question names around the "and" after "both" ("both rock
 * and jazz tracks"): the first before it, the second right after it; undefined without "both".
 */
function namedAsBoth(question: string): ((first: string, second: string) => boolean) | undefined {
  const match = /\bboth\s+(.+?)\s+and\s+(.+)$/iu.exec(question);
  if (!match) return undefined;
  const before = ` ${wordsOf(match[1])} `;
  const after = ` ${wordsOf(match[2]).replace(/^(?:the|an?) /u, "")} `;
  return (first, second) => {
    const [one, other] = [wordsOf(first), wordsOf(second)];
    return one !== "" && other !== "" && before.includes(` ${one} `) && after.startsWith(` ${other} `);
  };
}

/** Letters and digits, lower-cased, words one space apart: "AC/DC" is "ac dc" in a value and a question alike. */
function wordsOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** `column IN ('a', 'b')`: the column and the literals; undefined for any other condition. */
function inListOf(condition: SqlToken[]): { column: SqlToken[]; values: SqlToken[] } | undefined {
  const inAt = condition.findIndex((token) => isWord(token, "IN"));
  const column = condition.slice(0, inAt);
  const list = condition.slice(inAt + 1);
  if (inAt < 1 || !isColumn(column) || list[0]?.text !== "(" || list[list.length - 1]?.text !== ")")
    return undefined;
  const items = splitTopLevel(list.slice(1, -1));
  return items.every(isLiteral) ? { column, values: items.map(([value]) => value) } : undefined;
}

/** Conditions that a query for each alternative replaces: the alternatives, as conditions in SQL. */
interface Alternatives {
  replaced: SqlToken[][];
  alternatives: string[];
}

/**
 * The query as one SELECT for each alternative `split` finds among its WHERE's conditions,
 * intersected: each keeps the other conditions, in their order. A list becomes `SELECT … WHERE
 * T5.Name = 'Rock' INTERSECT SELECT … WHERE T5.Name = 'Jazz'` (ORDER BY and LIMIT after both;
 * SQLite refuses an ORDER BY on what the list does not show, and the query stands as written); a
 * count, the count of what both find (`COUNT(*)` counts the first table's rows by their key), NULL
 * left out as the count written leaves it. Only a single SELECT whose WHERE is conditions joined by
 * AND, without groups; undefined for any other shape.
 */
function intersection(
  schema: DatabaseSchema,
  sql: string,
  { keyedCountsOnly }: { keyedCountsOnly: boolean },
  split: (conditions: SqlToken[][], text: (part: SqlToken[]) => string) => Alternatives | undefined,
): string | undefined {
  const tokens = oneEquals(nameTokens(sql)).filter((token) => token.kind !== "semicolon");
  if (!isWord(tokens[0], "SELECT") || !isSingleSelect(tokens)) return undefined;
  const clauseAt = topLevelWords(tokens);
  const [fromAt, whereAt] = [clauseAt("FROM"), clauseAt("WHERE")];
  if (fromAt < 0 || whereAt < 0 || GROUPING.some((word) => clauseAt(word) >= 0)) return undefined;
  const tailAt = [clauseAt("ORDER"), clauseAt("LIMIT")].find((at) => at > whereAt) ?? tokens.length;
  const conditions = conjuncts(tokens.slice(whereAt + 1, tailAt));
  const text = (part: SqlToken[]) => textOf(sql, part);
  const found = conditions && split(conditions, text);
  if (!conditions || !found) return undefined;
  const branches = found.alternatives.map((alternative) =>
    conditions
      .flatMap((condition) => {
        if (condition === found.replaced[0]) return [alternative];
        return found.replaced.includes(condition) ? [] : [text(condition)];
      })
      .join(" AND "),
  );
  const fromToWhere = sql.slice(tokens[fromAt].start, tokens[whereAt + 1].start);
  const select = tokens.slice(1, fromAt);
  if (!callsAggregate(select)) {
    if (keyedCountsOnly) return undefined;
    const tail = tailAt < tokens.length ? ` ${text(tokens.slice(tailAt))}` : "";
    const head = sql.slice(tokens[0].start, tokens[fromAt].start);
    return `${branches.map((branch) => `${head}${fromToWhere}${branch}`).join(" INTERSECT ")}${tail}`;
  }
  const count = countedBy(schema, sql, select, text);
  if (!count || (keyedCountsOnly && !count.byKey)) return undefined;
  const inner = branches
    .map((branch) => `SELECT ${count.key} AS counted ${fromToWhere}${branch}`)
    .join(" INTERSECT ");
  // INTERSECT keeps one NULL that both find; COUNT of the column leaves it out, as the count written does.
  return `SELECT COUNT(counted)${count.alias} FROM (${inner})`;
}

/**
 * The WHERE's conditions, split at the ANDs that join them; undefined when an OR joins any, or
 * for a CASE (its ANDs are not the WHERE's).
 */
function conjuncts(where: SqlToken[]): SqlToken[][] | undefined {
  const depths = depthsOf(where);
  const parts: SqlToken[][] = [[]];
  let between = false;
  for (const [at, token] of where.entries()) {
    const outside = depths[at] === 0;
    if (outside && (isWord(token, "OR") || isWord(token, "CASE"))) return undefined;
    if (outside && isWord(token, "BETWEEN")) between = true;
    if (outside && isWord(token, "AND") && !between) parts.push([]);
    else parts[parts.length - 1].push(token);
    // The AND of `BETWEEN a AND b` belongs to it.
    if (outside && isWord(token, "AND")) between = false;
  }
  return parts.every((part) => part.length > 0) ? parts : undefined;
}

/**
 * The conditions `column = value` of the first column asked for more than one value, one for each
 * value (`T5.Name = 'Rock'`, `T5.Name = 'Jazz'`); undefined when each column is asked for one.
 */
function valuesAskedTogether(conditions: SqlToken[][]): SqlToken[][] | undefined {
  const byColumn = new Map<string, Map<string, SqlToken[]>>();
  for (const condition of conditions) {
    const equality = equalityOf(condition);
    if (!equality) continue;
    const values = byColumn.get(equality.column) ?? new Map<string, SqlToken[]>();
    if (!values.has(equality.value)) values.set(equality.value, condition);
    byColumn.set(equality.column, values);
  }
  const together = [...byColumn.values()].find((values) => values.size > 1);
  return together && [...together.values()];
}

/** `column = literal` or `literal = column`: the column as written (case aside) and the value as SQLite compares it. */
function equalityOf(condition: SqlToken[]): { column: string; value: string } | undefined {
  const equalsAt = condition.findIndex((token) => token.text === "=");
  if (equalsAt < 0) return undefined;
  const [left, right] = [condition.slice(0, equalsAt), condition.slice(equalsAt + 1)];
  const [column, literal] = isLiteral(right) ? [left, right[0]] : isLiteral(left) ? [right, left[0]] : [];
  if (!column || !literal || !isColumn(column)) return undefined;
  return { column: column.map((token) => token.text.toLowerCase()).join(""), value: comparedValue(literal) };
}

function isLiteral(part: SqlToken[]): boolean {
  return part.length === 1 && (part[0].kind === "number" || stringValue(part[0]) !== undefined);
}

/** `Name`, `"Name"`, `T5.Name` or `T5."Track Name"`. */
function isColumn(part: SqlToken[]): boolean {
  const [name, dotted] = part;
  const isName = name?.kind === "word" || name?.kind === "identifier";
  return isName && (part.length === 1 || (part.length === 2 && dotted.text.startsWith(".")));
}

/** A select item `COUNT([DISTINCT] x) [AS name]`: what it counts, and the rest of it. */
interface CountCall {
  distinct: boolean;
  counted: SqlToken[];
  /** What follows the call in the item (` AS buyers`), or "". */
  alias: string;
}

/** The select list's one item when it is a COUNT call; undefined for any other list. */
function countCall(select: SqlToken[], text: (part: SqlToken[]) => string): CountCall | undefined {
  const items = splitTopLevel(select);
  const item = items[0];
  if (items.length !== 1 || !isWord(item[0], "COUNT") || item[1]?.text !== "(") return undefined;
  const close = depthsOf(item).findIndex((depth, at) => at > 1 && depth === 0 && item[at].text === ")");
  const distinct = isWord(item[2], "DISTINCT");
  const counted = item.slice(distinct ? 3 : 2, close);
  if (close < 0 || counted.length === 0) return undefined;
  return { distinct, counted, alias: close + 1 < item.length ? ` ${text(item.slice(close + 1))}` : "" };
}

/**
 * What a count's rows are counted by, when the select list is one `COUNT(…)`: its expression
 * (DISTINCT aside), or for `COUNT(*)` the key of the first table; the alias it is shown as; and
 * whether that is a key (the table's own, or one that refers to another table).
 */
function countedBy(
  schema: DatabaseSchema,
  sql: string,
  select: SqlToken[],
  text: (part: SqlToken[]) => string,
): { key: string; alias: string; byKey: boolean } | undefined {
  const count = countCall(select, text);
  if (!count) return undefined;
  const { counted, alias } = count;
  const read = tablesReadIn(schema, sql);
  if (counted.length > 1 || counted[0].text !== "*")
    return { key: text(counted), alias, byKey: isKey(read, counted) };
  const [first] = read;
  if (first?.table.primaryKey.length !== 1) return undefined;
  const name = first.names[first.names.length - 1];
  return {
    key: `${quoteIdentifier(name)}.${quoteIdentifier(first.table.primaryKey[0])}`,
    alias,
    byKey: true,
  };
}

/** `C.CustomerId` or `CustomerId`: its table's own one-column key, or a one-column key that refers to another table. */
function isKey(read: TableRead[], column: SqlToken[]): boolean {
  if (!isColumn(column)) return false;
  const [qualifier, name] =
    column.length === 2
      ? [unquoted(column[0].text), unquoted(column[1].text.slice(1))]
      : [undefined, unquoted(column[0].text)];
  const holders = read.filter((r) =>
    qualifier ? r.names.some((n) => sameName(n, qualifier)) : hasColumn(r.table, name),
  );
  if (holders.length !== 1) return false;
  const { table } = holders[0];
  const own = table.primaryKey.length === 1 && sameName(table.primaryKey[0], name);
  return own || table.foreignKeys.some((key) => key.columns.length === 1 && sameName(key.columns[0], name));
}

const COMPOUND = new Set(["UNION", "INTERSECT", "EXCEPT"]);

/**
 * A count written in the first SELECT of a compound, counted over the compound's rows: `SELECT
 * COUNT(DISTINCT tailnum) FROM flights EXCEPT SELECT tailnum FROM planes` counts the tail numbers,
 * then takes the planes' tail numbers away from that one count (every answer of the 1.5B model to
 * "How many of the tail numbers that flew are missing from the planes table?"). It runs as `SELECT
 * COUNT(DISTINCT counted) FROM (SELECT tailnum AS counted FROM flights EXCEPT SELECT tailnum FROM
 * planes)`; COUNT of a column leaves NULL out, as the count written does. Only when the first
 * SELECT shows one `COUNT(x)` (not `*`: what it counts is not said) without groups, each other
 * shows one column and no aggregate, and nothing orders or limits the compound; undefined
 * otherwise.
 */
export function countOverCompound(sql: string): string | undefined {
  const tokens = nameTokens(sql).filter((token) => token.kind !== "semicolon");
  const clauseAt = topLevelWords(tokens);
  if (["ORDER", "LIMIT", "WITH"].some((word) => clauseAt(word) >= 0)) return undefined;
  const depths = depthsOf(tokens);
  const branches: SqlToken[][] = [[]];
  const operators: SqlToken[][] = [];
  for (const [at, token] of tokens.entries()) {
    if (depths[at] === 0 && COMPOUND.has(token.text.toUpperCase())) operators.push([token]);
    else if (depths[at] === 0 && isWord(token, "ALL") && operators.length === branches.length)
      operators[operators.length - 1].push(token);
    else if (operators.length === branches.length) branches.push([token]);
    else branches[branches.length - 1].push(token);
  }
  const text = (part: SqlToken[]) => textOf(sql, part);
  const [first, ...others] = branches.map((branch) => selectParts(branch));
  if (others.length === 0 || !first || others.some((other) => !other || !showsOneColumn(other.select)))
    return undefined;
  const count = countCall(first.select, text);
  if (!count || count.counted.some((token) => token.text === "*")) return undefined;
  const rest = branches.slice(1).map((branch, at) => `${text(operators[at])} ${text(branch)}`);
  const firstRows = `SELECT ${text(count.counted)} AS counted ${text(first.from)}`;
  return `SELECT COUNT(${count.distinct ? "DISTINCT " : ""}counted)${count.alias} FROM (${[firstRows, ...rest].join(" ")})`;
}

/** A SELECT's list and what follows it from FROM; undefined when it groups or is no SELECT. */
function selectParts(branch: SqlToken[]): { select: SqlToken[]; from: SqlToken[] } | undefined {
  const clauseAt = topLevelWords(branch);
  const fromAt = clauseAt("FROM");
  if (!isWord(branch[0], "SELECT") || fromAt < 0 || GROUPING.some((word) => clauseAt(word) >= 0))
    return undefined;
  return { select: branch.slice(1, fromAt), from: branch.slice(fromAt) };
}

function showsOneColumn(select: SqlToken[]): boolean {
  return splitTopLevel(select).length === 1 && !callsAggregate(select) && select[0]?.text !== "*";
}
