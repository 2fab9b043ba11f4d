/**
 * The two small real GGUF files the tests run llama.cpp and downloads on: in $ASKDB_TEST_MODELS, by
 * default ../shared/models next to the repository. `npm run fetch:test-models` downloads them.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const TEST_MODELS_DIR = resolve(REPO_ROOT, process.env.ASKDB_TEST_MODELS || "../shared/models");

export interface TestModel {
  fileName: string;
  path: string;
  sizeBytes: number;
  sha256: string;
  /** A public copy of the file at a pinned commit. */
  origin: string;
}

export const TEST_MODELS = {
  tiny: {
    fileName: "llama-2-tiny-random.gguf",
    path: join(TEST_MODELS_DIR, "llama-2-tiny-random.gguf"),
    sizeBytes: 1_750_560,
    sha256: "81f226c62d28ed4a1a9b9fa080fcd9f0cc40e0f9d5680036583ff98fbcd035cb",
    origin:
      "https://raw.githubusercontent.com/ollama/ollama/87a88cc8f923eb0d8b65c45a4b31cd87b34ee5b1/api/data/llama-2-tiny-random.gguf",
  },
  stories: {
    fileName: "stories260K.gguf",
    path: join(TEST_MODELS_DIR, "stories260K.gguf"),
    sizeBytes: 1_185_376,
    sha256: "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d",
    origin:
      "https://raw.githubusercontent.com/cozy-creator/python-gen-worker/7ff17491d64347237969985b5253c284a5464a4e/tests/testdata/stories260K.gguf",
  },
} as const satisfies Record<string, TestModel>;

/** Why the test models cannot be used here, or undefined when both are present. */
export function missingTestModels(): string | undefined {
  const missing = Object.values(TEST_MODELS).filter((model) => !existsSync(model.path));
  return missing.length
    ? `test models missing from ${TEST_MODELS_DIR}: ${missing.map((m) => m.fileName).join(", ")} ` +
        "(run `npm run fetch:test-models`, or set ASKDB_TEST_MODELS to the folder that has them)"
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
