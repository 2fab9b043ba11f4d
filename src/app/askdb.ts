import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine, getSharedLlama, purgeConversations, type EngineStatus } from "../engine/index.js";
import { AskDbError } from "../errors/index.js";
import { createBrowserExtensions, createPageContexts } from "../extension/index.js";
import {
  createModelManager,
  createOllamaClient,
  recommendForMachine,
  type InstalledModel,
  type ModelManager,
} from "../models/index.js";
import {
  createFeatureFlags,
  createResourceMonitor,
  createRetentionSweeper,
  createSettings,
  type HealthProbe,
  type SettingsService,
} from "../settings/index.js";
import { createTextToSql, ensureDemoTrained, type TextToSql } from "../sql/index.js";
import { openStore, resolveDataDir, type Store } from "../store/index.js";
import { createDatabaseAccess, demoDatabasePath } from "./database-access.js";
import { openDatabaseSession, type DatabaseSession } from "./database-session.js";
import { engineConfigFromSettings, isOllamaConfigured } from "./engine-config.js";
import { chooseModel, withChosenModelFirst, type ModelChoice } from "./model-choice.js";
import { listModels, OLLAMA_ID_PREFIX } from "./model-listing.js";
import { createPrewarmer } from "./prewarm.js";
import type { AskDb, AskDbOptions, AskDbStatus, DatabaseInfo } from "./types.js";

/**
 * Opens askdb: the state store, settings and flags, the model manager, the engine (which loads
 * the active model lazily, on the first question), the text-to-SQL pipeline and the user's
 * database (the demo by default). Nothing heavy happens here, so a server built on it is ready at
 * once. Every entry point (CLI commands, the server, MCP, the sidecar, the library) builds askdb here.
 */
export async function createAskDb(options: AskDbOptions = {}): Promise<AskDb> {
  const env = options.env ?? process.env;
  const dataDir = resolveDataDir({ flag: options.dataDir, env });
  const store = openStore(dataDir);
  let scratch: ScratchStore | undefined;
  try {
    scratch = options.scratchKnowledge ? openScratchStore() : undefined;
    return await assemble(store, dataDir, options, env, scratch);
  } catch (error) {
    scratch?.close();
    store.close();
    throw error;
  }
}

interface ScratchStore {
  store: Store;
  close(): void;
}

