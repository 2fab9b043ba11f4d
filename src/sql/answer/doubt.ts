/** When an answer that ran is doubtful, and when two answers are the same: the rules of execution-guided choice. */
import {
  meaningfulTokens,
  stringLiterals,
  stringValue,
  type QueryResult,
  type SqlToken,
  type SqlValue,
} from "../guard/index.js";
import type { Example } from "../prompt/index.js";
import { columnsHolding, someValuesBesides, tokenize, type ValueIndex } from "../retrieve/index.js";
import {
  comparedValue,
  dateFunctionOnNonDate,
  excludesNothing,
  joinsTo,
  keysOnlyShown,
  oneEquals,
  picksByColumn,
  picksByDate,
  quoteText,
  tablesNamedIn,
  ungroupedColumns,
  type DatabaseSchema,
  type SchemaTable,
} from "../schema/index.js";

/**
 * No rows, only NULLs (an aggregate over nothing), or a single count or sum of 0: the query most
 * likely looked in the wrong place (a filter on the wrong column, a bad date format). On Chinook a
 * third of the wrong answers that ran looked like that, and none of the right ones.
 */
export function findsNothing(result: QueryResult): boolean {
  const nothing = (value: SqlValue) => value === null || (result.rows.length === 1 && value === 0);
  return result.rows.every((row) => row.every(nothing));
}

/** The rows as a set: two queries that find the same rows in another order give the same answer. */
export function rowsKey(result: QueryResult): string {
  return result.rows
    .map((row) => JSON.stringify(row))
    .sort()
    .join("\n");
}

/**
 * The model copied an example instead of answering: its SQL holds a value that an example's SQL
 * holds and its question names as a name (capitalised inside a sentence, or with digits), and that
 * this question does not name. "How many Queen songs" answered with the album filter of "List the
 * songs on the album Let There Be Rock", "which genre makes us the most money" with the SQL of "How
 * much money have Metallica tracks made us": on Chinook with trained pairs, two of the five answers
 * training lost. A lower-case word (a status such as 'paid') is a rule an example shows, not a copy.
 */
export function copiesAnExample(sql: string, question: string, examples: Example[]): boolean {
  return stringLiterals(sql).some(
    (value) =>
      /[\p{L}\p{N}]/u.test(value) &&
      wordsAt(question, value).length === 0 &&
      examples.some(
        (example) => stringLiterals(example.sql).includes(value) && namesValue(example.question, value),
      ),
  );
}

/** Where `value` stands in `text` as whole words, case aside. */
function wordsAt(text: string, value: string): number[] {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "giu");
  return [...text.matchAll(pattern)].map((match) => match.index);
}

/** Written as a name: with a digit, or capitalised where a sentence does not start. */
function namesValue(text: string, value: string): boolean {
  return wordsAt(text, value).some((at) => {
    const written = text.slice(at, at + value.length);
    const startsSentence = /(^|[.!?:]\s+)$/.test(text.slice(0, at));
    return /\p{N}/u.test(written) || (/\p{Lu}/u.test(written) && !startsSentence);
  });
}

/** "rounded to two decimal places", "to two decimals", "round to the nearest whole second". */
const ASKS_ROUNDING = /\bround(?:ed|ing)?\b|\bdecimals?\b/i;

/**
 * The question asks for a rounded number and the query does not round: a small model often drops
 * the form a question asks for (on Chinook, three answers of Qwen2.5-Coder-1.5B were the right
 * average, unrounded). Said in words, so that a repair can add it.
 */
export function ignoresRounding(sql: string, question: string): string | undefined {
  if (!ASKS_ROUNDING.test(question)) return undefined;
  const tokens = meaningfulTokens(sql);
  const rounds = tokens.some(
    (token, at) =>
      token.kind === "word" && token.text.toUpperCase() === "ROUND" && tokens[at + 1]?.text === "(",
  );
  return rounds
    ? undefined
    : "The question asks for a rounded number and the query does not round: use ROUND(value, digits).";
}

