import { DEMO_EVAL_FILE } from "../../src/demo/index.js";
import { createEngine, type GenerationResult } from "../../src/engine/index.js";
import { createTextToSql, ensureDemoTrained, loadEvalQuestions, type Answer } from "../../src/sql/index.js";
import { openStore } from "../../src/store/index.js";
import { fixedLengthEngine, type ModelSpend } from "../support/fixed-length-engine.js";
import { ensureShapeModel, SHAPES, type ModelShape } from "../support/model-shapes.js";
import { freshDemoHome } from "../support/setup.js";
import { median, ms, percentile, round } from "../support/stats.js";
import type { BenchContext, FigureGroup, Measurement } from "../support/types.js";

export const GENERATED_TOKENS = 48;

interface ShapeRun {
  shape: ModelShape;
  /** Wall time of the first answer the model wrote. */
  firstMs: number;
  warmMs: number[];
  /** Per warm answer: wall time outside the model (retrieval, prompt, guard, execution, JSON). */
  outsideModelMs: number[];
  cold: GenerationResult;
  warm: GenerationResult[];
  threads: number | undefined;
}

const WARM_TARGETS: Record<string, { id: string; targetMs: number }> = {
  "qwen2.5-0.5b": { id: "warm-answer-0.5b", targetMs: 2000 },
  "qwen2.5-1.5b": { id: "warm-answer-1.5b", targetMs: 4000 },
};

/**
 * Questions the demo's training does not answer by itself (held-out evaluation questions), each
 * with its gold SQL, which stands in for what a real model would write.
 */
function evalQuestions(dbPath: string): Array<{ question: string; sql: string }> {
  return loadEvalQuestions(DEMO_EVAL_FILE, { db: dbPath }).map((q) => ({
    question: q.question,
    sql: q.gold,
  }));
}

/**
 * With `prewarm`, the database's stable prompt is evaluated before the first question, as `askdb
 * serve` does; without it only the model is loaded, so the first question evaluates the whole prompt.
 */
async function runShape(
  context: BenchContext,
  shape: ModelShape,
  warmRuns: number,
  prewarm = false,
): Promise<ShapeRun> {
  const modelFile = await ensureShapeModel(shape, context.cacheDir);
  const home = await freshDemoHome(context);
  const store = openStore(home.dir);
  const engine = createEngine({
    modelFile,
    // Threads left to askdb's default (the physical cores): the figure is what a user gets.
    config: { contextSize: 4096, keepAliveMs: -1 },
  });
  const spend: ModelSpend = { chatMs: 0, generations: [] };
  let currentSql = "";
  const textToSql = createTextToSql({
    store,
    engine: fixedLengthEngine(engine, GENERATED_TOKENS, () => currentSql, spend),
    model: shape.id,
  });
  try {
    const { path } = await ensureDemoTrained(textToSql, home.dir);
    context.log(`${shape.id}: ${prewarm ? "pre-warming" : "loading the model"}…`);
    await (prewarm ? textToSql.warm(path) : engine.load());
    const questions = evalQuestions(path);
    const answers: Array<{ answer: Answer; wallMs: number; chatMs: number; generation: GenerationResult }> =
      [];
    for (const { question, sql } of questions) {
      if (answers.length > warmRuns) break;
      currentSql = sql;
      const before = { chatMs: spend.chatMs, generations: spend.generations.length };
      const started = performance.now();
      // The figure is the time taken, however long: no deadline cuts it short on a busy machine.
      const answer = await textToSql.ask(path, question, { useRepair: false, deadlineMs: 600_000 });
      const wallMs = performance.now() - started;
      // Only answers the model wrote count: a trained near-duplicate answers without it.
      if (answer.source !== "model" || spend.generations.length !== before.generations + 1) continue;
      answers.push({
        answer,
        wallMs,
        chatMs: spend.chatMs - before.chatMs,
        generation: spend.generations[before.generations],
      });
      context.log(
        `${shape.id}: ${answers.length === 1 ? "first" : "later"} ${ms(wallMs)} (${describe(answers.at(-1)!.generation)})`,
      );
    }
    const [cold, ...warm] = answers;
    return {
      shape,
      threads: engine.runtime()?.threads,
      firstMs: cold.wallMs,
      cold: cold.generation,
      warm: warm.map((a) => a.generation),
      warmMs: warm.map((a) => a.wallMs),
      outsideModelMs: warm.map((a) => a.wallMs - a.chatMs),
    };
  } finally {
    await textToSql.close();
    await engine.close();
    store.close();
    home.dispose();
  }
}

