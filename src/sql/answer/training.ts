import { toAskDbError } from "../../errors/index.js";
import type { NewKnowledgeItem, QuestionSqlPair, TrainingMaterial } from "../knowledge/index.js";
import type { KnowledgeBase } from "./knowledge.js";

export interface TrainReport {
  added: { ddl: number; documentation: number; pairs: number };
  /** Items already known (training twice adds nothing). */
  skipped: number;
  /** Pairs whose SQL did not pass the guard or did not run, with the reason. */
  refused: Array<QuestionSqlPair & { reason: string }>;
}

const identity = (item: Pick<NewKnowledgeItem, "kind" | "question" | "content">) =>
  `${item.kind}\0${item.question ?? ""}\0${item.content}`;

/** Adds a training folder's DDL, documentation and pairs at once; what is known already is skipped. */
export async function trainDatabase(
  knowledge: KnowledgeBase,
  dbPath: string,
  material: TrainingMaterial,
): Promise<TrainReport> {
  const db = await knowledge.database(dbPath);
  const known = new Set((await knowledge.list(dbPath)).map(identity));
  const report: TrainReport = { added: { ddl: 0, documentation: 0, pairs: 0 }, skipped: 0, refused: [] };
  const items: NewKnowledgeItem[] = [];
  for (const item of [...material.ddl, ...material.documentation]) {
    if (known.has(identity(item))) report.skipped += 1;
    else items.push(item);
  }
  for (const pair of material.pairs) {
    const item: NewKnowledgeItem = {
      kind: "question_sql",
      question: pair.question,
      content: pair.sql,
      source: "training-dir",
    };
    if (known.has(identity(item))) {
      report.skipped += 1;
      continue;
    }
    try {
      items.push({ ...item, content: await knowledge.checkPairSql(db, pair.sql) });
    } catch (error) {
      report.refused.push({ ...pair, reason: toAskDbError(error).message });
    }
  }
  for (const item of knowledge.addItems(db, items)) {
    if (item.kind === "ddl") report.added.ddl += 1;
    else if (item.kind === "documentation") report.added.documentation += 1;
    else report.added.pairs += 1;
  }
  return report;
}