/**
 * The answer only repeats what the query filters on: every value it returns is a text the query
 * compares a column with (`SELECT T1.FirstName … WHERE T1.FirstName = 'Luís'`), so it tells the
 * person nothing the question did not. A small model that joins two tables as T1 and T2 takes the
 * wrong alias so: "Who is the support rep for Luís Gonçalves?" answered "Luís Gonçalves". A query
 * with OR may be choosing between the values it names, and is left alone.
 */
export function echoesItsFilter(result: QueryResult, sql: string): string | undefined {
  if (result.rows.length === 0) return undefined;
  if (meaningfulTokens(sql).some((token) => token.kind === "word" && token.text.toUpperCase() === "OR"))
    return undefined;
  const compared = new Set(comparisons(sql).map((c) => c.value));
  const echoed = result.rows.every((row) =>
    row.every((value) => typeof value === "string" && compared.has(value)),
  );
  if (!echoed) return undefined;
  // Database values, so few and short: they go into the repair prompt.
  const values = [...new Set(result.rows.flat() as string[])]
    .slice(0, 4)
    .map((value) => `'${value.slice(0, 60)}'`)
    .join(", ");
  return `The query returns only the values its WHERE clause compares with (${values}): it repeats the question instead of answering it. Select the columns of the table the question asks about.`;
}

/**
 * A list with an empty entry: the first column, the thing listed, is NULL in one row and text in
 * others ("the five composers credited on the most tracks" with NULL first). Nobody asking which
 * composers or companies means "none": on Chinook three answers of Qwen2.5-Coder-1.5B were wrong
 * only so, and no right answer of any run had such a row.
 */
export function listsNull(result: QueryResult): string | undefined {
  const listed = result.rows.map((row) => row[0]);
  if (!listed.includes(null) || !listed.some((value) => typeof value === "string")) return undefined;
  const name = result.columns[0]?.name ?? "the first column";
  return `The answer lists a row with no ${name} (NULL): add ${name} IS NOT NULL so that only real ${name} values are listed.`;
}

/**
 * A column of an aggregate query that shows one arbitrary row of each group (`SELECT T2.Name …
 * GROUP BY T1.GenreId`, T2 being Track): on Chinook, every such answer of either model was wrong,
 * and no right answer, gold query or trained example of Chinook and the demo has one.
 */
export function showsArbitraryRows(schema: DatabaseSchema, sql: string): string | undefined {
  const [first] = ungroupedColumns(schema, sql);
  if (!first) return undefined;
  const { column, qualifier, table } = first;
  const which = sameText(qualifier, table.name) ? "" : `${qualifier} is ${table.name}, and `;
  return `${column} is neither grouped nor aggregated: ${which}a group has many ${table.name} rows, so the answer shows the ${column} of one of them at random. Select the column of the table the question asks about, or group by the column shown.`;
}

/** A question that asks for keys or codes themselves: "the ids of", "their invoice numbers" (not "the number of"). */
const ASKS_FOR_KEYS = /\b(?:ids?|identifiers?|keys?|numbers?(?!\s+of\b)|codes?)\b/i;

/**
 * An answer that shows only integer keys of rows that have names: "Which artists have 10 or more
 * albums with us?" answered with `SELECT ArtistId FROM Album …`, "What genre is Miles Davis's
 * music filed under?" with GenreId. A number that stands for a row tells the person asking
 * nothing. Every such try of either model, in every saved run on Chinook, the demo and the
 * flights, was wrong (28); no gold query or trained example of them answers so.
 */
export function showsOnlyKeys(schema: DatabaseSchema, sql: string, question: string): string | undefined {
  if (ASKS_FOR_KEYS.test(question)) return undefined;
  const keys = keysOnlyShown(schema, sql);
  if (!keys) return undefined;
  const shown = keys.map((key) => key.column).join(", ");
  const instead = keys.map((key) => `${key.names.name}.${key.label}`).join(", ");
  return [
    `The answer shows only ${shown}: numbers that stand for rows and tell the person asking nothing. Show ${instead} instead.`,
    ...joinsTo(schema, tablesNamedIn(schema, sql), [...new Set(keys.map((key) => key.names))]),
  ].join("\n");
}

