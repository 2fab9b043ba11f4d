/** The examples a reader copies from the Markdown docs: shell commands of ```sh blocks and `GET /path` mentions. */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface ShellExample {
  /** "docs/api.md:265" */
  where: string;
  /** The command as written, continuation lines joined. */
  text: string;
  /** Leading `NAME=value` words. */
  env: Record<string, string>;
  argv: string[];
}

export interface GetExample {
  where: string;
  path: string;
}

/** Every command of the page's ```sh blocks; `a && b` gives two. */
export function shellExamples(root: string, page: string): ShellExample[] {
  const examples: ShellExample[] = [];
  let inShell = false;
  let pending: { start: number; text: string } | undefined;
  readFileSync(join(root, page), "utf8")
    .split("\n")
    .forEach((raw, index) => {
      const line = raw.trim();
      if (line.startsWith("```")) {
        inShell = !inShell && line === "```sh";
        return;
      }
      if (!inShell) return;
      const start = pending?.start ?? index + 1;
      const text = `${pending ? `${pending.text} ` : ""}${line.replace(/\\$/, "").trim()}`;
      pending = line.endsWith("\\") || hasOpenQuote(text) ? { start, text } : undefined;
      if (!pending && text) examples.push(...commandsOf(`${page}:${start}`, text));
    });
  return examples;
}

/** Every `GET /path` a page mentions in inline code, except paths with placeholders ({id}, …). */
export function getExamples(root: string, page: string): GetExample[] {
  return readFileSync(join(root, page), "utf8")
    .split("\n")
    .flatMap((line, index) =>
      [...line.matchAll(/`GET (\/[^`\s]*)`/g)]
        .map((match) => match[1])
        .filter((path) => !/[{…]/.test(path))
        .map((path) => ({ where: `${page}:${index + 1}`, path })),
    );
}

function commandsOf(where: string, line: string): ShellExample[] {
  const words = shellWords(line);
  const commands: string[][] = [[]];
  for (const word of words) {
    if (word === "&&") commands.push([]);
    else commands.at(-1)!.push(word);
  }
  return commands
    .filter((argv) => argv.length > 0)
    .map((argv) => {
      const env: Record<string, string> = {};
      while (/^[A-Z_]+=/.test(argv[0])) {
        const [name, ...value] = argv.shift()!.split("=");
        env[name] = value.join("=");
      }
      return { where, text: line.replace(/\s+#.*$/, ""), env, argv };
    });
}

/** Splits a command line as a POSIX shell would, for the quoting the docs use ('…', "…", '\''); drops a # comment. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  const pattern = /\s*(?:(#.*)|((?:'[^']*'|"(?:[^"\\]|\\.)*"|\\.|[^\s'"\\])+))/gy;
  for (let match = pattern.exec(line); match && !match[1]; match = pattern.exec(line)) {
    if (match[2]) words.push(unquote(match[2]));
  }
  return words;
}

/** The line ends inside '…' or "…" (not in a # comment): the command goes on on the next line. */
function hasOpenQuote(text: string): boolean {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quote === '"' && char === "\\") i += 1;
    else if (quote === char) quote = undefined;
    else if (!quote && char === "#" && (i === 0 || /\s/.test(text[i - 1]))) return false;
    else if (!quote && (char === "'" || char === '"')) quote = char;
    else if (!quote && char === "\\") i += 1;
  }
  return quote !== undefined;
}

function unquote(word: string): string {
  return word.replace(
    /'([^']*)'|"((?:[^"\\]|\\.)*)"|\\(.)/g,
    (_, single?: string, double?: string, escaped?: string) =>
      single ?? (double !== undefined ? double.replace(/\\(.)/g, "$1") : escaped!),
  );
}
