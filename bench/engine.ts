/**
 * Cold vs warm prompt evaluation for the same long prefix: the text-to-SQL path sends the same
 * instructions + schema (system message) with a new question each time, and the engine should
 * evaluate only the new part. Run: `npx tsx bench/engine.ts [--model FILE] [--threads N] [--json]`.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createEngine, type GenerationResult } from "../src/engine/index.js";

export interface PrefixReuseRun {
  label: string;
  promptTokens: number;
  evaluatedTokens: number;
  reusedTokens: number;
  promptMs: number;
}

export interface PrefixReuseReport {
  model: string;
  threads: number;
  runs: PrefixReuseRun[];
  /** Tokens evaluated warm, as a share of the cold prompt (target ≤ 0.2). */
  warmShare: number;
}

const DEFAULT_MODEL = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "shared", "models", "stories260K.gguf");

const PREFIX = [
  "You write one SQLite SELECT statement that answers the question. Use only these tables.",
  ...Array.from({ length: 14 }, (_, i) => `CREATE TABLE table_${i} (id INTEGER PRIMARY KEY, name TEXT, amount REAL, created_at TEXT, owner_id INTEGER REFERENCES users(id));`),
  "Documentation: amounts are in euros; created_at is an ISO-8601 date; owners are users.",
].join("\n");

const QUESTIONS = ["How many rows are in table_3?", "What is the total amount in table_7 per owner?", "Which names in table_12 were created in 2024?"];

export async function benchPrefixReuse(options: { model?: string; threads?: number } = {}): Promise<PrefixReuseReport> {
  const modelFile = resolve(options.model ?? DEFAULT_MODEL);
  if (!existsSync(modelFile)) throw new Error(`model file not found: ${modelFile}`);
  const threads = options.threads ?? 1;
  const engine = createEngine({ modelFile, config: { threads, contextSize: 2048 } });
  try {
    await engine.load();
    const runs: PrefixReuseRun[] = [];
    for (const [index, question] of QUESTIONS.entries()) {
      const result = await engine.chat([{ role: "system", content: PREFIX }, { role: "user", content: question }], { maxTokens: 1, temperature: 0 });
      runs.push(toRun(index === 0 ? "cold" : `warm ${index}`, result));
    }
    const cold = runs[0];
    const warm = runs.slice(1);
    const warmShare = Math.max(...warm.map((run) => run.evaluatedTokens)) / cold.promptTokens;
    return { model: modelFile, threads, runs, warmShare };
  } finally {
    await engine.close();
  }
}

function toRun(label: string, result: GenerationResult): PrefixReuseRun {
  return {
    label,
    promptTokens: result.promptTokens,
    evaluatedTokens: result.promptTokens - result.reusedPromptTokens,
    reusedTokens: result.reusedPromptTokens,
    promptMs: Math.round((result.timeToFirstTokenMs - result.loadMs) * 10) / 10,
  };
}

function printReport(report: PrefixReuseReport): void {
  console.log(`prefix reuse — ${report.model} (threads ${report.threads})`);
  console.log("run       prompt  evaluated  reused  prompt ms");
  for (const run of report.runs) {
    console.log(
      `${run.label.padEnd(9)} ${String(run.promptTokens).padStart(6)} ${String(run.evaluatedTokens).padStart(10)} ${String(run.reusedTokens).padStart(7)} ${String(run.promptMs).padStart(10)}`,
    );
  }
  console.log(`warm evaluates ${(report.warmShare * 100).toFixed(1)}% of the cold prompt (target ≤ 20%)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { model: { type: "string" }, threads: { type: "string" }, json: { type: "boolean" } } });
  const report = await benchPrefixReuse({ model: values.model, threads: values.threads ? Number(values.threads) : undefined });
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else printReport(report);
}