/**
 * A date function given a column that holds no dates: `strftime('%m', month)` on months stored as
 * 1–12, `strftime('%Y', year)`, `julianday(origin)` on airport codes. SQLite reads such a number as
 * a Julian day (a date in 4707 BC) and a code as no date at all, so the answer is wrong whatever it
 * finds. On New York's flights of 2013 (year, month and day stored as numbers), 8 of the 25 wrong
 * answers of Qwen2.5-Coder-0.5B and 2 of the 1.5B's were so; no gold query of any set does it.
 */
export function readsDateFromNonDate(schema: DatabaseSchema, sql: string): string | undefined {
  const misread = dateFunctionOnNonDate(schema, sql);
  if (!misread) return undefined;
  const column = `${misread.table.name}.${misread.column.name}`;
  return `${misread.fn}() reads ${column} as a date, but ${column} holds no dates: use the column itself (compare, group or order by ${column}), or a column that holds dates.`;
}

const OLDEST = /\b(?:oldest|earliest)\b/i;
const NEWEST = /\b(?:youngest|newest|latest|most recent)\b/i;

/**
 * The oldest or earliest picked from the latest date first, or the newest from the earliest:
 * "Who's our oldest employee?" answered with `ORDER BY BirthDate DESC LIMIT 1` (the youngest).
 * Every answer so picked, in every run of either model on Chinook, the demo and the flights, was
 * wrong (28); no right answer and no gold query was. By an age the other way round: "the full name
 * of the oldest baker" answered with `ORDER BY age ASC LIMIT 1` (the 1.5B model, the Bake Off).
 */
export function picksTheOtherEnd(schema: DatabaseSchema, sql: string, question: string): string | undefined {
  return picksTheOtherDate(schema, sql, question) ?? picksTheOtherAge(schema, sql, question);
}

function picksTheOtherDate(schema: DatabaseSchema, sql: string, question: string): string | undefined {
  const oldest = OLDEST.test(question);
  if (oldest === NEWEST.test(question)) return undefined;
  const pick = picksByDate(schema, sql);
  if (!pick || pick.descending !== oldest) return undefined;
  const column = `${pick.table.name}.${pick.column.name}`;
  return oldest
    ? `The question asks for the oldest or earliest, and the query takes the latest ${column} first (DESC): the oldest has the earliest date, ORDER BY ${column} ASC.`
    : `The question asks for the newest or latest, and the query takes the earliest ${column} first: the newest has the latest date, ORDER BY ${column} DESC.`;
}

const OLDEST_WORD = /\boldest\b/i;
const YOUNGEST_WORD = /\byoungest\b/i;

function picksTheOtherAge(schema: DatabaseSchema, sql: string, question: string): string | undefined {
  const oldest = OLDEST_WORD.test(question);
  if (oldest === YOUNGEST_WORD.test(question)) return undefined;
  const pick = picksByColumn(schema, sql);
  if (!pick || !tokenize(pick.column.name).includes("age") || pick.descending === oldest) return undefined;
  const column = `${pick.table.name}.${pick.column.name}`;
  return oldest
    ? `The question asks for the oldest, and the query takes the smallest ${column} first: the oldest has the highest age, ORDER BY ${column} DESC.`
    : `The question asks for the youngest, and the query takes the highest ${column} first (DESC): the youngest has the smallest age, ORDER BY ${column} ASC.`;
}

/** "How many flights …", "how many of our customers …": the word after it, what is counted. */
const COUNTED =
  /^\s*how many\s+(?:of (?:our|the)\s+)?(?:different\s+|distinct\s+|unique\s+)?([\p{L}][\p{L}\p{N}_]*)/iu;

/**
 * A question that counts a table's rows, answered by counting another table's: the query reads
 * neither the table the question counts nor one whose rows stand for its rows (a table with a
 * foreign key to it: a playlist's tracks are PlaylistTrack rows). Qwen2.5-Coder answered "How many
 * flights were flown by planes built by Airbus?" with `COUNT(*) FROM planes` (both models, New
 * York's flights); no gold query of Chinook, the demo or the flights set, and no right answer of
 * any run, counts so.
 */
