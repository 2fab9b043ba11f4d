/** `askdb models list`: the catalog and the installed models, as tables or JSON. */
import type { Command } from "commander";
import pc from "picocolors";
import {
  CATALOG_TAGS,
  SIZE_CLASSES,
  listCatalog,
  recommendForMachine,
  type CatalogEntry,
  type InstalledModel,
  type SizeClass,
} from "../../../models/index.js";
import { formatBytes } from "../../../util/index.js";
import { printJson, printTable, runCommand } from "../../output.js";
import { withManager, type CommonOptions } from "./shared.js";

export function registerList(models: Command): void {
  models
    .command("list")
    .description("List the catalog and the installed models")
    .option("--json", "print JSON")
    .option("--size <size>", `only this size: ${SIZE_CLASSES.join(", ")}`)
    .option("--tag <tag>", `only models with this tag: ${CATALOG_TAGS.join(", ")}`)
    .option("--installed", "only installed models")
    .addHelpText(
      "after",
      `
Examples:
  askdb models list
  askdb models list --tag sql --size small
  askdb models list --installed --json`,
    )
    .action(
      (options: CommonOptions & { size?: SizeClass; tag?: string; installed?: boolean }, command: Command) =>
        runCommand(options.json === true, () =>
          withManager(command, (manager) => {
            const installed = manager.list();
            const catalog = options.installed ? [] : listCatalog({ size: options.size, tag: options.tag });
            const recommendation = recommendForMachine();
            if (options.json) {
              return printJson({
                installed,
                catalog: catalog.map((entry) => ({
                  ...entry,
                  installed: installed.some((m) => m.id === entry.id),
                })),
                recommended: recommendation.entry.id,
              });
            }
            if (!options.installed) printCatalog(catalog, installed, recommendation.entry.id);
            printInstalled(installed, options.installed === true);
            if (!options.installed) {
              process.stdout.write(
                `\nFor this machine (${formatBytes(recommendation.freeRamBytes)} free RAM): ${pc.bold(recommendation.entry.id)} — ${recommendation.reason}\n`,
              );
            }
          }),
        ),
    );
}

export function printCatalog(
  catalog: CatalogEntry[],
  installed: InstalledModel[],
  recommendedId: string,
): void {
  if (catalog.length === 0) {
    process.stdout.write("No catalog model matches that filter.\n");
    return;
  }
  printTable(
    ["id", "size", "params", "quant", "context", "RAM", "tags", "license", ""],
    catalog.map((entry) => [
      entry.recommended ? pc.bold(entry.id) : entry.id,
      formatBytes(entry.sizeBytes),
      `${(entry.parameters / 1e9).toFixed(entry.parameters < 1e9 ? 2 : 1)}B`,
      entry.quantization,
      entry.contextLength.toLocaleString("en-US"),
      formatBytes(entry.minRamBytes),
      entry.tags.join(","),
      entry.license,
      [
        installed.some((m) => m.id === entry.id) ? pc.green("installed") : "",
        entry.id === recommendedId ? pc.cyan("★ for this machine") : "",
      ]
        .filter(Boolean)
        .join(" "),
    ]),
  );
}

function printInstalled(installed: InstalledModel[], alone: boolean): void {
  if (installed.length === 0) {
    process.stdout.write(
      `${alone ? "" : "\n"}No models installed yet. Run \`askdb models pull qwen2.5-coder-1.5b\` to get the recommended one.\n`,
    );
    return;
  }
  process.stdout.write(`${alone ? "" : "\nInstalled:\n"}`);
  printTable(
    ["id", "kind", "size", "quant", "source", "active", "used", "path"],
    installed.map((model) => [
      model.id,
      model.kind,
      formatBytes(model.sizeBytes),
      model.gguf?.quantization ?? "?",
      model.source,
      model.active ? pc.green("● active") : "",
      model.useCount > 0 ? `${model.useCount}×` : "",
      model.path,
    ]),
  );
}
