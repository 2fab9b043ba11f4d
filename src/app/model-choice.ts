import { existsSync } from "node:fs";
import type { EngineConfigInput } from "../engine/index.js";
import { AskDbError } from "../errors/index.js";
import type { InstalledModel, ModelManager } from "../models/index.js";

/** A model named for this askdb instead of the active one (`--model`, the `model` option). */
export type ModelChoice = { file: string; label: string } | { installed: InstalledModel; label: string };

/** An installed model id or a GGUF file; NOT_FOUND when it is neither. */
export function chooseModel(models: ModelManager, spec: string): ModelChoice {
  if (existsSync(spec)) return { file: spec, label: spec };
  const installed = models.get(spec);
  if (!installed) {
    throw new AskDbError("NOT_FOUND", `no installed model or file named "${spec}"`, {
      hint: "run `askdb models list` to see installed models, or give the path of a GGUF file",
    });
  }
  return { installed, label: installed.id };
}

/** A model chosen by name runs locally: llama.cpp goes first, the other backends stay as fallbacks. */
export function withChosenModelFirst(
  config: EngineConfigInput,
  choice: ModelChoice | undefined,
): EngineConfigInput {
  if (!choice || !config.backends) return config;
  return { ...config, backends: ["llamacpp", ...config.backends.filter((kind) => kind !== "llamacpp")] };
}
