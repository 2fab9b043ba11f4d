/** The small real GGUF files of ../shared/models (see MODELS.md there), resolved from the repository root. */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const SHARED_MODELS_DIR = join(
  resolve(dirname(fileURLToPath(import.meta.url)), "../../.."),
  "..",
  "shared",
  "models",
);

export const STORIES_MODEL = join(SHARED_MODELS_DIR, "stories260K.gguf");
export const TINY_RANDOM_MODEL = join(SHARED_MODELS_DIR, "llama-2-tiny-random.gguf");

/** Why the real-model tests are skipped, or undefined when both files are there. */
export function missingModelsReason(): string | undefined {
  const missing = [STORIES_MODEL, TINY_RANDOM_MODEL].filter((path) => !existsSync(path));
  return missing.length > 0
    ? `skipped: test model(s) not found: ${missing.join(", ")} (see ../shared/models/MODELS.md)`
    : undefined;
}
