import type { Command } from "commander";
import { join } from "node:path";
import pc from "picocolors";
import type { BrowserExtensions, ConnectionStatus } from "../../extension/index.js";
import { createOllamaClient } from "../../models/index.js";
import {
  createResourceMonitor,
  describeRetention,
  type HealthProbe,
  type ResourceSnapshot,
  type SettingsService,
} from "../../settings/index.js";
import type { Store } from "../../store/index.js";
import { formatBytes } from "../../util/index.js";
import { readPackageVersion } from "../version.js";
import { formatSettingValue, printJson, printTable } from "../output.js";
import { settingsAction } from "../askdb.js";

interface StatusOptions {
  json?: boolean;
  gpu: boolean;
}

interface InstalledModels {
  installed: number;
  activeLlm: string | null;
  activeEmbedding: string | null;
}

export type BrowserExtensionStatus = Omit<ConnectionStatus, "connections"> & { contextRetention: string };

export interface StatusReport {
  version: string;
  dataDir: string;
  modelsDir: string;
  models: InstalledModels;
  backends: string[];
  privacy: { historyRetention: string; allowRemote: boolean; telemetry: "none" };
  enabledFlags: string[];
  browserExtension: BrowserExtensionStatus;
  settings: Record<string, unknown>;
  resources: ResourceSnapshot;
}

export function registerStatusCommand(program: Command): void {
  program
    .command("status")
    .description("Show models, backends, privacy, feature flags and this machine's resources")
    .option("--json", "print JSON")
    .option("--no-gpu", "skip reading the GPU state (saves loading llama.cpp)")
    .addHelpText(
      "after",
      `
Examples:
  askdb status                    memory, CPU, free disk where models live, GPU/VRAM, model speed, Ollama health
  askdb status --json             the same as JSON (the API's /resources answers alike)
  askdb status --no-gpu           faster: do not load llama.cpp to read the GPU`,
    )
    .action(
      settingsAction<StatusOptions>(async ({ store, settings, flags, extensions }, options) => {
        const modelsDir = settings.get("models.dir") ?? join(store.dataDir, "models");
        const monitor = createResourceMonitor({
          store,
          dataDir: store.dataDir,
          modelsDir,
          ollamaUrl: settings.get("ollama.url"),
          ollamaHealth: ollamaProbe(settings),
          llama: options.gpu ? undefined : false,
        });
        try {
          const report: StatusReport = {
            version: readPackageVersion(),
            dataDir: store.dataDir,
            modelsDir,
            models: installedModels(store),
            backends: settings.get("backend.order"),
            privacy: {
              historyRetention: settings.get("privacy.historyRetention"),
              allowRemote: settings.get("privacy.allowRemote"),
              telemetry: "none",
            },
            enabledFlags: flags
              .list()
              .filter((flag) => flag.enabled)
              .map((flag) => flag.id),
            browserExtension: browserExtensionStatus(extensions, settings),
            settings: settings.getAll(),
            resources: await monitor.snapshot(),
          };
          if (options.json) printJson(report);
          else printReport(report, settings);
        } finally {
          await monitor.dispose();
        }
      }),
    );
}

function browserExtensionStatus(
  extensions: BrowserExtensions,
  settings: SettingsService,
): BrowserExtensionStatus {
  const { connections: _connections, ...status } = extensions.status();
  return { ...status, contextRetention: settings.get("extension.contextRetention") };
}

/** Only when Ollama is in use: a refused connection to a host nobody runs is no news. */
function ollamaProbe(settings: SettingsService): HealthProbe | undefined {
  const inUse = settings.get("backend.order").includes("ollama") || settings.get("ollama.model") !== null;
  return inUse ? () => createOllamaClient(settings.get("ollama.url")).health() : undefined;
}

/**
 * Read straight from the state store: a model manager would take over unfinished downloads
 * (marking a running server's transfers paused), which a status look must never do.
 */
function installedModels(store: Store): InstalledModels {
  const rows = store.db
    .prepare<[], { name: string; kind: string; active: number }>("SELECT name, kind, active FROM models")
    .all();
  const active = (kind: string) => rows.find((row) => row.kind === kind && row.active === 1)?.name ?? null;
  return { installed: rows.length, activeLlm: active("llm"), activeEmbedding: active("embedding") };
}

