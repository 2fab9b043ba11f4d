import type { EngineConfigInput } from "../engine/index.js";
import type { SettingsService } from "../settings/index.js";

/** The engine's configuration, read from the settings (which the UI, CLI and env edit). */
export function engineConfigFromSettings(settings: SettingsService): EngineConfigInput {
  const all = settings.getAll();
  const gpuLayers = all["engine.gpuLayers"];
  return {
    backends: all["backend.order"],
    threads: all["engine.threads"] ?? undefined,
    contextSize: all["engine.contextSize"] ?? undefined,
    // llama.cpp's "auto" already offloads every layer that fits; "max" asks for the same.
    gpuLayers: gpuLayers === "max" ? "auto" : gpuLayers,
    keepAliveMs: all["engine.keepAliveSeconds"] * 1000,
    allowRemote: all["privacy.allowRemote"],
    ollama: all["ollama.model"] ? { url: all["ollama.url"], model: all["ollama.model"] } : undefined,
    openai:
      all["openai.url"] && all["openai.model"]
        ? { url: all["openai.url"], model: all["openai.model"], apiKeyEnv: all["openai.apiKeyEnv"] }
        : undefined,
  };
}

/** Ollama is in use when it is among the backends or a model on it was chosen. */
export function isOllamaConfigured(settings: SettingsService): boolean {
  return settings.get("backend.order").includes("ollama") || settings.get("ollama.model") !== null;
}
