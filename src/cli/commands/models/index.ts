import type { Command } from "commander";
import { registerAdd } from "./add.js";
import { registerDownloads } from "./downloads.js";
import { registerInfo } from "./info.js";
import { registerList } from "./list.js";
import { registerOllama } from "./ollama.js";
import { registerPull } from "./pull.js";
import { registerRemove } from "./rm.js";
import { registerUse } from "./use.js";

/** `askdb models`: the parent command and its shared `--models-dir`; each subcommand lives in its own file here. */
export function registerModelsCommand(program: Command): void {
  const models = program
    .command("models")
    .description("Find, download, verify and choose the local models askdb runs")
    .option(
      "--models-dir <dir>",
      "where models are stored (default: setting models.dir, $ASKDB_MODELS_DIR, or <data dir>/models)",
    )
    .addHelpText(
      "after",
      `
Examples:
  askdb models list                          the catalog, with what is installed
  askdb models list --tag sql --size small   filter the catalog
  askdb models pull qwen2.5-coder-1.5b       download, verify and install (Ctrl-C pauses; run again to resume)
  askdb models pull hf:Qwen/Qwen2.5-Coder-3B-Instruct-GGUF/qwen2.5-coder-3b-instruct-q4_k_m.gguf
  askdb models pull https://example.com/model.gguf --sha256 <hex>
  askdb models add ./my-model.gguf           register a GGUF you already have (in place; --copy to copy it)
  askdb models use qwen2.5-coder-1.5b        make it the model askdb asks
  askdb models info qwen2.5-coder-1.5b       GGUF metadata and the memory it needs`,
    );

  registerList(models);
  registerPull(models);
  registerRemove(models);
  registerUse(models);
  registerInfo(models);
  registerAdd(models);
  registerDownloads(models);
  registerOllama(models);
}
