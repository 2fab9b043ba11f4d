/**
 * Runs `askdb eval` for each model × pipeline variant and prints the table of docs/accuracy.md.
 * Each run is the real CLI (this checkout's sources) with `--json --out`, so every figure can be
 * reproduced by hand with the command printed above it.
 *
 *   tsx scripts/eval-matrix.ts --bm25-data-dir D1 --hybrid-data-dir D2 --models gemma3-270m,smollm2-135m --limit 20 --out-dir results/
 *   tsx scripts/eval-matrix.ts ... -- --questions demo/eval/paraphrases.json --db DB --train-pairs PAIRS.json
 *
 * BM25 alone vs hybrid is a matter of which askdb data dir the run uses: one where no embedding
 * model is registered, and one where an embedding model is active.
 */
import { Command } from "commander";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { EvalSummary } from "../src/sql/index.js";
import { run, tail } from "./eval-models/python.js";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

interface Variant {
  name: string;
  flags: string[];
  hybrid: boolean;
}

const VARIANTS: Variant[] = [
  { name: "the model alone (--plain)", flags: ["--plain"], hybrid: false },
  { name: "askdb defaults (BM25)", flags: [], hybrid: false },
  { name: "grammar on", flags: ["--grammar"], hybrid: false },
  { name: "no value hints", flags: ["--no-values"], hybrid: false },
  { name: "per-question budget 160", flags: ["--question-tokens", "160"], hybrid: false },
  { name: "no examples", flags: ["--no-examples"], hybrid: false },
  { name: "no repair", flags: ["--no-repair"], hybrid: false },
  { name: "askdb defaults (hybrid)", flags: [], hybrid: true },
];

interface Options {
  bm25DataDir: string;
  hybridDataDir?: string;
  models: string;
  variants?: string;
  limit?: string;
  outDir: string;
  rerun?: boolean;
}

interface Row {
  model: string;
  variant: string;
  summary: EvalSummary;
  command: string;
}

function slug(text: string): string {
  return text
    .replace(/[^a-z0-9]+/gi, "-")
    .replace(/^-|-$/g, "")
    .toLowerCase();
}

async function evalOnce(
  model: string,
  variant: Variant,
  options: Options,
  extra: string[],
): Promise<Row | undefined> {
  const dataDir = variant.hybrid ? options.hybridDataDir : options.bm25DataDir;
  if (!dataDir) return undefined;
  const base = join(options.outDir, `${slug(model)}__${slug(variant.name)}`);
  const cliArgs = [
    "--data-dir",
    dataDir,
    "eval",
    "--model",
    model,
    ...(options.limit ? ["--limit", options.limit] : []),
    ...variant.flags,
    ...extra,
    "--json",
    "--out",
    `${base}.jsonl`,
  ];
  const command = `askdb ${cliArgs.join(" ")}`;
  if (!options.rerun && existsSync(`${base}.json`)) {
    return {
      model,
      variant: variant.name,
      summary: JSON.parse(readFileSync(`${base}.json`, "utf8")) as EvalSummary,
      command,
    };
  }
  process.stderr.write(`running: ${command}\n`);
  const started = Date.now();
  const result = await run(
    process.execPath,
    ["--import", "tsx", join(REPO_ROOT, "src", "cli", "main.ts"), ...cliArgs],
    { cwd: REPO_ROOT },
  );
  if (result.code !== 0) {
    process.stderr.write(`  failed: ${tail(result.stdout + result.stderr)}\n`);
    return undefined;
  }
  const summary = JSON.parse(result.stdout) as EvalSummary;
  writeFileSync(`${base}.json`, `${JSON.stringify(summary, null, 2)}\n`);
  process.stderr.write(
    `  done in ${Math.round((Date.now() - started) / 1000)} s: ${summary.matched}/${summary.total}\n`,
  );
  return { model, variant: variant.name, summary, command };
}

function percent(x: number): string {
  return `${(x * 100).toFixed(0)}%`;
}

function markdownTable(rows: Row[]): string {
  const lines = [
    "| model | pipeline | execution accuracy | valid SQL | p50 s/question | p95 s/question | answered by |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const { model, variant, summary: s } of rows) {
    const sources = Object.entries(s.bySource)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
    lines.push(
      `| ${model} | ${variant} | ${percent(s.executionAccuracy)} (${s.matched}/${s.total}) | ${percent(s.validSqlShare)} | ${(s.p50Ms / 1000).toFixed(1)} | ${(s.p95Ms / 1000).toFixed(1)} | ${sources} |`,
    );
  }
  return lines.join("\n");
}

const program = new Command("eval-matrix")
  .description("askdb eval for each model × pipeline variant; prints a markdown table")
  .requiredOption("--bm25-data-dir <dir>", "askdb data dir with the models and no embedding model")
  .option("--hybrid-data-dir <dir>", "askdb data dir with the same models and an active embedding model")
  .requiredOption("--models <ids>", "comma-separated installed model ids")
  .option("--variants <names>", `comma-separated subset of: ${VARIANTS.map((v) => slug(v.name)).join(", ")}`)
  .option("--limit <n>", "only the first N held-out questions")
  .option("--out-dir <dir>", "where summaries (.json) and per-question records (.jsonl) go", "eval-results")
  .option("--rerun", "run again even where a summary exists")
  .argument("[evalOptions...]", "more `askdb eval` options for every run, after --")
  .action(async (extra: string[], options: Options) => {
    mkdirSync(options.outDir, { recursive: true });
    const wanted = options.variants?.split(",").map((v) => v.trim());
    const rows: Row[] = [];
    for (const variant of VARIANTS.filter((v) => !wanted || wanted.includes(slug(v.name)))) {
      for (const model of options.models.split(",").map((m) => m.trim())) {
        const row = await evalOnce(model, variant, options, extra);
        if (row) rows.push(row);
      }
    }
    process.stdout.write(
      `${markdownTable(rows)}\n\nCommands:\n${rows.map((r) => `    ${r.command}`).join("\n")}\n`,
    );
  });

await program.parseAsync(process.argv);
