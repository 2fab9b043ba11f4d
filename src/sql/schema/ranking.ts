import { endOf, type SqlToken } from "../guard/index.js";
import {
  callsAggregate,
  isSingleSelect,
  isWord,
  nameTokens,
  sameName,
  splitTopLevel,
  textOf,
  topLevelWords,
  unquoted,
} from "./aliases.js";

interface SelectItem {
  tokens: SqlToken[];
  /** The item without its name. */
  expression: SqlToken[];
  /** The name the item is given (`AS revenue`, or `SUM(x) revenue`). */
  name?: string;
}

interface Replacement {
  start: number;
  end: number;
  text: string;
}

/**
 * A ranking query without the value it ranks by: `SELECT BillingCity, SUM(Total) AS revenue FROM
 * Invoice GROUP BY BillingCity ORDER BY revenue DESC LIMIT 1` becomes `SELECT BillingCity FROM
 * Invoice GROUP BY BillingCity ORDER BY SUM(Total) DESC LIMIT 1`: the same rows, in the same order,
 * without the column only the ordering needs. Only a single SELECT that groups, limits its rows and
 * orders by an aggregate it shows; not DISTINCT (dropping a column would merge rows), not when the
 * value's name is used anywhere but as a whole ORDER BY term, and only when a column that is not an
 * aggregate stays. `asked` keeps a value (given as written: `SUM(Total) AS revenue`) that the
 * question asks for. Undefined when there is nothing to drop.
 */
export function withoutRankingValue(
  sql: string,
  asked: (value: string) => boolean = () => false,
): string | undefined {
  const tokens = nameTokens(sql);
  if (!isWord(tokens[0], "SELECT") || !isSingleSelect(tokens) || isWord(tokens[1], "DISTINCT"))
    return undefined;
  const [fromAt, groupAt, havingAt, orderAt, limitAt] = ["FROM", "GROUP", "HAVING", "ORDER", "LIMIT"].map(
    topLevelWords(tokens),
  );
  if (fromAt < 0 || groupAt < 0 || orderAt < groupAt || limitAt < orderAt) return undefined;
  const items = splitTopLevel(tokens.slice(1, fromAt)).map(selectItem);
  const terms = splitTopLevel(tokens.slice(orderAt + 2, limitAt)).map(withoutDirection);
  const dropped = new Set(
    items.filter(
      (item, at) =>
        callsAggregate(item.expression) &&
        terms.some((term) => refersTo(term, item, at)) &&
        !asked(textOf(sql, item.tokens)),
    ),
  );
  const kept = items.filter((item) => !dropped.has(item));
  if (dropped.size === 0 || !kept.some((item) => !callsAggregate(item.expression))) return undefined;
  const names = [...dropped].flatMap((item) => item.name ?? []);
  const namedElsewhere = tokens.some(
    (token, at) =>
      at > fromAt &&
      names.some((name) => sameName(name, token.text)) &&
      !terms.some((t) => t.length === 1 && t[0] === token),
  );
  if (namedElsewhere) return undefined;
  const newPosition = (at: number) => kept.indexOf(items[at]) + 1;
  const replacements: Replacement[] = [
    {
      start: items[0].tokens[0].start,
      end: endOfAll(items[items.length - 1].tokens),
      text: kept.map((item) => textOf(sql, item.tokens)).join(", "),
    },
    ...terms.flatMap((term) => {
      const at = items.findIndex((item, position) => refersTo(term, item, position));
      if (at < 0) return [];
      const text = dropped.has(items[at]) ? textOf(sql, items[at].expression) : String(newPosition(at));
      const isNumber = term.length === 1 && term[0].kind === "number";
      return isNumber || dropped.has(items[at]) ? [{ start: term[0].start, end: endOfAll(term), text }] : [];
    }),
    ...positionsIn(tokens, groupAt, havingAt < 0 ? orderAt : havingAt).map((token) => ({
      start: token.start,
      end: endOf(token),
      text: String(newPosition(Number(token.text) - 1)),
    })),
  ];
  return replaced(sql, replacements);
}

function selectItem(tokens: SqlToken[]): SelectItem {
  const last = tokens[tokens.length - 1];
  const named = last && (last.kind === "word" || last.kind === "identifier");
  if (named && isWord(tokens[tokens.length - 2], "AS"))
    return { tokens, expression: tokens.slice(0, -2), name: unquoted(last.text) };
  if (named && tokens[tokens.length - 2]?.text === ")")
    return { tokens, expression: tokens.slice(0, -1), name: unquoted(last.text) };
  return { tokens, expression: tokens };
}

/** An ORDER BY term without ASC or DESC (and NULLS FIRST or LAST). */
function withoutDirection(term: SqlToken[]): SqlToken[] {
  const end = term.findIndex(
    (t, i) => i > 0 && ["ASC", "DESC", "NULLS", "COLLATE"].some((w) => isWord(t, w)),
  );
  return end < 0 ? term : term.slice(0, end);
}

/** The term names the item: by its name, its position, or the same expression. */
function refersTo(term: SqlToken[], item: SelectItem, at: number): boolean {
  if (term.length === 1 && term[0].kind === "number") return Number(term[0].text) === at + 1;
  if (term.length === 1 && item.name && sameName(item.name, term[0].text)) return true;
  return (
    term.length === item.expression.length &&
    term.every((t, i) => t.text.toUpperCase() === item.expression[i].text.toUpperCase())
  );
}

/** `GROUP BY 1`: the positions GROUP BY names, which move when a column before them goes. */
function positionsIn(tokens: SqlToken[], groupAt: number, end: number): SqlToken[] {
  return splitTopLevel(tokens.slice(groupAt + 2, end))
    .filter((term) => term.length === 1 && term[0].kind === "number")
    .map((term) => term[0]);
}

function endOfAll(tokens: SqlToken[]): number {
  return endOf(tokens[tokens.length - 1]);
}

function replaced(sql: string, replacements: Replacement[]): string {
  let result = "";
  let from = 0;
  for (const { start, end, text } of [...replacements].sort((a, b) => a.start - b.start)) {
    result += sql.slice(from, start) + text;
    from = end;
  }
  return result + sql.slice(from);
}
