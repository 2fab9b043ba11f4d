import { DEMO_TRAINING_DIR, ensureDemoDatabase } from "../../demo/index.js";
import { readTrainingDirectory } from "../knowledge/index.js";
import type { TextToSql } from "./text-to-sql.js";
import type { TrainReport } from "./training.js";

/**
 * The demo inventory database, built on first use and trained from the demo's `training/` folder
 * (documentation and question/SQL pairs) the first time, so its trained questions are answered
 * even with no model installed. Returns the database path and, when it trained now, the report.
 */
export async function ensureDemoTrained(
  textToSql: TextToSql,
  dataDir: string,
): Promise<{ path: string; trained?: TrainReport }> {
  const path = ensureDemoDatabase(dataDir);
  const items = await textToSql.knowledge.list(path);
  if (items.some((item) => item.source === "training-dir")) return { path };
  const trained = await textToSql.train(path, readTrainingDirectory(DEMO_TRAINING_DIR));
  return { path, trained };
}