function printReport(report: StatusReport, settings: SettingsService): void {
  const { resources } = report;
  const line = (label: string, value: string) =>
    process.stdout.write(`${pc.bold(label.padEnd(12))} ${value}\n`);
  line("askdb", `${report.version}, data in ${report.dataDir}`);
  line(
    "model",
    report.models.activeLlm
      ? `${report.models.activeLlm} (${report.models.installed} installed)`
      : pc.yellow("none active — run `askdb models pull qwen2.5-coder-1.5b`"),
  );
  line("backends", report.backends.join(" → "));
  line("ollama", describeOllama(resources, settings));
  line(
    "privacy",
    `history kept ${describeRetention(report.privacy.historyRetention)}, remote backends ${report.privacy.allowRemote ? pc.yellow("allowed") : "off"}, no telemetry`,
  );
  line("flags on", report.enabledFlags.join(", ") || "none");
  line("extension", describeBrowserExtension(report.browserExtension));
  process.stdout.write("\n");
  line(
    "process",
    `${formatBytes(resources.process.rssBytes)} resident, heap ${formatBytes(resources.process.heapUsedBytes)}`,
  );
  line(
    "memory",
    `${formatBytes(resources.memory.freeBytes)} free of ${formatBytes(resources.memory.totalBytes)}`,
  );
  line(
    "cpu",
    `load ${resources.cpu.loadAverage.map((load) => load.toFixed(2)).join(" ")} on ${resources.cpu.cores} cores (${resources.cpu.model})`,
  );
  line(
    "disk",
    resources.disk
      ? `${formatBytes(resources.disk.freeBytes)} free of ${formatBytes(resources.disk.totalBytes)} at ${resources.disk.path}`
      : "unknown",
  );
  line("gpu", describeGpu(resources));
  if (resources.models.length > 0) {
    process.stdout.write("\n");
    printTable(
      ["model", "backend", "requests", "ok", "prompt tok/s", "gen tok/s", "peak memory", "load"],
      resources.models.map((model) => [
        model.model,
        model.backend,
        model.totalRequests,
        model.successRate === null ? "-" : `${Math.round(model.successRate * 100)}%`,
        model.promptTokensPerSecond ?? "-",
        model.tokensPerSecond ?? "-",
        model.peakMemoryBytes > 0 ? formatBytes(model.peakMemoryBytes) : "-",
        model.lastLoadMs === null ? "-" : `${Math.round(model.lastLoadMs)} ms`,
      ]),
    );
  }
  for (const warning of resources.warnings) process.stdout.write(`${pc.yellow("warning:")} ${warning}\n`);
}

function describeBrowserExtension(status: BrowserExtensionStatus): string {
  if (!status.enabled) return pc.dim("off (askdb flags enable browser_extension)");
  const activity = status.lastConnectionAt ? `, last active ${status.lastConnectionAt}` : "";
  const state = status.connected ? pc.green("connected") : "not connected";
  return `${state}, ${status.count} paired${activity} (protocol ${status.protocolVersion}); page contexts kept ${describeRetention(status.contextRetention)}`;
}

function describeOllama({ ollama }: ResourceSnapshot, settings: SettingsService): string {
  const url = settings.get("ollama.url");
  if (!ollama) return pc.dim(`${url} (not checked)`);
  const state = ollama.ok
    ? pc.green(`ok in ${Math.round(ollama.responseMs ?? 0)} ms`)
    : pc.red(`failing (${ollama.consecutiveFailures} in a row): ${ollama.error}`);
  return `${formatSettingValue(ollama.url ?? url)} ${state}, last checked ${ollama.lastCheckAt}`;
}

function describeGpu({ gpu }: ResourceSnapshot): string {
  if (!gpu) return "none in use (CPU inference)";
  const devices = gpu.devices.join(", ") || gpu.type;
  return `${devices} (${gpu.type}), VRAM ${formatBytes(gpu.vram.freeBytes)} free of ${formatBytes(gpu.vram.totalBytes)}`;
}
