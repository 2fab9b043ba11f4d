import pc from "picocolors";

const KEYWORDS = new Set(
  (
    "select from where join left right inner outer cross full natural on using group by order having limit offset " +
    "as and or not in is null like glob between case when then else end distinct union all intersect except " +
    "with recursive asc desc exists cast collate values over partition filter window true false"
  ).split(" "),
);

/** Strings, quoted names, comments, numbers and words, in the order SQLite's tokenizer sees them. */
const TOKEN =
  /('(?:[^']|'')*'?)|("(?:[^"]|"")*"?|`[^`]*`?|\[[^\]]*\]?)|(--[^\n]*)|(\b\d+(?:\.\d+)?\b)|(\b\w+\b)/g;

/** SQL with keywords, strings and numbers coloured; unchanged where colours are off (not a terminal, NO_COLOR). */
export function highlightSql(sql: string): string {
  return sql.replace(
    TOKEN,
    (token, text?: string, name?: string, comment?: string, number?: string, word?: string) => {
      if (text) return pc.green(token);
      if (comment) return pc.dim(token);
      if (number) return pc.yellow(token);
      if (word && KEYWORDS.has(word.toLowerCase())) return pc.bold(pc.cyan(token));
      return name ?? token;
    },
  );
}
