import { isAbsolute } from "node:path";
import { z } from "zod";

/** The backends askdb can run a model on, in the order `backend.order` tries them. */
export const BACKENDS = ["llamacpp", "ollama", "openai"] as const;

const httpUrl = z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" });

/** "tauri://localhost", "http://localhost:5173": a scheme and a host, no path. */
const origin = z
  .string()
  .regex(/^[a-z][a-z0-9+.-]*:\/\/[^/\s]+$/i, "expected an origin such as tauri://localhost");

const absolutePath = z.string().min(1).refine(isAbsolute, "expected an absolute path");

/** "session", "forever", or a number of hours ("12h") or days ("30d"). */
export const RETENTION_PATTERN = /^(session|forever|[1-9]\d*[hd])$/;

/**
 * Every setting, its type and default, in one place. Keys are dotted names as the CLI, the API
 * and the settings page show them. Descriptions come from `.describe()`.
 */
export const settingsSchema = z.object({
  "backend.order": z
    .array(z.enum(BACKENDS))
    .min(1)
    .refine((list) => new Set(list).size === list.length, "each backend may appear once")
    .default(["llamacpp"])
    .describe("Backends to try, in order, when generating (a later one is used when an earlier fails)"),
  "ollama.url": httpUrl.default("http://127.0.0.1:11434").describe("Address of the Ollama host"),
  "ollama.model": z
    .string()
    .min(1)
    .nullable()
    .default(null)
    .describe("Ollama model to use (null: none chosen)"),
  "openai.url": httpUrl
    .nullable()
    .default(null)
    .describe("Base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1 (null: none)"),
  "openai.model": z
    .string()
    .min(1)
    .nullable()
    .default(null)
    .describe("Model name on the OpenAI-compatible server"),
  "openai.apiKeyEnv": z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an environment variable name")
    .default("OPENAI_API_KEY")
    .describe("Environment variable holding the API key (the key itself is never stored)"),
  "privacy.allowRemote": z
    .boolean()
    .default(false)
    .describe("Allow sending questions, schema and rows to a backend that is not on this machine"),
  "privacy.historyRetention": z
    .string()
    .regex(RETENTION_PATTERN, "expected session, forever, <N>h or <N>d")
    .default("30d")
    .describe("How long question history and conversations are kept: session, <N>h, <N>d or forever"),
  "engine.threads": z
    .int()
    .min(1)
    .max(1024)
    .nullable()
    .default(null)
    .describe("CPU threads for local inference (null: one per physical core)"),
  "engine.contextSize": z
    .int()
    .min(512)
    .max(1_048_576)
    .nullable()
    .default(null)
    .describe("Context window in tokens (null: chosen from the model and free memory)"),
  "engine.gpuLayers": z
    .union([z.literal("auto"), z.literal("max"), z.int().min(0)])
    .default("auto")
    .describe("Model layers to offload to the GPU: auto, max, or a number (0: CPU only)"),
  "engine.keepAliveSeconds": z
    .int()
    .min(0)
    .default(300)
    .describe("Seconds an idle model stays loaded (0: unload after each request)"),
  "models.dir": absolutePath
    .nullable()
    .default(null)
    .describe("Folder where downloaded models live (null: <data dir>/models)"),
  "downloads.parallel": z.int().min(1).max(8).default(2).describe("Downloads that may run at the same time"),
  "server.allowedOrigins": z
    .array(origin)
    .default([])
    .describe("Extra origins allowed to call the API from a browser or webview, e.g. tauri://localhost"),
  "query.maxRows": z.int().min(1).max(1_000_000).default(1000).describe("Most rows a query returns"),
  "query.timeoutMs": z
    .int()
    .min(100)
    .max(600_000)
    .default(10_000)
    .describe("Milliseconds a query may run before it is stopped"),
  "monitor.ollamaCheckSeconds": z
    .int()
    .min(5)
    .max(3600)
    .default(30)
    .describe("Seconds between health checks of the Ollama host while the server runs"),
});

