import { join } from "node:path";
import {
  introspectSchema,
  openUserDatabase,
  type DatabaseSchema,
  type KnowledgeItem,
} from "../../src/sql/index.js";
import { KnowledgeIndex, retrieve } from "../../src/sql/retrieve/index.js";
import { demoHome } from "../support/setup.js";
import { median, ms, percentile, round } from "../support/stats.js";
import type { FigureGroup } from "../support/types.js";

const ITEMS = 100_000;
const WORDS = (
  "total revenue count average monthly weekly last year quarter top best worst unpaid overdue stock low reorder supplier " +
  "customer city region product category price margin discount invoice payment cash card transfer order received late " +
  "pending cancelled open closed returned refund warehouse shelf brand sales units quantity trend growth share largest " +
  "smallest recent oldest new active inactive business retail wholesale spend earn owe balance due date month day"
).split(" ");

/** A small deterministic generator (mulberry32): the same corpus every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function corpus(schema: DatabaseSchema): KnowledgeItem[] {
  const next = random(42);
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)];
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(" ");
  const createdAt = new Date(0).toISOString();
  return Array.from({ length: ITEMS }, (_, i): KnowledgeItem => {
    const table = pick(schema.tables);
    const column = pick(table.columns).name;
    if (i % 4 === 3) {
      return {
        id: `doc${i}`,
        dbId: "bench",
        kind: "documentation",
        title: `${table.name} ${words(2)}`,
        content: `${words(30)} ${table.name}.${column} ${words(20)}`,
        source: "api",
        createdAt,
      };
    }
    return {
      id: `pair${i}`,
      dbId: "bench",
      kind: "question_sql",
      question: `${words(3)} ${column.replace(/_/g, " ")} ${words(4)} ${table.name}`,
      content: `SELECT ${column}, COUNT(*) FROM ${table.name} WHERE ${column} IS NOT NULL GROUP BY ${column} ORDER BY 2 DESC LIMIT ${1 + (i % 20)}`,
      source: "api",
      createdAt,
    };
  });
}

/** BM25 retrieval of pairs and documentation plus schema linking, over 100,000 items of one database. */
export const retrievalFigures: FigureGroup = {
  ids: ["retrieval"],
  async run(context) {
    const user = openUserDatabase(join(await demoHome(context), "demo", "inventory.sqlite"));
    const schema = introspectSchema(user.db);
    user.close();
    const index = new KnowledgeIndex(1);
    const buildStarted = performance.now();
    index.add(corpus(schema));
    const buildMs = performance.now() - buildStarted;
    const next = random(7);
    const questions = Array.from({ length: context.quick ? 100 : 400 }, () =>
      Array.from({ length: 6 + Math.floor(next() * 6) }, () => WORDS[Math.floor(next() * WORDS.length)]).join(
        " ",
      ),
    );
    const durations: number[] = [];
    for (const question of questions) {
      const started = performance.now();
      retrieve(index, schema, question);
      durations.push(performance.now() - started);
    }
    const p50 = median(durations.slice(10));
    return [
      {
        id: "retrieval",
        figure: "retrieval over 100,000 knowledge items, p50",
        measured: ms(p50),
        target: "≤ 30 ms",
        pass: p50 <= 30,
        details: {
          p95Ms: round(percentile(durations, 95)),
          indexBuildMs: Math.round(buildMs),
          questions: questions.length,
        },
      },
    ];
  },
};
