/** `askdb models add`: register a GGUF file the user already has. */
import type { Command } from "commander";
import { AskDbError } from "../../../errors/index.js";
import type { ModelKind } from "../../../models/index.js";
import { formatBytes } from "../../../util/index.js";
import { printJson, runCommand } from "../../output.js";
import { withManager, type CommonOptions } from "./shared.js";

export function registerAdd(models: Command): void {
  models
    .command("add")
    .description("Register a GGUF file you already have (checked first); it stays where it is unless --copy")
    .argument("<file>", "path to a .gguf file")
    .option("--copy", "copy the file into the models folder")
    .option("--id <id>", "the id to register it under (default: from the file name)")
    .option("--kind <kind>", "llm or embedding (default: read from the file)")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      `
Examples:
  askdb models add ./model.gguf
  askdb models add ./model.gguf --copy --id my-sql-model`,
    )
    .action(
      (
        file: string,
        options: CommonOptions & { copy?: boolean; id?: string; kind?: string },
        command: Command,
      ) =>
        runCommand(options.json === true, () =>
          withManager(command, async (manager) => {
            if (options.kind && options.kind !== "llm" && options.kind !== "embedding") {
              throw new AskDbError("INVALID_INPUT", `unknown kind "${options.kind}"`, {
                hint: "use --kind llm or --kind embedding",
              });
            }
            const model = await manager.add(file, {
              copy: options.copy,
              id: options.id,
              kind: options.kind as ModelKind | undefined,
            });
            if (options.json) return printJson({ model });
            process.stdout.write(
              `Registered ${model.id} (${formatBytes(model.sizeBytes)}, ${model.gguf?.architecture ?? "?"}) at ${model.path}.\n`,
            );
            if (!model.active)
              process.stdout.write(`  Make it the active model with \`askdb models use ${model.id}\`.\n`);
          }),
        ),
    );
}
