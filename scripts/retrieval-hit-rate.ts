/**
 * Retrieval on its own: for paraphrases of the demo's trained questions (demo/eval/paraphrases.json,
 * each with the trained question it rewords), how often that trained pair is among the top K
 * retrieved pairs — BM25 alone, the embedding model's vectors alone, and hybrid (both fused by
 * reciprocal rank, exactly as `askdb ask` retrieves).
 *
 *   tsx scripts/retrieval-hit-rate.ts --embedding embeddinggemma-300m,all-minilm-l6-v2 --data-dir D
 *   tsx scripts/retrieval-hit-rate.ts --embedding /path/to/model.gguf
 */
import { Command } from "commander";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DEMO_TRAINING_DIR } from "../src/demo/index.js";
import { createEngine } from "../src/engine/index.js";
import { AskDbError, describeError, toAskDbError } from "../src/errors/index.js";
import { createModelManager } from "../src/models/index.js";
import { readTrainingDirectory, type KnowledgeItem } from "../src/sql/index.js";
import { KnowledgeIndex } from "../src/sql/retrieve/index.js";
import { openStore, resolveDataDir } from "../src/store/index.js";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const EMBED_BATCH = 32;

interface Paraphrase {
  question: string;
  expected: string;
}

interface MethodResult {
  method: string;
  hitsAtK: number;
  hitsAt1: number;
  total: number;
  misses: Array<{ question: string; expected: string; got: string[] }>;
}

type Ranker = (paraphrase: Paraphrase, index: number) => string[];

function readParaphrases(file: string, known: Set<string>): Paraphrase[] {
  const list = JSON.parse(readFileSync(file, "utf8")) as Paraphrase[];
  const unknown = list.filter((p) => !known.has(p.expected));
  if (unknown.length > 0) {
    throw new AskDbError(
      "INVALID_INPUT",
      `${file}: "${unknown[0].expected}" is not a trained question of the demo`,
      {
        hint: "each entry's expected must be a question of demo/training/question_sql_pairs",
      },
    );
  }
  return list;
}

function score(method: string, paraphrases: Paraphrase[], k: number, rank: Ranker): MethodResult {
  const result: MethodResult = { method, hitsAtK: 0, hitsAt1: 0, total: paraphrases.length, misses: [] };
  paraphrases.forEach((p, i) => {
    const top = rank(p, i).slice(0, k);
    if (top[0] === p.expected) result.hitsAt1 += 1;
    if (top.includes(p.expected)) result.hitsAtK += 1;
    else result.misses.push({ question: p.question, expected: p.expected, got: top.slice(0, 3) });
  });
  return result;
}

/** A GGUF path, or an installed model id of the data dir. */
function embeddingFile(spec: string, dataDir: string | undefined): string {
  if (existsSync(spec)) return resolve(spec);
  const store = openStore(resolveDataDir({ flag: dataDir }));
  try {
    const model = createModelManager({ store }).get(spec);
    if (!model)
      throw new AskDbError("NOT_FOUND", `no installed model "${spec}" and no such file`, {
        hint: "give a GGUF path, or --data-dir where it is registered",
      });
    return model.path;
  } finally {
    store.close();
  }
}

async function embedAll(
  embed: (texts: string[]) => Promise<number[][]>,
  texts: string[],
): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < texts.length; i += EMBED_BATCH)
    out.push(...(await embed(texts.slice(i, i + EMBED_BATCH))));
  return out;
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i += 1) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / (Math.sqrt(na * nb) || 1);
}

async function main(options: {
  embedding?: string;
  dataDir?: string;
  paraphrases: string;
  k: string;
  threads: string;
  json?: boolean;
}): Promise<void> {
  const k = Number(options.k);
  const pairs = readTrainingDirectory(DEMO_TRAINING_DIR).pairs;
  const createdAt = new Date().toISOString();
  const items: KnowledgeItem[] = pairs.map((p, i) => ({
    id: `pair-${i}`,
    dbId: "demo",
    kind: "question_sql",
    question: p.question,
    content: p.sql,
    source: "training-dir",
    createdAt,
  }));
  const questionOf = new Map(items.map((item) => [item.id, item.question as string]));
  const paraphrases = readParaphrases(options.paraphrases, new Set(pairs.map((p) => p.question)));
  const index = new KnowledgeIndex(1);
  index.add(items);
  const names = (ids: Array<{ item: KnowledgeItem }>): string[] => ids.map((s) => s.item.question as string);

  const results = [score("BM25", paraphrases, k, (p) => names(index.search(p.question, "question_sql", k)))];
  for (const spec of options.embedding?.split(",").map((s) => s.trim()) ?? []) {
    const file = embeddingFile(spec, options.dataDir);
    const engine = createEngine({ embeddingModelFile: file, config: { threads: Number(options.threads) } });
    try {
      const embed = async (texts: string[]): Promise<number[][]> => (await engine.embed(texts)).vectors;
      const itemVectors = await embedAll(
        embed,
        items.map((item) => item.question as string),
      );
      const queryVectors = await embedAll(
        embed,
        paraphrases.map((p) => p.question),
      );
      index.setVectors(spec, new Map(items.map((item, i) => [item.id, itemVectors[i]])));
      results.push(
        score(`vectors alone (${spec})`, paraphrases, k, (_p, i) =>
          items
            .map((item, j) => ({ id: item.id, s: cosine(queryVectors[i], itemVectors[j]) }))
            .sort((a, b) => b.s - a.s)
            .map((x) => questionOf.get(x.id) as string),
        ),
        score(`hybrid: BM25 + ${spec}`, paraphrases, k, (p, i) =>
          names(index.search(p.question, "question_sql", k, queryVectors[i])),
        ),
      );
    } finally {
      await engine.close();
    }
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ k, pairs: items.length, results }, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `${paraphrases.length} paraphrases of ${items.length} trained pairs; hit = the reworded pair is in the top ${k}\n\n`,
  );
  process.stdout.write(`| retrieval | top-${k} hit rate | top-1 hit rate |\n| --- | --- | --- |\n`);
  for (const r of results) {
    process.stdout.write(
      `| ${r.method} | ${((100 * r.hitsAtK) / r.total).toFixed(0)}% (${r.hitsAtK}/${r.total}) | ${((100 * r.hitsAt1) / r.total).toFixed(0)}% (${r.hitsAt1}/${r.total}) |\n`,
    );
  }
  for (const r of results.filter((x) => x.misses.length > 0)) {
    process.stdout.write(`\nmisses of ${r.method}:\n`);
    for (const m of r.misses)
      process.stdout.write(`  "${m.question}" → expected "${m.expected}", got "${m.got.join('", "')}"\n`);
  }
}

await new Command("retrieval-hit-rate")
  .description(
    "Top-K hit rate of retrieval for paraphrases of the demo's trained questions: BM25 vs vectors vs hybrid",
  )
  .option(
    "--embedding <models>",
    "comma-separated embedding GGUF files or installed model ids (none: BM25 only)",
  )
  .option("--data-dir <dir>", "askdb data dir where those ids are installed")
  .option(
    "--paraphrases <file>",
    "[{question, expected}]",
    join(REPO_ROOT, "demo", "eval", "paraphrases.json"),
  )
  .option("--k <n>", "how many retrieved pairs count", "5")
  .option("--threads <n>", "llama.cpp threads", "2")
  .option("--json", "print JSON")
  .action(async (options) => {
    try {
      await main(options);
    } catch (error) {
      process.stderr.write(`error: ${describeError(toAskDbError(error))}\n`);
      process.exitCode = 1;
    }
  })
  .parseAsync(process.argv);
