import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root: two levels up from both `src/demo/` (tsx, vitest) and `dist/demo/` (compiled). */
const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The demo's training set: `ddl/schema.sql`, `documentation/*.md`, `question_sql_pairs/*.json`. */
export const DEMO_TRAINING_DIR = join(PACKAGE_ROOT, "demo", "training");

/** The held-out question/SQL pairs of the demo, never used for training. */
export const DEMO_EVAL_FILE = join(PACKAGE_ROOT, "demo", "eval", "demo.json");

/** The DDL the generator executes, so the training DDL and the database cannot drift apart. */
export const DEMO_SCHEMA_FILE = join(DEMO_TRAINING_DIR, "ddl", "schema.sql");
