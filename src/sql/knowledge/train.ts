import { readFileSync, readdirSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { AskDbError, toAskDbError } from "../../errors/index.js";
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

const COMMENTS = /--[^\n]*|\/\*[\s\S]*?\*\//g;

/** Splits SQL text into statements on `;`, ignoring semicolons inside strings, identifiers and comments. */
export function splitSqlStatements(sql: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === "'" || ch === '"' || ch === "`" || ch === "[") {
      const close = ch === "[" ? "]" : ch;
      i = sql.indexOf(close, i + 1);
      if (i < 0) break;
    } else if (ch === "-" && sql[i + 1] === "-") {
      i = sql.indexOf("\n", i);
      if (i < 0) break;
    } else if (ch === "/" && sql[i + 1] === "*") {
      i = sql.indexOf("*/", i + 2);
      if (i < 0) break;
      i += 1;
    } else if (ch === ";") {
      statements.push(sql.slice(start, i));
      start = i + 1;
    }
    i += 1;
  }
  statements.push(sql.slice(start));
  return statements.map((s) => s.trim()).filter((s) => s.replace(COMMENTS, "").trim() !== "");
}

const CREATED_OBJECT =
  /^\s*CREATE\s+(?:TEMP(?:ORARY)?\s+)?(?:UNIQUE\s+)?(TABLE|VIEW|INDEX|TRIGGER)\s+(?:IF\s+NOT\s+EXISTS\s+)?["`[]?([^\s"`\]();]+)/i;

/** One DDL item per statement, titled by the object it creates. */
export function ddlItems(sql: string, source: KnowledgeSource): NewKnowledgeItem[] {
  return splitSqlStatements(sql).map((statement) => {
    const created = CREATED_OBJECT.exec(statement.replace(COMMENTS, ""));
    return {
      kind: "ddl" as const,
      content: `${statement};`,
      ...(created ? { title: created[2] } : {}),
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
