/** `askdb models rm` (alias `remove`): remove an installed model. */
import type { Command } from "commander";
import { printJson, runCommand } from "../../output.js";
import { withManager, type CommonOptions } from "./shared.js";

export function registerRemove(models: Command): void {
  models
    .command("rm")
    .alias("remove")
    .description("Remove an installed model (deletes the file unless it was registered in place)")
    .argument("<id>", "an installed model id")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      `
Examples:
  askdb models rm qwen2.5-coder-3b`,
    )
    .action((id: string, options: CommonOptions, command: Command) =>
      runCommand(options.json === true, () =>
        withManager(command, async (manager) => {
          const removed = await manager.remove(id);
          if (options.json) return printJson({ removed });
          process.stdout.write(
            `Removed ${removed.id}${removed.ownsFile ? ` and deleted ${removed.path}` : ` (your file ${removed.path} was left in place)`}.\n`,
          );
        }),
      ),
    );
}
