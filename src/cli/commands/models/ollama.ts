/** `askdb models ollama`: an Ollama host's models and health. */
import type { Command } from "commander";
import { AskDbError } from "../../../errors/index.js";
import { createOllamaClient } from "../../../models/index.js";
import { formatBytes } from "../../../util/index.js";
import { withAskDb } from "../../askdb.js";
import { printJson, printTable, runCommand } from "../../output.js";
import type { CommonOptions } from "./shared.js";

export function registerOllama(models: Command): void {
  models
    .command("ollama")
    .description("List the models of an Ollama host and show its health")
    .option("--host <url>", "the Ollama host (default: setting ollama.url)")
    .option("--pull <name>", "pull this model into Ollama first, e.g. qwen2.5-coder:1.5b")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      `
Examples:
  askdb models ollama
  askdb models ollama --host http://192.168.1.20:11434
  askdb models ollama --pull qwen2.5-coder:1.5b

To answer with an Ollama model: askdb config set ollama.model qwen2.5-coder:1.5b
and askdb config set backend.order ollama,llamacpp`,
    )
    .action((options: CommonOptions & { host?: string; pull?: string }, command: Command) =>
      runCommand(options.json === true, () =>
        withAskDb(command, { openDatabase: false }, async ({ settings }) => {
          const client = createOllamaClient(options.host ?? settings.get("ollama.url"));
          if (options.pull) {
            await client.pull(options.pull, (p) => {
              if (!options.json)
                process.stderr.write(
                  `\r${p.status}${p.percent !== undefined ? ` ${p.percent}%` : ""}`.padEnd(60),
                );
            });
            if (!options.json) process.stderr.write("\n");
          }
          const health = await client.health();
          const list = health.ok ? await client.listModels() : [];
          if (options.json) return printJson({ host: client.baseUrl, health, models: list });
          if (!health.ok) {
            throw new AskDbError("BACKEND_UNAVAILABLE", `Ollama is not answering at ${client.baseUrl}`, {
              hint: "start it with `ollama serve`, or pass --host",
            });
          }
          process.stdout.write(
            `Ollama ${health.version ?? ""} at ${client.baseUrl} answered in ${Math.round(health.responseMs)} ms.\n`,
          );
          printTable(
            ["name", "size", "params", "quant", "modified"],
            list.map((m) => [
              m.name,
              formatBytes(m.sizeBytes),
              m.parameterSize ?? "",
              m.quantization ?? "",
              m.modifiedAt,
            ]),
          );
        }),
      ),
    );
}