function openScratchStore(): ScratchStore {
  const dir = mkdtempSync(join(tmpdir(), "askdb-scratch-"));
  const store = openStore(dir);
  return {
    store,
    close: () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function assemble(
  store: Store,
  dataDir: string,
  options: AskDbOptions,
  env: NodeJS.ProcessEnv,
  scratch: ScratchStore | undefined,
): Promise<AskDb> {
  const service = (options.mode ?? "service") === "service";
  const settings = createSettings(store, { env });
  const flags = createFeatureFlags(store);
  const pageContexts = createPageContexts({ store, settings });
  const models = createModelManager({
    store,
    modelsDir: options.modelsDir ?? settings.get("models.dir") ?? undefined,
    maxParallelDownloads: settings.get("downloads.parallel"),
    isInUse: (id) => isLoaded(engine.status(), id),
  });
  let chosen: ModelChoice | undefined;
  try {
    chosen = options.model === undefined ? undefined : chooseModel(models, options.model);
  } catch (error) {
    await models.close();
    throw error;
  }
  const engineConfig = () => withChosenModelFirst(engineConfigFromSettings(settings), chosen);
  const engine = createEngine({
    config: engineConfig(),
    store,
    ...(chosen && "file" in chosen ? { modelFile: chosen.file } : {}),
    locateModel: (kind) =>
      toModelFile(
        kind === "llm" && chosen && "installed" in chosen ? chosen.installed : models.getActive(kind),
      ),
    onModelLoaded: (model) => models.markUsed(model.id),
  });
  const stopFollowingSettings = settings.onChange(() => engine.updateConfig(engineConfig()));
  const ollamaHealth = ollamaProbe(settings);
  const monitor = createResourceMonitor({
    store,
    dataDir,
    modelsDir: models.modelsDir,
    llama: getSharedLlama,
    ollamaHealth,
    ollamaUrl: settings.get("ollama.url"),
  });
  if (ollamaHealth && service) monitor.startOllamaChecks(settings.get("monitor.ollamaCheckSeconds") * 1000);
  const textToSql = createTextToSql({
    store: scratch?.store ?? store,
    engine,
    model: () => chosen?.label ?? models.getActive("llm")?.id,
    logger: options.logger,
  });
  const sweeper = createRetentionSweeper({
    store,
    settings,
    owners: [textToSql.purgeHistory, (cutoff) => purgeConversations(store, cutoff)],
    alsoSweep: () => pageContexts.sweep(),
  });
  if (service) sweeper.start();
  const prewarmer = createPrewarmer({
    wanted: () =>
      session !== undefined &&
      settings.get("engine.prewarm") &&
      engine.config().backends[0] === "llamacpp" &&
      (chosen !== undefined || models.getActive("llm") !== undefined),
    warm: (signal) => textToSql.warm(current().info.path, { signal }),
    engineStatus: () => engine.status(),
  });
  const closeParts = async () => {
    prewarmer.stop();
    sweeper.stop();
    pageContexts.close();
    stopFollowingSettings();
    await textToSql.close();
    await Promise.allSettled([engine.close(), models.close(), monitor.dispose()]);
    scratch?.close();
  };
  let session: DatabaseSession | undefined;
  try {
    if (options.openDatabase !== false)
      session = await openSession(options.db, dataDir, { settings, textToSql }, options.onProgress);
  } catch (error) {
    await closeParts();
    throw error;
  }
  const current = (): DatabaseSession => {
    if (session) return session;
    throw new AskDbError("INVALID_INPUT", "askdb was opened without a database", {
      hint: "open it with a database (the `db` option), or switch to one first",
    });
  };
  const knownDatabases = new Map<string, DatabaseInfo>(session ? [[session.info.path, session.info]] : []);
  const databaseAccess = createDatabaseAccess({
    dataDir,
    startupDb: options.db,
    allowed: () => settings.get("databases.allowed"),
  });
  let closed = false;

  const status = async (): Promise<AskDbStatus> => {
    const active = models.getActive("llm");
    const engineStatus = engine.status();
    const remote = engine.config().backends.some((kind) => kind !== "llamacpp");
    const session = current();
    const counts = await session.trainingCounts();
    return {
      modelDownloaded: active !== undefined || remote,
      knowledgeReady: counts.schema > 0,
      trainingDataLoaded: counts.examples > 0,
      ready: (active !== undefined || remote) && counts.schema > 0 && engineStatus.state !== "error",
      activeModel: active?.id ?? null,
      backend: engineStatus.backend ?? engine.config().backends[0],
      engine: {
        state: engineStatus.state,
        model: engineStatus.model ?? null,
        queueLength: engineStatus.queueLength,
        error: engineStatus.error ?? null,
      },
      database: session.info,
      warmup: prewarmer.status(),
    };
  };

  return {
    version: packageVersion(),
    dataDir,
    store,
    engine,
    models,
    settings,
    flags,
    monitor,
    extensions: createBrowserExtensions({ store, flags }),
    pageContexts,
    textToSql,
    listModels: () => listModels(models, settings),
    activateModel: (id) => {
      activateModel(id, models, settings);
      prewarmer.restart();
    },
    pullModel: (spec) => models.pull(spec ?? recommendForMachine().entry.id),
    removeModel: async (id) => {
      const current = engine.status();
      // An idle loaded model is unloaded for its removal; one answering a question is not touched.
      if (isLoaded(current, id) && current.state === "ready") await engine.unload();
      await models.remove(id);
    },
    ask: (question, askOptions) => current().ask(question, askOptions),
    runSql: (sql, runOptions) => current().run(sql, runOptions),
    train: (item) => current().train(item),
    knowledge: (query) => current().knowledge(query),
    removeKnowledge: (id) => current().removeKnowledge(id),
    feedback: (input) => current().feedback(input),
    history: (query = {}) => current().history(query),
    clearHistory: () => sweeper.clearHistory(),
    database: () => current().info,
    databases: () => [...knownDatabases.values()],
    switchDatabase: async (path, switchOptions = {}) => {
      if (switchOptions.onlyConnected) databaseAccess.assertConnected(path);
      const next = await openSession(path, dataDir, { settings, textToSql }, options.onProgress);
      session = next;
      knownDatabases.set(next.info.path, next.info);
      prewarmer.restart();
      return next.info;
    },
    schema: () => current().schema(),
    tools: () => current().tools(),
    status,
    prewarm: () => prewarmer.start(),
    engineModels: () =>
      models
        .list()
        .filter((m) => m.kind === "llm")
        .map((m) => m.id),
    allowedOrigins: () => settings.get("server.allowedOrigins"),
    describe: () => {
      const active = chosen?.label ?? models.getActive("llm")?.id;
      const info = current().info;
      return {
        database: `${info.path}${info.demo ? " (demo)" : ""}`,
        model: active
          ? `${active} (${prewarmer.status().state === "off" ? "loads on the first question" : "loads in the background"})`
          : "none installed: answers come from saved examples until you download one",
      };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await closeParts();
      store.close();
    },
  };
}

function openSession(
  db: string | undefined,
  dataDir: string,
  parts: { settings: SettingsService; textToSql: TextToSql },
  onProgress?: (message: string) => void,
): Promise<DatabaseSession> {
  if (db) return openDatabaseSession(db, { demo: false, ...parts });
  return openDemoSession(dataDir, parts, onProgress);
}

/** The demo database with its training examples, built and trained on the very first run. */
async function openDemoSession(
  dataDir: string,
  parts: { settings: SettingsService; textToSql: TextToSql },
  onProgress?: (message: string) => void,
): Promise<DatabaseSession> {
  if (!existsSync(demoDatabasePath(dataDir))) {
    onProgress?.("Building the demo database and loading its training examples (first run only)…");
  }
  const { path } = await ensureDemoTrained(parts.textToSql, dataDir);
  return openDatabaseSession(path, { demo: true, ...parts });
}

function activateModel(id: string, models: ModelManager, settings: SettingsService): void {
  const order = settings.get("backend.order");
  const first = (kind: "llamacpp" | "ollama") => [kind, ...order.filter((other) => other !== kind)];
  if (id.startsWith(OLLAMA_ID_PREFIX)) {
    settings.update({ "ollama.model": id.slice(OLLAMA_ID_PREFIX.length), "backend.order": first("ollama") });
    return;
  }
  const model = models.activate(id);
  if (model.kind === "llm" && order[0] !== "llamacpp") settings.set("backend.order", first("llamacpp"));
}

/** Checks the Ollama host's health while askdb runs, when Ollama is configured. */
function ollamaProbe(settings: SettingsService): HealthProbe | undefined {
  return isOllamaConfigured(settings)
    ? () => createOllamaClient(settings.get("ollama.url")).health()
    : undefined;
}

function isLoaded(status: EngineStatus, id: string): boolean {
  return (status.state === "ready" || status.state === "busy") && status.model === id;
}

function toModelFile(model: InstalledModel | undefined): { id: string; path: string } | undefined {
  return model ? { id: model.id, path: model.path } : undefined;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}