export function countsAnotherTable(
  schema: DatabaseSchema,
  sql: string,
  question: string,
): string | undefined {
  const word = COUNTED.exec(question)?.[1];
  const [counted] = word ? tokenize(word) : [];
  const table = counted && schema.tables.find((t) => tokenize(t.name).join(" ") === counted);
  if (!table) return undefined;
  const read = tablesNamedIn(schema, sql);
  if (read.length === 0 || read.includes(table)) return undefined;
  if (read.some((t) => refersTo(t, table))) return undefined;
  const counting = read.map((t) => t.name).join(", ");
  return [
    `The question counts ${table.name}, but the query does not read ${table.name}: it counts rows of ${counting}. Count rows of ${table.name}, joined to what filters them.`,
    ...joinsTo(schema, read, [table]),
  ].join("\n");
}

/**
 * A table whose rows stand for `counted`'s rows: by a foreign key to it, or, where keys are not
 * declared, by a column named as its key (`customer_id` or `CustomerId` for customers, or the
 * name of its own key column).
 */
function refersTo(table: SchemaTable, counted: SchemaTable): boolean {
  if (table.foreignKeys.some((key) => sameText(key.table, counted.name))) return true;
  const [singular] = tokenize(counted.name);
  const keyNames = new Set(
    [`${singular}id`, ...counted.primaryKey.filter((c) => !sameText(c, "id"))].map(bare),
  );
  return table.columns.some((column) => keyNames.has(bare(column.name)));
}

/** A name without case or underscores: `customer_id`, `CustomerId` and `customerid` are one. */
function bare(name: string): string {
  return name.toLowerCase().replaceAll("_", "");
}

const STARTS_SELECT = new Set(["SELECT", "UNION", "INTERSECT", "EXCEPT"]);
/** Where a query's conditions start, and where they end. */
const STARTS_CONDITION = new Set(["WHERE", "ON", "HAVING"]);
const ENDS_CONDITION = new Set(["FROM", "JOIN", "GROUP", "ORDER", "LIMIT", "WINDOW"]);

interface Equality {
  scope: number;
  /** Lower-cased, for comparing. */
  column: string;
  /** As SQLite compares it: 1 and 1.0 are one value, and 'Rock' and 'rock' (most columns' collation aside). */
  value: string;
  /** The column and the literal as the query writes them. */
  written: { column: string; literal: string };
}

/**
 * One column asked to equal two values in the same row: `WHERE T5.Name = 'Rock' AND T5.Name =
 * 'Jazz'` for "customers who have bought both rock and jazz tracks" finds nothing, ever. Small
 * models answer every "both … and …" so (every answer of either model to Chinook's one such
 * question); the way is two queries intersected, or a group that holds both values. Read in the
 * conditions (WHERE, ON, HAVING) of each SELECT and parenthesis, outside CASE, and not where OR
 * or NOT joins them; values compared as SQLite would (1 is 1.0, text case aside).
 */
export function demandsTwoValues(sql: string): string | undefined {
  const equalities = equalitiesIn(oneEquals(meaningfulTokens(sql)));
  const first = new Map<string, Equality>();
  for (const equality of equalities) {
    const key = `${equality.scope} ${equality.column}`;
    const other = first.get(key);
    if (!other) first.set(key, equality);
    else if (other.value !== equality.value) {
      const { column } = other.written;
      const [a, b] = [other.written.literal, equality.written.literal];
      return `${column} cannot be both ${a} and ${b} in the same row, so the query finds nothing. For what has both, intersect two queries (one with ${column} = ${a}, one with ${column} = ${b}), or keep the groups that have both: WHERE ${column} IN (${a}, ${b}) … GROUP BY … HAVING COUNT(DISTINCT ${column}) = 2.`;
    }
  }
  return undefined;
}

/** `column = literal` in the conditions of each scope (a SELECT, a parenthesis) without OR or NOT. */
function equalitiesIn(tokens: SqlToken[]): Equality[] {
  const scopes: number[] = [0];
  const inCondition = new Map<number, boolean>();
  let next = 1;
  let inCase = 0;
  const negated = new Set<number>();
  const found: Equality[] = [];
  tokens.forEach((token, at) => {
    const word = token.kind === "word" ? token.text.toUpperCase() : "";
    const scope = scopes[scopes.length - 1];
    if (token.text === "(") {
      scopes.push(next);
      inCondition.set(next, inCondition.get(scope) ?? false);
      next += 1;
    } else if (token.text === ")") scopes.pop();
    else if (STARTS_SELECT.has(word)) {
      scopes[scopes.length - 1] = next;
      next += 1;
    } else if (STARTS_CONDITION.has(word)) inCondition.set(scope, true);
    else if (ENDS_CONDITION.has(word)) inCondition.set(scope, false);
    else if (word === "CASE") inCase += 1;
    else if (word === "END" && inCase > 0) inCase -= 1;
    else if (word === "OR" || negates(tokens, at)) negated.add(scope);
    else if (token.text === "=" && inCase === 0 && inCondition.get(scope)) {
      const equality = equalityAt(tokens, at, scope);
      if (equality) found.push(equality);
    }
  });
  return found.filter((equality) => !negated.has(equality.scope));
}

