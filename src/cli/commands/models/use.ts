/** `askdb models use`: make an installed model the active one for its kind. */
import type { Command } from "commander";
import { AskDbError } from "../../../errors/index.js";
import { findCatalogEntry } from "../../../models/index.js";
import { printJson, runCommand } from "../../output.js";
import { withManager, type CommonOptions } from "./shared.js";

export function registerUse(models: Command): void {
  models
    .command("use")
    .description("Make an installed model the active one for its kind (llm or embedding)")
    .argument("<id>", "an installed model id")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      `
Examples:
  askdb models use qwen2.5-coder-3b
  askdb models use nomic-embed-text-v1.5          the embedding model for retrieval`,
    )
    .action((id: string, options: CommonOptions, command: Command) =>
      runCommand(options.json === true, () =>
        withManager(command, (manager) => {
          if (!manager.get(id) && findCatalogEntry(id)) {
            throw new AskDbError("NOT_FOUND", `${id} is in the catalog but not installed`, {
              hint: `run \`askdb models pull ${id}\` first`,
            });
          }
          const model = manager.activate(id);
          if (options.json) return printJson({ active: model });
          process.stdout.write(`${model.id} is now the active ${model.kind} model.\n`);
        }),
      ),
    );
}
