/** What the `askdb models` subcommands share: their common options and the model manager. */
import type { Command } from "commander";
import type { ModelManager } from "../../../models/index.js";
import { withAskDb } from "../../askdb.js";

/** Options every `askdb models` subcommand reads (`--models-dir` comes from the parent command). */
export interface CommonOptions {
  json?: boolean;
  modelsDir?: string;
}

/** The model manager for one command (models folder: --models-dir, else the models.dir setting). */
export function withManager<T>(
  command: Command,
  body: (manager: ModelManager) => Promise<T> | T,
): Promise<T> {
  const { modelsDir } = command.optsWithGlobals<CommonOptions>();
  return withAskDb(command, { openDatabase: false, ...(modelsDir ? { modelsDir } : {}) }, (askdb) =>
    body(askdb.models),
  );
}
