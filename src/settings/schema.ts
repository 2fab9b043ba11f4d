import { isAbsolute } from "node:path";
import { z } from "zod";

/** The backends askdb can run a model on, in the order `backend.order` tries them. */
export const BACKENDS = ["llamacpp", "ollama", "openai"] as const;

const httpUrl = z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" });

/** "tauri://localhost", "http://localhost:5173": a scheme and a host, no path. */
const origin = z
  .string()
  .regex(/^[a-z][a-z0-9+.-]*:\/\/[^/\s;,'"]+$/i, "expected an origin such as tauri://localhost");

const absolutePath = z.string().min(1).refine(isAbsolute, "expected an absolute path");

/**
 * The names a caller of the HTTP API may give `openai.apiKeyEnv`, so a settings change cannot make
 * askdb send HOME, AWS_SECRET_ACCESS_KEY or any other variable to a server. The CLI takes any name.
 */
export const HTTP_API_KEY_ENV_PATTERN = /^[A-Za-z][A-Za-z0-9_]*_(API_KEY|TOKEN)$/;

/** "session", "forever", or a number of hours ("12h") or days ("30d"). */
export const RETENTION_PATTERN = /^(session|forever|[1-9]\d*[hd])$/;

/** "example.com": a host name, which also covers its subdomains. */
const domain = z
  .string()
  .regex(/^(?=.{1,253}$)[a-z0-9-]+(\.[a-z0-9-]+)*$/i, "expected a domain such as example.com");

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
  "engine.prewarm": z
    .boolean()
    .default(true)
    .describe(
      "The server loads the active model and reads the database's prompt as it starts, so the first question is fast",
    ),
  "models.dir": absolutePath
    .nullable()
    .default(null)
    .describe("Folder where downloaded models live (null: <data dir>/models)"),
  "downloads.parallel": z.int().min(1).max(8).default(2).describe("Downloads that may run at the same time"),
  "server.allowedOrigins": z
    .array(origin)
    .default([])
    .describe("Extra origins allowed to call the API from a browser or webview, e.g. tauri://localhost"),
  "server.frameAncestors": z
    .array(origin)
    .default([])
    .describe("Origins allowed to show askdb's pages in a frame, e.g. tauri://localhost (none by default)"),
  "extension.autoExtract": z
    .boolean()
    .default(false)
    .describe("Let the browser extension send page context without you turning on 'use this page' each time"),
  "extension.domainAllowlist": z
    .array(domain)
    .default([])
    .describe("Sites whose pages the browser extension may send automatically (none by default)"),
  "extension.contentTypes": z
    .array(z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, "expected a content type such as text/html"))
    .default(["text/html", "text/plain"])
    .describe("Kinds of page the browser extension may send as context"),
  "extension.maxContextChars": z
    .int()
    .min(100)
    .max(100_000)
    .default(4000)
    .describe("Most characters of page context taken from the browser extension (selection first)"),
  "extension.contextRetention": z
    .string()
    .regex(RETENTION_PATTERN, "expected session, forever, <N>h or <N>d")
    .default("session")
    .describe("How long page contexts from the browser extension are kept: session, <N>h, <N>d or forever"),
  "databases.allowed": z
    .array(absolutePath)
    .default([])
    .describe(
      "SQLite files, or folders of them, the HTTP API may switch to besides the one askdb started with",
    ),
  "query.maxRows": z.int().min(1).max(1_000_000).default(1000).describe("Most rows a query returns"),
  "query.timeoutMs": z
    .int()
    .min(100)
    .max(600_000)
    .default(10_000)
    .describe("Milliseconds a query may run before it is stopped"),
  "query.grammar": z
    .boolean()
    .default(false)
    .describe(
      "Constrain the model's SQL with a grammar of this database (helps models under 1B; hurts larger ones)",
    ),
  "query.deadlineMs": z
    .int()
    .min(1_000)
    .max(600_000)
    .default(15_000)
    .describe(
      "Milliseconds a question may spend trying again after the model's first answer (which always finishes); then the best answer that ran",
    ),
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

/**
 * Who may change a setting over HTTP: anyone the server answers (`open`), only a caller holding
 * the server's token (`token`: where askdb sends data, which secret or files it reads, who may call
 * or frame it), or nobody (`terminal`: it only takes effect when askdb starts).
 */
export const HTTP_ACCESS = ["open", "token", "terminal"] as const;
export type HttpAccess = (typeof HTTP_ACCESS)[number];

interface SettingMeta {
  /** What a valid value looks like, for error messages and `askdb config list`. */
  allowed: string;
  example: string;
  /** Environment variable that overrides the stored value. */
  env: string;
  http: HttpAccess;
}

/** Per setting: how a person writes it, the environment variable that overrides it, who may change it over HTTP. */
export const settingMeta: Record<SettingKey, SettingMeta> = {
  "backend.order": {
    allowed: "a comma-separated list of llamacpp, ollama, openai",
    example: "llamacpp,ollama",
    env: "ASKDB_BACKEND_ORDER",
    http: "token",
  },
  "ollama.url": {
    allowed: "an http(s) URL",
    example: "http://127.0.0.1:11434",
    env: "ASKDB_OLLAMA_URL",
    http: "token",
  },
  "ollama.model": {
    allowed: "a model name, or null",
    example: "qwen2.5-coder:1.5b",
    env: "ASKDB_OLLAMA_MODEL",
    http: "open",
  },
  "openai.url": {
    allowed: "an http(s) URL, or null",
    example: "http://127.0.0.1:8080/v1",
    env: "ASKDB_OPENAI_URL",
    http: "token",
  },
  "openai.model": {
    allowed: "a model name, or null",
    example: "gpt-4o-mini",
    env: "ASKDB_OPENAI_MODEL",
    http: "open",
  },
  "openai.apiKeyEnv": {
    allowed: "an environment variable name",
    example: "OPENAI_API_KEY",
    env: "ASKDB_OPENAI_API_KEY_ENV",
    http: "token",
  },
  "privacy.allowRemote": {
    allowed: "true or false",
    example: "true",
    env: "ASKDB_ALLOW_REMOTE",
    http: "token",
  },
  "privacy.historyRetention": {
    allowed: "session, forever, <N>h or <N>d",
    example: "7d",
    env: "ASKDB_HISTORY_RETENTION",
    http: "token",
  },
  "engine.threads": {
    allowed: "a whole number from 1 to 1024, or null",
    example: "4",
    env: "ASKDB_THREADS",
    http: "open",
  },
  "engine.contextSize": {
    allowed: "a whole number of tokens from 512 to 1048576, or null",
    example: "4096",
    env: "ASKDB_CONTEXT_SIZE",
    http: "open",
  },
  "engine.gpuLayers": {
    allowed: "auto, max, or a whole number ≥ 0",
    example: "auto",
    env: "ASKDB_GPU_LAYERS",
    http: "open",
  },
  "engine.keepAliveSeconds": {
    allowed: "a whole number ≥ 0",
    example: "600",
    env: "ASKDB_KEEP_ALIVE",
    http: "open",
  },
  "engine.prewarm": { allowed: "true or false", example: "false", env: "ASKDB_PREWARM", http: "open" },
  "models.dir": {
    allowed: "a folder path, or null",
    example: "/data/models",
    env: "ASKDB_MODELS_DIR",
    http: "terminal",
  },
  "downloads.parallel": {
    allowed: "a whole number from 1 to 8",
    example: "2",
    env: "ASKDB_DOWNLOADS_PARALLEL",
    http: "open",
  },
  "server.allowedOrigins": {
    allowed: "a comma-separated list of origins (scheme://host[:port])",
    example: "tauri://localhost,http://localhost:5173",
    env: "ASKDB_ALLOWED_ORIGINS",
    http: "token",
  },
  "server.frameAncestors": {
    allowed: "a comma-separated list of origins (scheme://host[:port])",
    example: "tauri://localhost",
    env: "ASKDB_FRAME_ANCESTORS",
    http: "token",
  },
  "extension.autoExtract": {
    allowed: "true or false",
    example: "true",
    env: "ASKDB_EXTENSION_AUTO_EXTRACT",
    http: "token",
  },
  "extension.domainAllowlist": {
    allowed: "a comma-separated list of domains (each covers its subdomains)",
    example: "suppliers.example.com,mail.example.com",
    env: "ASKDB_EXTENSION_DOMAINS",
    http: "token",
  },
  "extension.contentTypes": {
    allowed: "a comma-separated list of content types",
    example: "text/html,text/plain,application/pdf",
    env: "ASKDB_EXTENSION_CONTENT_TYPES",
    http: "token",
  },
  "extension.maxContextChars": {
    allowed: "a whole number from 100 to 100000",
    example: "8000",
    env: "ASKDB_EXTENSION_MAX_CONTEXT_CHARS",
    http: "token",
  },
  "extension.contextRetention": {
    allowed: "session, forever (until you clear them), <N>h or <N>d",
    example: "12h",
    env: "ASKDB_EXTENSION_CONTEXT_RETENTION",
    http: "token",
  },
  "databases.allowed": {
    allowed: "a comma-separated list of absolute paths of SQLite files or folders",
    example: "/data/shop.sqlite,/data/reports",
    env: "ASKDB_DATABASES_ALLOWED",
    http: "token",
  },
  "query.maxRows": {
    allowed: "a whole number from 1 to 1000000",
    example: "5000",
    env: "ASKDB_MAX_ROWS",
    http: "open",
  },
  "query.timeoutMs": {
    allowed: "a whole number of milliseconds from 100 to 600000",
    example: "30000",
    env: "ASKDB_QUERY_TIMEOUT_MS",
    http: "open",
  },
  "query.grammar": { allowed: "true or false", example: "true", env: "ASKDB_SQL_GRAMMAR", http: "open" },
  "query.deadlineMs": {
    allowed: "a whole number of milliseconds from 1000 to 600000",
    example: "60000",
    env: "ASKDB_ANSWER_DEADLINE_MS",
    http: "open",
  },
  "monitor.ollamaCheckSeconds": {
    allowed: "a whole number of seconds from 5 to 3600",
    example: "60",
    env: "ASKDB_OLLAMA_CHECK_SECONDS",
    http: "open",
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
