import { readFileSync, readdirSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { AskDbError, toAskDbError } from "../../errors/index.js";
import { splitStatements, tokenizeSql } from "../guard/index.js";
import { splitMarkdownByHeading } from "./markdown.js";
import type { KnowledgeSource, NewKnowledgeItem } from "./store.js";

export interface QuestionSqlPair {
  question: string;
  sql: string;
}

/** What training read from files, before validation. */
export interface TrainingMaterial {
  ddl: NewKnowledgeItem[];
  documentation: NewKnowledgeItem[];
  pairs: QuestionSqlPair[];
}

export function emptyMaterial(): TrainingMaterial {
  return { ddl: [], documentation: [], pairs: [] };
}

/** `CREATE … TABLE|VIEW|INDEX|TRIGGER [IF NOT EXISTS] name`; a quoted name is taken whole. */
const CREATED_OBJECT =
  /^CREATE\s+(?:TEMP(?:ORARY)?\s+)?(?:UNIQUE\s+)?(?:TABLE|VIEW|INDEX|TRIGGER)\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:"([^"]+)"|\[([^\]]+)\]|`([^`]+)`|([^\s"`[\]();]+))/i;

/**
 * One DDL item per statement, titled by the object it creates. Statements are split by the guard's
 * lexer (semicolons inside strings, quoted identifiers and comments do not count; empty and
 * comment-only statements are dropped). An item keeps the comments above its statement, which
 * often say what a table holds.
 */
export function ddlItems(sql: string, source: KnowledgeSource): NewKnowledgeItem[] {
  const tokens = tokenizeSql(sql);
  const semicolons = tokens.filter((token) => token.kind === "semicolon").map((token) => token.start);
  let next = 0; // index into semicolons: the first one after the statement being read
  return splitStatements(tokens).map((statement) => {
    const first = statement[0];
    const last = statement[statement.length - 1];
    while (next < semicolons.length && semicolons[next] < first.start) next += 1;
    // From just after the previous semicolon (so the comments above stay) to the one that ends it.
    const from = next > 0 ? semicolons[next - 1] + 1 : 0;
    const text = sql.slice(from, semicolons[next] ?? sql.length).trim();
    const created = CREATED_OBJECT.exec(sql.slice(first.start, last.start + last.text.length));
    return {
      kind: "ddl" as const,
      content: `${text};`,
      ...(created ? { title: created.slice(1).find((name) => name !== undefined) } : {}),
      source,
    };
  });
}

export function documentationItems(
  markdown: string,
  documentTitle: string,
  source: KnowledgeSource,
): NewKnowledgeItem[] {
  return splitMarkdownByHeading(markdown, documentTitle).map((section) => ({
    kind: "documentation" as const,
    content: section.text,
    ...(section.title ? { title: section.title } : {}),
    source,
  }));
}

/** Reads `[{question, sql}]` (or Spider's `query`) from JSON text; the error names the file and entry. */
export function parsePairs(json: string, origin: string): QuestionSqlPair[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new AskDbError("INVALID_INPUT", `${origin} is not valid JSON: ${(error as Error).message}`, {
      hint: 'expected an array like [{"question": "…", "sql": "SELECT …"}]',
    });
  }
  if (!Array.isArray(parsed)) {
    throw new AskDbError("INVALID_INPUT", `${origin} must hold a JSON array of {question, sql} objects`);
  }
  return parsed.map((entry, index) => {
    const { question, sql, query } = (entry ?? {}) as Record<string, unknown>;
    const text = typeof sql === "string" ? sql : query;
    if (
      typeof question !== "string" ||
      question.trim() === "" ||
      typeof text !== "string" ||
      text.trim() === ""
    ) {
      throw new AskDbError(
        "INVALID_INPUT",
        `${origin}, entry ${index + 1}: needs a non-empty "question" and "sql"`,
      );
    }
    return { question: question.trim(), sql: text.trim() };
  });
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AskDbError(
      code === "ENOENT" ? "NOT_FOUND" : "INVALID_INPUT",
      `cannot read ${path}: ${toAskDbError(error).message}`,
    );
  }
}

function filesIn(dir: string, extensions: string[]): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => extensions.includes(extname(name).toLowerCase()))
    .sort()
    .map((name) => join(dir, name));
}

export function readDdlFile(path: string, source: KnowledgeSource = "user"): TrainingMaterial {
  return { ...emptyMaterial(), ddl: ddlItems(readText(path), source) };
}

export function readDocumentationFile(path: string, source: KnowledgeSource = "user"): TrainingMaterial {
  const title = basename(path, extname(path)).replace(/[_-]+/g, " ");
  return { ...emptyMaterial(), documentation: documentationItems(readText(path), title, source) };
}

export function readPairsFile(path: string): TrainingMaterial {
  return { ...emptyMaterial(), pairs: parsePairs(readText(path), path) };
}

/** Reads a folder in the demo's `training/` layout: ddl/*.sql, documentation/*.md, question_sql_pairs/*.json. */
export function readTrainingDirectory(dir: string): TrainingMaterial {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new AskDbError("NOT_FOUND", `training folder ${dir} does not exist`, {
      hint: "expected a folder with ddl/*.sql, documentation/*.md and question_sql_pairs/*.json",
    });
  }
  const material = emptyMaterial();
  for (const file of filesIn(join(dir, "ddl"), [".sql"]))
    material.ddl.push(...readDdlFile(file, "training-dir").ddl);
  for (const file of filesIn(join(dir, "documentation"), [".md", ".markdown", ".txt"])) {
    material.documentation.push(...readDocumentationFile(file, "training-dir").documentation);
  }
  for (const file of filesIn(join(dir, "question_sql_pairs"), [".json"]))
    material.pairs.push(...readPairsFile(file).pairs);
  if (material.ddl.length + material.documentation.length + material.pairs.length === 0) {
    throw new AskDbError("INVALID_INPUT", `training folder ${dir} holds nothing to learn`, {
      hint: "expected ddl/*.sql, documentation/*.md or question_sql_pairs/*.json inside it",
    });
  }
  return material;
}
