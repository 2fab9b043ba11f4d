export {
  buildDemoDatabase,
  ensureDemoDatabase,
  DEMO_GENERATOR_VERSION,
  DEFAULT_DEMO_SEED,
  type BuildDemoOptions,
} from "./build.js";
export { DEMO_START_DATE, DEMO_END_DATE } from "./generate.js";
export { DEMO_TRAINING_DIR, DEMO_EVAL_FILE, DEMO_SCHEMA_FILE } from "./paths.js";