/** Words after NOT that make one operator with it (`NOT IN`), and do not negate a condition. */
const NOT_OPERATORS = new Set(["IN", "LIKE", "GLOB", "BETWEEN", "NULL", "MATCH", "REGEXP", "EXISTS"]);

/** A NOT that negates a condition: not `IS NOT`, `NOT IN`, `NOT LIKE`, … */
function negates(tokens: SqlToken[], at: number): boolean {
  const word = (token: SqlToken | undefined) => (token?.kind === "word" ? token.text.toUpperCase() : "");
  return (
    word(tokens[at]) === "NOT" && word(tokens[at - 1]) !== "IS" && !NOT_OPERATORS.has(word(tokens[at + 1]))
  );
}

/** The `column = literal` whose `=` is at `at`, the literal alone (not `= 1 + x`, not COLLATE). */
function equalityAt(tokens: SqlToken[], at: number, scope: number): Equality | undefined {
  const literal = tokens[at + 1];
  const after = tokens[at + 2];
  if (literal?.kind !== "string" && literal?.kind !== "number") return undefined;
  if (after && (after.kind === "symbol" || after.text.toUpperCase() === "COLLATE")) return undefined;
  const start = columnStart(tokens, at);
  if (start === undefined) return undefined;
  const column = tokens
    .slice(start, at)
    .map((t) => t.text)
    .join("");
  return {
    scope,
    column: column.toLowerCase(),
    value: comparedValue(literal),
    written: { column, literal: literal.text },
  };
}

/**
 * Where the column left of the `=` at `at` starts: the name and its table or alias, tokens written
 * together (`T5.Name`, `T1."Airline Name"`, and `a.Région`, which the lexer reads in three).
 */
function columnStart(tokens: SqlToken[], at: number): number | undefined {
  const isName = (token: SqlToken) =>
    token.kind === "word" ||
    token.kind === "identifier" ||
    (token.kind === "symbol" && token.text.startsWith("."));
  let start = at;
  while (start > 0 && isName(tokens[start - 1])) {
    start -= 1;
    const before = tokens[start - 1];
    if (!before || before.start + before.text.length !== tokens[start].start) break;
  }
  return start < at && tokens[start].kind !== "symbol" ? start : undefined;
}

/**
 * A number that names a row, after the name of a column or a table: "series 9", "episode 3",
 * "flight 1545", "customer 42", "year 2015" (`#` between them too). Not a number after other words
 * ("more than 12", "in 2013", "7 minutes"): a right query may state those otherwise (`>= 13`, no
 * filter on a table of one year, 420000 ms). Nor part of a word or a code (2nd, 50kg, Q3), a
 * percentage, a time, a fraction or a date written with slashes, nor the second half of a range.
 */
const LABELLED_NUMBER = /(\p{L}+)\s+#?(\d+(?:\.\d+)?)(?![\p{L}\p{N}_%:/]|[.,]\d)/gu;
/** Numbers as a query may hold them: in a literal, a date ('2015-01-01'), a name (viewers_7day). */
const NUMBER_IN_TEXT = /\d+(?:\.\d+)?/g;

/**
 * Numbers the question names rows by that the query never uses: "How many star baker awards did
 * each baker in series 9 get?" answered for every series, "Who was star baker in episode 3 of
 * series 7?" for episode 3 of every series (the 1.5B model, the Bake Off). A number counts as used
 * when the query holds it as a number, or within a literal or a name. Replayed over the runs of
 * the twenty-third stop (Chinook, the flights, the Bake Off, the demo; both models), every answer
 * so doubted was wrong, and no gold query is (`doubt.test.ts`).
 */
