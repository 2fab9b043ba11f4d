import Database from "better-sqlite3";
import { join } from "node:path";
import { DEMO_EVAL_FILE } from "../../src/demo/index.js";
import { createEngine } from "../../src/engine/index.js";
import {
  checkSql,
  createQueryExecutor,
  createTextToSql,
  ensureDemoTrained,
  loadEvalQuestions,
} from "../../src/sql/index.js";
import { openStore } from "../../src/store/index.js";
import { TEST_MODELS } from "../../src/models/testing/index.js";
import { fixedLengthEngine, type ModelSpend } from "../support/fixed-length-engine.js";
import { freshDemoHome } from "../support/setup.js";
import { median, ms, percentile, round } from "../support/stats.js";
import type { BenchContext, FigureGroup, Measurement } from "../support/types.js";
import { GENERATED_TOKENS } from "./model.js";

const GUARD_QUERY = "SELECT id, name FROM products ORDER BY id LIMIT 50";

/**
 * The whole `ask` pipeline on the demo with a tiny real model, minus the time spent inside the
 * model: retrieval, prompt building (with the model's tokenizer), guard, execution and the answer.
 */
async function everythingButTheModel(context: BenchContext): Promise<Measurement> {
  const home = await freshDemoHome(context);
  const store = openStore(home.dir);
  const engine = createEngine({
    modelFile: TEST_MODELS.tiny.path,
    config: { threads: 1, contextSize: 4096, keepAliveMs: -1 },
  });
  const spend: ModelSpend = { chatMs: 0, generations: [] };
  let currentSql = "";
  const textToSql = createTextToSql({
    store,
    engine: fixedLengthEngine(engine, GENERATED_TOKENS, () => currentSql, spend),
    model: "tiny",
  });
  try {
    const { path } = await ensureDemoTrained(textToSql, home.dir);
    const questions = loadEvalQuestions(DEMO_EVAL_FILE, { db: path });
    const outsideMs: number[] = [];
    const stages = { retrievalMs: [] as number[], executionMs: [] as number[] };
    const runs = context.quick ? 12 : questions.length;
    for (const [index, { question, gold }] of questions.slice(0, runs).entries()) {
      currentSql = gold;
      const chatBefore = spend.chatMs;
      const started = performance.now();
      const answer = await textToSql.ask(path, question, { useRepair: false });
      JSON.stringify(answer);
      const wallMs = performance.now() - started;
      // The first answer builds the stable prompt once per database; the figure is the steady state.
      if (index === 0) continue;
      outsideMs.push(wallMs - (spend.chatMs - chatBefore));
      stages.retrievalMs.push(answer.timings.retrievalMs);
      stages.executionMs.push(answer.timings.executionMs);
    }
    const p50 = median(outsideMs);
    return {
      id: "pipeline",
      figure: "everything but the model (retrieval, prompt, guard, execution, JSON), p50",
      measured: ms(p50),
      target: "≤ 30 ms",
      pass: p50 <= 30,
      details: {
        runs: outsideMs.length,
        p95Ms: round(percentile(outsideMs, 95)),
        retrievalP50Ms: round(median(stages.retrievalMs)),
        executionP50Ms: round(median(stages.executionMs)),
      },
    };
  } finally {
    await textToSql.close();
    await engine.close();
    store.close();
    home.dispose();
  }
}

/** The same query through the guard (check + worker executor with limits) and straight through better-sqlite3. */
async function guardOverhead(context: BenchContext): Promise<Measurement> {
  const home = await freshDemoHome(context);
  const dbPath = join(home.dir, "demo", "inventory.sqlite");
  const direct = new Database(dbPath, { readonly: true });
  const executor = createQueryExecutor(dbPath);
  try {
    const guardedMs: number[] = [];
    const directMs: number[] = [];
    const runs = context.quick ? 200 : 1000;
    // Interleaved, so that load from elsewhere on the machine hits both alike.
    for (let run = 0; run < runs + 20; run += 1) {
      let started = performance.now();
      checkSql(direct, GUARD_QUERY);
      await executor.execute(GUARD_QUERY, {});
      const guarded = performance.now() - started;
      started = performance.now();
      direct.prepare(GUARD_QUERY).raw(true).all();
      const plain = performance.now() - started;
      if (run < 20) continue; // warm-up: worker start, statement caches
      guardedMs.push(guarded);
      directMs.push(plain);
    }
    const added = median(guardedMs) - median(directMs);
    return {
      id: "guard",
      figure: "guarded execution vs direct better-sqlite3, added p50",
      measured: ms(added),
      target: "≤ 2 ms",
      pass: added <= 2,
      details: {
        query: GUARD_QUERY,
        guardedP50Ms: round(median(guardedMs)),
        guardedP95Ms: round(percentile(guardedMs, 95)),
        directP50Ms: round(median(directMs)),
        directP95Ms: round(percentile(directMs, 95)),
      },
    };
  } finally {
    await executor.close();
    direct.close();
    home.dispose();
  }
}

export const pipelineFigures: FigureGroup = {
  ids: ["pipeline", "guard"],
  async run(context, selected) {
    const results: Measurement[] = [];
    if (selected.has("pipeline")) results.push(await everythingButTheModel(context));
    if (selected.has("guard")) results.push(await guardOverhead(context));
    return results;
  },
};
