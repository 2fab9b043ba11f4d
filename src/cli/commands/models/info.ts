/** `askdb models info`: a model's GGUF metadata and memory estimate. */
import { InvalidArgumentError, type Command } from "commander";
import { describeMemoryEstimate, findCatalogEntry } from "../../../models/index.js";
import { formatBytes } from "../../../util/index.js";
import { printJson, printTable, runCommand } from "../../output.js";
import { printCatalog } from "./list.js";
import { withManager, type CommonOptions } from "./shared.js";

export function registerInfo(models: Command): void {
  models
    .command("info")
    .description("Show a model's GGUF metadata and the memory it needs")
    .argument("<model>", "an installed model id, a catalog id, or a .gguf file")
    .option("--context-size <tokens>", "context size for the memory estimate", parsePositiveInt)
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      `
Examples:
  askdb models info qwen2.5-coder-1.5b
  askdb models info ./model.gguf --context-size 8192`,
    )
    .action((target: string, options: CommonOptions & { contextSize?: number }, command: Command) =>
      runCommand(options.json === true, () =>
        withManager(command, async (manager) => {
          const catalogEntry = findCatalogEntry(target);
          if (catalogEntry && !manager.get(catalogEntry.id)) {
            if (options.json) return printJson({ catalog: catalogEntry, installed: false });
            printCatalog([catalogEntry], [], "");
            process.stdout.write(
              `${catalogEntry.description}\nNot installed: run \`askdb models pull ${catalogEntry.id}\`.\n`,
            );
            return;
          }
          const info = await manager.info(target);
          const memory = await manager.estimateMemory(info.path, { contextSize: options.contextSize });
          if (options.json) return printJson({ ...info, memory });
          const { gguf } = info;
          printTable(
            ["property", "value"],
            [
              ["id", info.model?.id ?? "(not installed)"],
              ["file", info.path],
              ["size", formatBytes(info.sizeBytes)],
              ["sha256", info.model?.sha256 ?? ""],
              ["architecture", gguf.architecture],
              ["name", gguf.name ?? ""],
              ["parameters", gguf.parameterCount.toLocaleString("en-US")],
              ["quantization", gguf.quantization ?? "?"],
              ["context length", gguf.contextLength?.toLocaleString("en-US") ?? "?"],
              ["chat template", gguf.hasChatTemplate ? "yes" : "no (a generic one is used)"],
              ["kind", gguf.isEmbeddingModel ? "embedding" : "llm"],
              ["GGUF", `v${gguf.version}, ${gguf.tensorCount} tensors`],
              ["memory", describeMemoryEstimate(memory)],
            ],
          );
        }),
      ),
    );
}

function parsePositiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0)
    throw new InvalidArgumentError("expected a positive whole number of tokens");
  return parsed;
}
