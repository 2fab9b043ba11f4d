/**
 * `askdb eval` on the demo's held-out set with the grammar's "scoped" shape (each FROM has its own
 * column rules, for weak models), which the CLI does not expose: the same pipeline, scoring and
 * scratch store as `askdb eval`, through the public sql API.
 *
 *   tsx scripts/eval-grammar-shape.ts --model FILE.gguf --shape scoped --limit 6 --data-dir D
 */
import { Command } from "commander";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_EVAL_FILE } from "../src/demo/index.js";
import { createEngine } from "../src/engine/index.js";
import {
  createTextToSql,
  ensureDemoTrained,
  loadEvalQuestions,
  pipelineAnswerer,
  runEval,
} from "../src/sql/index.js";
import { openStore, resolveDataDir } from "../src/store/index.js";

interface Options {
  model: string;
  shape: "full" | "scoped";
  limit?: string;
  dataDir?: string;
  out?: string;
}

async function main(options: Options): Promise<void> {
  const scratchDir = mkdtempSync(join(tmpdir(), "askdb-eval-shape-"));
  const store = openStore(scratchDir);
  const engine = createEngine({ modelFile: options.model });
  const textToSql = createTextToSql({
    store,
    engine,
    model: options.model,
    grammar: { shape: options.shape },
  });
  try {
    const demo = await ensureDemoTrained(textToSql, resolveDataDir({ flag: options.dataDir }));
    const all = loadEvalQuestions(DEMO_EVAL_FILE, { db: demo.path });
    const questions = options.limit ? all.slice(0, Number(options.limit)) : all;
    const { records, summary } = await runEval(questions, {
      ...pipelineAnswerer(textToSql, { useGrammar: true }),
      onRecord: (r, i, n) =>
        process.stderr.write(`${r.match ? "✓" : r.valid ? "✗" : "!"} ${i + 1}/${n} ${r.question}\n`),
    });
    if (options.out) writeFileSync(options.out, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
    process.stdout.write(
      `${JSON.stringify({ model: options.model, shape: options.shape, ...summary }, null, 2)}\n`,
    );
  } finally {
    await textToSql.close();
    await engine.close();
    store.close();
    rmSync(scratchDir, { recursive: true, force: true });
  }
}

await new Command("eval-grammar-shape")
  .requiredOption("--model <file>", "a GGUF file")
  .option("--shape <shape>", "full or scoped", "scoped")
  .option("--limit <n>", "only the first N held-out questions")
  .option("--data-dir <dir>", "askdb data dir holding the demo database")
  .option("--out <file>", "one JSON line per question")
  .action(main)
  .parseAsync(process.argv);