export function omitsNumbers(schema: DatabaseSchema, sql: string, question: string): string | undefined {
  // Most questions name no row by a number: the query and the schema are read only for those that do.
  const stated = [...question.matchAll(LABELLED_NUMBER)];
  if (stated.length === 0) return undefined;
  const used = numbersIn(sql);
  const unused = stated.filter(([, , number]) => !used.has(Number(number)));
  if (unused.length === 0) return undefined;
  const names = new Set(
    schema.tables.flatMap((table) => [table.name, ...table.columns.map((c) => c.name)]).flatMap(tokenize),
  );
  const omitted = unused.filter(([, label]) => tokenize(label).some((word) => names.has(word)));
  if (omitted.length === 0) return undefined;
  const said = [...new Set(omitted.map(([phrase]) => `"${phrase}"`))];
  return `The question says ${said.join(" and ")}, and the query never uses ${said.length > 1 ? "those numbers" : "that number"}: compare or filter by ${said.length > 1 ? "them" : "it"} as the question asks.`;
}

/** Every number a query holds: as a number, or within a literal or a name. */
function numbersIn(sql: string): Set<number> {
  const used = new Set<number>();
  for (const token of meaningfulTokens(sql)) {
    const text = token.kind === "string" ? (stringValue(token) ?? token.text) : token.text;
    for (const number of text.match(NUMBER_IN_TEXT) ?? []) used.add(Number(number));
  }
  return used;
}

/**
 * Words that ask for what has none: "never", "without", "none", "no star baker", "don't have any",
 * "not … anything". Not "no more than", "no older than", "no duplicates", "in no particular order",
 * "without repeats". A plain "not" names a state as often ("not fully paid", "not confirmed yet":
 * the demo's pairs), which a comparison or a status says.
 */
