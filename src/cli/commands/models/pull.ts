/** `askdb models pull`: download, verify and install one model. */
import type { Command } from "commander";
import pc from "picocolors";
import { formatBytes } from "../../../util/index.js";
import { printJson, runCommand } from "../../output.js";
import { followDownload } from "./follow-download.js";
import { withManager, type CommonOptions } from "./shared.js";

export function registerPull(models: Command): void {
  models
    .command("pull")
    .description(
      "Download a model, verify it (size, sha256, GGUF header) and install it; an interrupted pull resumes",
    )
    .argument("<model>", "a catalog id, hf:<owner>/<repo>/<file.gguf>, or an https:// URL")
    .option("--sha256 <hex>", "the expected sha256 (for a URL without a published one)")
    .option("--json", "print JSON (no progress bar)")
    .addHelpText(
      "after",
      `
Examples:
  askdb models pull qwen2.5-coder-1.5b
  askdb models pull hf:Qwen/Qwen2.5-Coder-3B-Instruct-GGUF/qwen2.5-coder-3b-instruct-q4_k_m.gguf
  askdb models pull https://example.com/model.gguf --sha256 <64 hex characters>
  askdb models --models-dir /data/models pull qwen2.5-coder-3b

An interrupted download (Ctrl-C, lost connection) resumes when the same pull is run again.`,
    )
    .action((spec: string, options: CommonOptions & { sha256?: string }, command: Command) =>
      runCommand(options.json === true, () =>
        withManager(command, async (manager) => {
          const handle = await manager.pull(spec, { sha256: options.sha256 });
          if (handle.alreadyInstalled) {
            const model = await handle.done;
            if (options.json) return printJson({ model, alreadyInstalled: true });
            process.stdout.write(`${model.id} is already installed (${model.path}).\n`);
            return;
          }
          const model = await followDownload(manager, handle, spec, options.json === true);
          if (options.json) return printJson({ model, alreadyInstalled: false });
          process.stdout.write(
            `${pc.green("✓")} ${model.id} installed and verified: ${formatBytes(model.sizeBytes)}, sha256 ${model.sha256}\n`,
          );
          process.stdout.write(
            model.active
              ? `  It is the active ${model.kind} model.\n`
              : `  Make it the active model with \`askdb models use ${model.id}\`.\n`,
          );
        }),
      ),
    );
}