export type Settings = z.output<typeof settingsSchema>;
export type SettingKey = keyof Settings;
export type SettingValue<K extends SettingKey> = Settings[K];

interface SettingMeta {
  /** What a valid value looks like, for error messages and `askdb config list`. */
  allowed: string;
  example: string;
  /** Environment variable that overrides the stored value. */
  env: string;
}

/** Per setting: how a person writes it, and the environment variable that overrides it. */
export const settingMeta: Record<SettingKey, SettingMeta> = {
  "backend.order": {
    allowed: "a comma-separated list of llamacpp, ollama, openai",
    example: "llamacpp,ollama",
    env: "ASKDB_BACKEND_ORDER",
  },
  "ollama.url": { allowed: "an http(s) URL", example: "http://127.0.0.1:11434", env: "ASKDB_OLLAMA_URL" },
  "ollama.model": {
    allowed: "a model name, or null",
    example: "qwen2.5-coder:1.5b",
    env: "ASKDB_OLLAMA_MODEL",
  },
  "openai.url": {
    allowed: "an http(s) URL, or null",
    example: "http://127.0.0.1:8080/v1",
    env: "ASKDB_OPENAI_URL",
  },
  "openai.model": { allowed: "a model name, or null", example: "gpt-4o-mini", env: "ASKDB_OPENAI_MODEL" },
  "openai.apiKeyEnv": {
    allowed: "an environment variable name",
    example: "OPENAI_API_KEY",
    env: "ASKDB_OPENAI_API_KEY_ENV",
  },
  "privacy.allowRemote": { allowed: "true or false", example: "true", env: "ASKDB_ALLOW_REMOTE" },
  "privacy.historyRetention": {
    allowed: "session, forever, <N>h or <N>d",
    example: "7d",
    env: "ASKDB_HISTORY_RETENTION",
  },
  "engine.threads": { allowed: "a whole number from 1 to 1024, or null", example: "4", env: "ASKDB_THREADS" },
  "engine.contextSize": {
    allowed: "a whole number of tokens from 512 to 1048576, or null",
    example: "4096",
    env: "ASKDB_CONTEXT_SIZE",
  },
  "engine.gpuLayers": {
    allowed: "auto, max, or a whole number ≥ 0",
    example: "auto",
    env: "ASKDB_GPU_LAYERS",
  },
  "engine.keepAliveSeconds": { allowed: "a whole number ≥ 0", example: "600", env: "ASKDB_KEEP_ALIVE" },
  "models.dir": { allowed: "a folder path, or null", example: "/data/models", env: "ASKDB_MODELS_DIR" },
  "downloads.parallel": {
    allowed: "a whole number from 1 to 8",
    example: "2",
    env: "ASKDB_DOWNLOADS_PARALLEL",
  },
  "server.allowedOrigins": {
    allowed: "a comma-separated list of origins (scheme://host[:port])",
    example: "tauri://localhost,http://localhost:5173",
    env: "ASKDB_ALLOWED_ORIGINS",
  },
  "query.maxRows": { allowed: "a whole number from 1 to 1000000", example: "5000", env: "ASKDB_MAX_ROWS" },
  "query.timeoutMs": {
    allowed: "a whole number of milliseconds from 100 to 600000",
    example: "30000",
    env: "ASKDB_QUERY_TIMEOUT_MS",
  },
  "monitor.ollamaCheckSeconds": {
    allowed: "a whole number of seconds from 5 to 3600",
    example: "60",
    env: "ASKDB_OLLAMA_CHECK_SECONDS",
  },
};

export const SETTING_KEYS = Object.keys(settingsSchema.shape) as SettingKey[];

export const SETTING_DEFAULTS: Readonly<Settings> = Object.freeze(settingsSchema.parse({}));

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(settingsSchema.shape, key);
}

export function settingDescription(key: SettingKey): string {
  return settingsSchema.shape[key].description ?? "";
}