function describe(generation: GenerationResult): string {
  const evaluated = generation.promptTokens - generation.reusedPromptTokens;
  return `prompt ${generation.promptTokens} tok, evaluated ${evaluated}, generated ${generation.generatedTokens}, first token ${ms(generation.timeToFirstTokenMs)}`;
}

function warmMeasurement(run: ShapeRun): Measurement {
  const { id, targetMs } = WARM_TARGETS[run.shape.id];
  const p50 = median(run.warmMs);
  const firstTokenMs = run.warm.map((g) => g.timeToFirstTokenMs);
  return {
    id,
    figure: `warm answer, ${run.shape.id} shape, p50`,
    measured: ms(p50),
    target: `≤ ${ms(targetMs)}`,
    pass: p50 <= targetMs,
    details: {
      runsMs: run.warmMs.map((value) => round(value)),
      p95Ms: round(percentile(run.warmMs, 95)),
      promptEvalP50Ms: round(median(firstTokenMs)),
      generationP50Ms: round(median(run.warm.map((g) => g.totalMs - g.timeToFirstTokenMs))),
      generatedTokens: run.warm.map((g) => g.generatedTokens),
      evaluatedPromptTokens: run.warm.map((g) => g.promptTokens - g.reusedPromptTokens),
      promptTokens: run.warm.map((g) => g.promptTokens),
      outsideModelP50Ms: round(median(run.outsideModelMs)),
      coldMs: round(run.cold.totalMs),
      threads: run.threads,
    },
  };
}

function prefixMeasurement(run: ShapeRun): Measurement {
  const coldEvaluated = run.cold.promptTokens - run.cold.reusedPromptTokens;
  const warmEvaluated = Math.max(...run.warm.map((g) => g.promptTokens - g.reusedPromptTokens));
  const share = warmEvaluated / coldEvaluated;
  return {
    id: "prefix-reuse",
    figure: "cold vs warm prompt evaluation (tokens evaluated)",
    measured: `${coldEvaluated} → ${warmEvaluated} (${(share * 100).toFixed(1)}%)`,
    target: "warm ≤ 20% of cold",
    pass: share <= 0.2,
    details: {
      model: run.shape.id,
      cold: {
        promptTokens: run.cold.promptTokens,
        evaluated: coldEvaluated,
        promptEvalMs: round(run.cold.timeToFirstTokenMs),
      },
      warm: run.warm.map((g) => ({
        promptTokens: g.promptTokens,
        evaluated: g.promptTokens - g.reusedPromptTokens,
        promptEvalMs: round(g.timeToFirstTokenMs),
      })),
    },
  };
}

const PREWARM_TARGET_RATIO = 1.3;

function prewarmMeasurement(run: ShapeRun): Measurement {
  const laterMs = median(run.warmMs);
  const ratio = run.firstMs / laterMs;
  return {
    id: "prewarm-ratio",
    figure: `first answer after pre-warming vs later answers, ${run.shape.id} shape`,
    measured: `${ratio.toFixed(2)}× (${ms(run.firstMs)} vs ${ms(laterMs)})`,
    target: `≤ ${PREWARM_TARGET_RATIO}×`,
    pass: ratio <= PREWARM_TARGET_RATIO,
    details: {
      firstMs: round(run.firstMs),
      laterMs: run.warmMs.map((value) => round(value)),
      firstEvaluatedPromptTokens: run.cold.promptTokens - run.cold.reusedPromptTokens,
      laterEvaluatedPromptTokens: run.warm.map((g) => g.promptTokens - g.reusedPromptTokens),
    },
  };
}

export const modelFigures: FigureGroup = {
  ids: ["warm-answer-0.5b", "warm-answer-1.5b", "prefix-reuse", "prewarm-ratio"],
  async run(context, selected) {
    const results: Measurement[] = [];
    const wantSmall = selected.has("warm-answer-0.5b") || selected.has("prefix-reuse");
    if (wantSmall) {
      const run = await runShape(context, SHAPES["qwen2.5-0.5b"], context.quick ? 3 : 7);
      if (selected.has("warm-answer-0.5b")) results.push(warmMeasurement(run));
      if (selected.has("prefix-reuse")) results.push(prefixMeasurement(run));
    }
    if (selected.has("prewarm-ratio")) {
      const shape = SHAPES["qwen2.5-0.5b"];
      results.push(prewarmMeasurement(await runShape(context, shape, context.quick ? 3 : 7, true)));
    }
    if (selected.has("warm-answer-1.5b")) {
      results.push(warmMeasurement(await runShape(context, SHAPES["qwen2.5-1.5b"], context.quick ? 2 : 5)));
    }
    return results;
  },
};
