/**
 * Browser-test support: the built web UI, a real askdb server on an ephemeral port with a temp
 * data dir, Debian's chromium driven by playwright-core, and screenshots in test-results/.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { createAskDb, type AskDb } from "../../src/app/index.js";
import { createLogger, startServer, type RunningServer } from "../../src/server/index.js";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const WEB_ROOT = join(REPO_ROOT, "web");
export const WEB_DIST = join(WEB_ROOT, "dist");
export const SCREENSHOTS = join(REPO_ROOT, "test-results", "screenshots");
export const CHROMIUM = "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Why the browser tests cannot run here, or null when they can. */
export function browserTestsUnavailable(): string | null {
  if (!existsSync(CHROMIUM))
    return `${CHROMIUM} is absent: install Debian's chromium (apt-get install chromium) to run the browser tests`;
  return null;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds web/dist when it is missing or older than the sources, so the tests see the current UI. */
export async function ensureWebBuilt(): Promise<void> {
  const index = join(WEB_DIST, "index.html");
  const sourcesChanged = Math.max(
    newestMtime(join(WEB_ROOT, "src")),
    statSync(join(WEB_ROOT, "index.html")).mtimeMs,
    statSync(join(WEB_ROOT, "vite.config.ts")).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sourcesChanged) return;
  const { build } = await import("vite");
  await build({ configFile: join(WEB_ROOT, "vite.config.ts"), logLevel: "warn" });
}

export interface AskDbServer {
  askdb: AskDb;
  server: RunningServer;
  url: string;
  dataDir: string;
  /** Stops the server and askdb, keeping the data dir (to start again on it). */
  stop(): Promise<void>;
}

/** A real askdb on `dataDir` (a fresh temp dir by default), serving the built UI on 127.0.0.1. */
export async function startAskDbServer(
  dataDir = mkdtempSync(join(tmpdir(), "askdb-web-e2e-")),
): Promise<AskDbServer> {
  const askdb = await createAskDb({ dataDir });
  const server = await startServer({
    askdb,
    host: "127.0.0.1",
    port: 0,
    webRoot: WEB_DIST,
    logger: createLogger("silent"),
  });
  return {
    askdb,
    server,
    url: server.url,
    dataDir,
    stop: async () => {
      await server.close();
      await askdb.close();
    },
  };
}

export function removeDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * A page that fails the test on uncaught errors in the app and on anything the page's
 * Content-Security-Policy refused (both collected in `errors`).
 */
export async function openPage(
  browser: Browser,
  url: string,
  prepare?: (page: Page) => Promise<unknown>,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text()))
      errors.push(message.text());
  });
  await prepare?.(page);
  await page.goto(url);
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** After a failed test: a screenshot named after it, and what went wrong in the page. */
export async function recordFailure(
  page: Page | undefined,
  pageErrors: string[],
  task: { name: string; result?: { state: string } },
): Promise<void> {
  if (task.result?.state !== "fail" || !page) return;
  await screenshot(page, `failed-${task.name.slice(0, 40).replace(/[^a-z0-9]+/gi, "-")}`);
  if (pageErrors.length) console.error("errors in the page:", pageErrors);
}

/** POSTs JSON to the server (as a desktop app or script would), failing loudly on an error status. */
export async function postJson<T = unknown>(url: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(url + path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** How long the UI may take to show something that needs no model. */
export const UI_TIMEOUT = 30_000;

/** Types `question` into the chat and returns the message that will hold its answer. */
export async function ask(page: Page, question: string): Promise<Locator> {
  const before = await page.getByTestId("assistant-message").count();
  const input = page.getByLabel("Your question");
  await input.fill(question);
  await input.press("Enter");
  const message = page.getByTestId("assistant-message").nth(before);
  await message.waitFor();
  return message;
}

/** Waits until an answer (its timings line) or an error is shown in `message`. */
export async function settled(message: Locator, timeout = UI_TIMEOUT): Promise<void> {
  await message.getByTestId("timings").or(message.getByRole("alert")).first().waitFor({ timeout });
}

export async function replaceEditorText(editor: Locator, text: string): Promise<void> {
  await editor.locator(".cm-content").click();
  await editor.page().keyboard.press("ControlOrMeta+a");
  await editor.page().keyboard.insertText(text);
}
