import { InvalidArgumentError, type Command } from "commander";
import { join } from "node:path";
import cliProgress from "cli-progress";
import pc from "picocolors";
import { AskDbError } from "../../errors/index.js";
import {
  CATALOG_TAGS,
  SIZE_CLASSES,
  createModelManager,
  createOllamaClient,
  describeMemoryEstimate,
  findCatalogEntry,
  listCatalog,
  recommendForMachine,
  type CatalogEntry,
  type DownloadHandle,
  type DownloadProgress,
  type InstalledModel,
  type ModelKind,
  type ModelManager,
  type SizeClass,
} from "../../models/index.js";
import { formatBytes, formatDuration } from "../../util/index.js";
import { createSettings, type SettingsService } from "../../settings/index.js";
import { openStore, type Store } from "../../store/index.js";
import { dataDirOf, printJson, printTable, runCommand } from "../output.js";

interface CommonOptions {
  json?: boolean;
  modelsDir?: string;
}

/** Opens the state store and its settings for one command, and closes the store afterwards. */
async function withStore<T>(
  command: Command,
  body: (store: Store, settings: SettingsService) => Promise<T> | T,
): Promise<T> {
  const store = openStore(dataDirOf(command));
  try {
    return await body(store, createSettings(store));
  } finally {
    store.close();
  }
}

/** A model manager for one command (models dir: --models-dir, else the models.dir setting). */
function withManager<T>(command: Command, body: (manager: ModelManager) => Promise<T> | T): Promise<T> {
  const { modelsDir } = command.optsWithGlobals<CommonOptions>();
  return withStore(command, async (store, settings) => {
    const manager = createModelManager({
      store,
      modelsDir: modelsDir ?? settings.get("models.dir") ?? join(store.dataDir, "models"),
      maxParallelDownloads: settings.get("downloads.parallel"),
    });
    try {
      return await body(manager);
    } finally {
      await manager.close();
    }
  });
}

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

function registerList(models: Command): void {
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

function printCatalog(catalog: CatalogEntry[], installed: InstalledModel[], recommendedId: string): void {
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

function registerPull(models: Command): void {
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

/** Shows a progress bar until the download settles; Ctrl-C pauses it (the .part stays) and exits. */
async function followDownload(
  manager: ModelManager,
  handle: DownloadHandle,
  spec: string,
  quiet: boolean,
): Promise<InstalledModel> {
  const bar = quiet || !process.stderr.isTTY ? undefined : newProgressBar();
  let lastStatus = "";
  const unsubscribe = manager.downloads.subscribe((progress) => {
    if (progress.id !== handle.id) return;
    if (bar) updateBar(bar, progress);
    else if (!quiet && progress.retry) process.stderr.write(`${describeRetry(progress.retry)}\n`);
    else if (!quiet && progress.status !== lastStatus)
      process.stderr.write(`${progress.status} ${progress.fileName}\n`);
    lastStatus = progress.status;
  });
  if (bar) bar.start(1, 0, barPayload(handle.progress));
  let interrupted!: () => void;
  const onInterrupt = new Promise<"interrupted">((resolve) => (interrupted = () => resolve("interrupted")));
  process.once("SIGINT", interrupted);
  try {
    const outcome = await Promise.race([handle.done, onInterrupt]);
    if (outcome !== "interrupted") return outcome;
    await manager.downloads.pause(handle.id);
    const progress = manager.downloads.get(handle.id);
    throw new AskDbError(
      "CANCELLED",
      `download paused at ${formatBytes(progress?.downloadedBytes ?? 0)} of ${formatBytes(progress?.totalBytes ?? NaN)}; the partial file is kept`,
      {
        hint: `run \`askdb models pull ${spec}\` to resume`,
      },
    );
  } finally {
    process.off("SIGINT", interrupted);
    unsubscribe();
    bar?.stop();
  }
}

function newProgressBar(): cliProgress.SingleBar {
  return new cliProgress.SingleBar(
    {
      format: "{state} {bar} {pct} | {doneBytes} of {totalBytes} | {speed} | ETA {etaText}",
      barsize: 30,
      hideCursor: true,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
}

function describeRetry(retry: NonNullable<DownloadProgress["retry"]>): string {
  return `${retry.reason}; retrying in ${formatDuration(retry.delaySeconds)} (attempt ${retry.attempt} of ${retry.of})`;
}

function barPayload(progress: DownloadProgress | undefined): Record<string, string> {
  return {
    state: (progress?.retry
      ? `retry ${progress.retry.attempt}/${progress.retry.of}`
      : (progress?.status ?? "queued")
    ).padEnd(11),
    pct:
      progress?.percent === null || progress?.percent === undefined
        ? "  ?%"
        : `${progress.percent.toFixed(1).padStart(5)}%`,
    doneBytes: formatBytes(progress?.downloadedBytes ?? 0),
    totalBytes: progress?.totalBytes ? formatBytes(progress.totalBytes) : "?",
    speed: `${formatBytes(progress?.bytesPerSecond ?? 0)}/s`,
    etaText:
      progress?.etaSeconds === null || progress?.etaSeconds === undefined
        ? "?"
        : formatDuration(progress.etaSeconds),
  };
}

function updateBar(bar: cliProgress.SingleBar, progress: DownloadProgress): void {
  const total = progress.totalBytes ?? Math.max(progress.downloadedBytes, 1);
  bar.setTotal(total);
  bar.update(progress.downloadedBytes, barPayload(progress));
}

function registerRemove(models: Command): void {
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

function registerUse(models: Command): void {
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

function registerInfo(models: Command): void {
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

function registerAdd(models: Command): void {
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

function registerDownloads(models: Command): void {
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

function registerOllama(models: Command): void {
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
        withStore(command, async (_store, settings) => {
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

function parsePositiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0)
    throw new InvalidArgumentError("expected a positive whole number of tokens");
  return parsed;
}
