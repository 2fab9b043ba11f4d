import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AskDbError } from "../../errors/index.js";

/** `prompts/` at the package root: the same relative path from src/engine/chat and dist/engine/chat. */
export const DEFAULT_PROMPTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "prompts");

const cache = new Map<string, string>();

/** Reads `prompts/<name>.md` (or `.txt`); templates are cached, since they ship with askdb and do not change. */
export function loadPromptTemplate(name: string, dir: string = DEFAULT_PROMPTS_DIR): string {
  const key = join(dir, name);
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const file = [".md", ".txt"].map((ext) => join(dir, `${name}${ext}`)).find((path) => existsSync(path));
  if (!file) {
    throw new AskDbError("NOT_FOUND", `prompt template "${name}" not found in ${dir}`, {
      hint: `add ${name}.md to the prompts folder`,
    });
  }
  const text = readFileSync(file, "utf8").replace(/\s+$/, "");
  cache.set(key, text);
  return text;
}

/**
 * Fills `{{name}}` placeholders. A placeholder without a value is an error rather than an empty
 * string, so a typo in a template cannot silently drop part of a prompt.
 */
export function renderTemplate(template: string, variables: Record<string, string | number>): string {
  return template.replace(/\{\{\s*([A-Za-z_][\w]*)\s*\}\}/g, (_, name: string) => {
    const value = variables[name];
    if (value === undefined) {
      throw new AskDbError("INVALID_INPUT", `prompt template variable "${name}" has no value`, {
        hint: `pass ${name} when rendering the template`,
      });
    }
    return String(value);
  });
}

export function renderPrompt(
  name: string,
  variables: Record<string, string | number> = {},
  dir?: string,
): string {
  return renderTemplate(loadPromptTemplate(name, dir), variables);
}
