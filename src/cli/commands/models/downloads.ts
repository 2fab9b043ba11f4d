/** `askdb models downloads`: the download list. */
import type { Command } from "commander";
import { formatBytes } from "../../../util/index.js";
import { printJson, printTable, runCommand } from "../../output.js";
import { withManager, type CommonOptions } from "./shared.js";

export function registerDownloads(models: Command): void {
  models
    .command("downloads")
    .description("List downloads (running, paused, failed, finished); `models pull` resumes a paused one")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      `
Examples:
  askdb models downloads
  askdb models downloads --json`,
    )
    .action((options: CommonOptions, command: Command) =>
      runCommand(options.json === true, () =>
        withManager(command, (manager) => {
          const downloads = manager.downloads.list();
          if (options.json) return printJson(downloads);
          if (downloads.length === 0) return void process.stdout.write("No downloads.\n");
          printTable(
            ["id", "model", "status", "progress", "error"],
            downloads.map((d) => [
              d.id,
              d.modelId,
              d.status,
              `${formatBytes(d.downloadedBytes)} of ${d.totalBytes ? formatBytes(d.totalBytes) : "?"}${d.percent !== null ? ` (${d.percent}%)` : ""}`,
              d.error ? `${d.error.message}` : "",
            ]),
          );
        }),
      ),
    );
}
