/** The small real GGUF files the engine tests load (see src/models/testing/fixtures.ts for where they live). */
import { missingTestModels, TEST_MODELS } from "../../models/testing/index.js";

export const STORIES_MODEL = TEST_MODELS.stories.path;
export const TINY_RANDOM_MODEL = TEST_MODELS.tiny.path;

/** Why the real-model tests are skipped, or undefined when both files are there. */
export function missingModelsReason(): string | undefined {
  const missing = missingTestModels();
  return missing && `skipped: ${missing}`;
}
