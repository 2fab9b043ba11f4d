/** The small real GGUF files of ../shared/models, resolved from the repository root. */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const SHARED_MODELS_DIR = join(REPO_ROOT, "..", "shared", "models");

export const TEST_MODELS = {
  tiny: {
    fileName: "llama-2-tiny-random.gguf",
    path: join(SHARED_MODELS_DIR, "llama-2-tiny-random.gguf"),
    sizeBytes: 1_750_560,
    sha256: "81f226c62d28ed4a1a9b9fa080fcd9f0cc40e0f9d5680036583ff98fbcd035cb",
  },
  stories: {
    fileName: "stories260K.gguf",
    path: join(SHARED_MODELS_DIR, "stories260K.gguf"),
    sizeBytes: 1_185_376,
    sha256: "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d",
  },
} as const;

/** Why the test models cannot be used here, or undefined when both are present. */
export function missingTestModels(): string | undefined {
  const missing = Object.values(TEST_MODELS).filter((model) => !existsSync(model.path));
  return missing.length
    ? `test models missing from ${SHARED_MODELS_DIR}: ${missing.map((m) => m.fileName).join(", ")}`
    : undefined;
}

/** The error a promise rejects with; fails when it resolves. */
export async function rejectionOf<E = Error>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error("expected the promise to reject, but it resolved");
}