const ASKS_ABSENCE =
  /\b(?:never|none|nobody|nothing)\b|\bwithout\s+(?!(?:duplicat|repeat|repetition))\p{L}+|\bno\s+(?!(?:more|less|fewer|particular|duplicates?|repeats?|of)\b|\p{L}+er\s+than\b)\p{L}+|(?:\bnot|n['’]t)\s+(?:\p{L}+\s+){0,3}?(?:any(?:thing|one|body)?|a single)\b/iu;

/** A question without what it quotes: "Who sang 'Without You'?" asks for nothing that has none. */
function unquotedText(question: string): string {
  return question.replace(/'[^']*'|"[^"]*"|‘[^’]*’|“[^”]*”/g, " ");
}

/**
 * A question about what has none, answered by a query that reads two tables and excludes nothing:
 * "Which bakers of series 10 were never star baker?" answered with `bakers JOIN challenges … WHERE
 * T2.result != 'STAR BAKER'` (a baker passes through any week he was not), "Which episodes had no
 * star baker?" with `… JOIN challenges … WHERE result = 'STAR BAKER'` (the Bake Off, the 1.5B
 * model): such a query keeps what a join finds, which is what has something (`excludesNothing`).
 */
export function keepsWhatHasSome(schema: DatabaseSchema, sql: string, question: string): string | undefined {
  const said = ASKS_ABSENCE.exec(unquotedText(question))?.[0];
  if (!said) return undefined;
  const join = excludesNothing(schema, sql);
  if (!join) return undefined;
  const { listed, joined, differsOnJoined } = join;
  const differing = differsOnJoined
    ? `, and a != on a joined row keeps any ${listed} row that has another one`
    : "";
  return `The question asks for what has none ("${said}"), but the query excludes nothing: joined to ${joined.join(", ")}, it keeps the ${listed} rows that have some matching row${differing}. Keep the ${listed} rows that have no such row: WHERE … NOT IN (SELECT … WHERE …), or NOT EXISTS (…).`;
}

/** What an answer that found something plainly gets wrong, in words a repair can act on. */
export function answerFlaw(
  schema: DatabaseSchema,
  result: QueryResult,
  sql: string,
  question: string,
): string | undefined {
  return (
    ignoresRounding(sql, question) ??
    echoesItsFilter(result, sql) ??
    listsNull(result) ??
    showsArbitraryRows(schema, sql) ??
    showsOnlyKeys(schema, sql, question) ??
    readsDateFromNonDate(schema, sql) ??
    countsAnotherTable(schema, sql, question) ??
    picksTheOtherEnd(schema, sql, question) ??
    omitsNumbers(schema, sql, question) ??
    keepsWhatHasSome(schema, sql, question)
  );
}

function sameText(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * Why an answer found nothing, when the database can tell: a value it compares a column with is
 * stored in no such column of the query's tables, but elsewhere ("customers looked after by Jane
 * Peacock" filtered on the customer's name; Jane Peacock is an employee). Said with the join that
 * reaches the table holding it; a value stored nowhere is said with a few values its column holds
 * (which the value is not among). Undefined when every value is where the query looks, or nowhere
 * and its column holds no text.
 */
export function misplacedValues(schema: DatabaseSchema, values: ValueIndex, sql: string): string | undefined {
  const inQuery = tablesNamedIn(schema, sql);
  const lines: string[] = [];
  const holding = new Set<string>();
  for (const { column, value } of comparisons(sql)) {
    const holders = columnsHolding(values, value);
    const found = holders.some(
      (h) => inQuery.some((t) => t.name === h.table) && h.column.toLowerCase() === column.toLowerCase(),
    );
    if (holders.length === 0) {
      const known = heldValuesOf(inQuery, values, column, value);
      if (known) lines.push(known);
      continue;
    }
    if (found) continue;
    lines.push(
      `'${value}' is not a value of ${column}; it is stored in ${holders.map((h) => `${h.table}.${h.column}`).join(", ")}.`,
    );
    for (const holder of holders) holding.add(holder.table);
  }
  if (lines.length === 0) return undefined;
  const holderTables = schema.tables.filter((table) => holding.has(table.name));
  return [...lines, ...joinsTo(schema, inQuery, holderTables)].join("\n");
}

/**
 * A value stored nowhere, compared with a column: a few values the column holds, so that a repair
 * can take one ("flights that left New York" filtered on origin = 'NEW'; origin holds 'EWR', 'JFK',
 * 'LGA'), or see what the column is ("bakers eliminated" filtered on episodes.eliminated = 'Yes',
 * which holds the names of the bakers who left). The schema's samples of a column of few values,
 * else the value index's. Not a column known to hold dates, whose values only show the format.
 */
function heldValuesOf(
  tables: SchemaTable[],
  values: ValueIndex,
  column: string,
  value: string,
): string | undefined {
  const held = tables.flatMap((table) =>
    table.columns
      .filter((c) => sameText(c.name, column) && c.holdsDates !== true)
      .map((c) => ({
        table,
        name: c.name,
        some: c.samples ?? someValuesBesides(values, table.name, c.name, value),
      }))
      .filter(({ some }) => some.length > 0 && !some.includes(value)),
  );
  if (held.length !== 1) return undefined;
  const [{ table, name, some }] = held;
  const quoted = some.map(quoteText).join(", ");
  return `${table.name}.${name} holds values such as ${quoted} (${quoteText(value)} is not one of them).`;
}

/** The column a token names: `.FirstName` (after an alias), `FirstName`, `"Airline Name"`. */
function columnNamed(text: string): string | undefined {
  const match = /^\.?(?:"((?:[^"]|"")+)"|`([^`]+)`|\[([^\]]+)\]|([\p{L}_][\p{L}\p{N}_$]*))$/u.exec(text);
  return match ? (match[1]?.replaceAll('""', '"') ?? match[2] ?? match[3] ?? match[4]) : undefined;
}

/** `column = 'value'` in a query: the column (without its table or alias) and the value. */
function comparisons(sql: string): Array<{ column: string; value: string }> {
  const tokens = meaningfulTokens(sql);
  return tokens.flatMap((token, at) => {
    const value = stringValue(token);
    if (value === undefined || tokens[at - 1]?.text !== "=") return [];
    // The lexer reads `T2.FirstName` as the word `T2` and the symbol `.FirstName`.
    const column = columnNamed(tokens[at - 2]?.text ?? "");
    return column ? [{ column, value }] : [];
  });
}
