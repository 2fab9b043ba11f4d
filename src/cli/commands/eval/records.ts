import { readFileSync } from "node:fs";
import { AskDbError } from "../../../errors/index.js";
import type { EvalRecord } from "../../../sql/index.js";

/** The lines of an `askdb eval --out` file; a line cut off by a crash, or that is no result, is dropped. */
export function readRecords(file: string): EvalRecord[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new AskDbError("INVALID_INPUT", `cannot read ${file}: ${(error as Error).message}`, {
      hint: "give the file that `askdb eval --out FILE` wrote",
      cause: error,
    });
  }
  return text.split("\n").flatMap((line) => {
    try {
      const parsed: unknown = line.trim() ? JSON.parse(line) : undefined;
      return isRecord(parsed) ? [parsed] : [];
    } catch {
      return [];
    }
  });
}

function isRecord(value: unknown): value is EvalRecord {
  if (typeof value !== "object" || value === null) return false;
  const { db_id, question, match } = value as Partial<EvalRecord>;
  return typeof db_id === "string" && typeof question === "string" && typeof match === "boolean";
}
