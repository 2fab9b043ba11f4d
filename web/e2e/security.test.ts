/**
 * The web UI's side of the server's trust model, in Debian's chromium against a real `askdb serve`:
 * the printed address hands the browser the token and leaves the address bar, privileged settings
 * then save (and are refused, with what to do, without it), the page runs under its
 * Content-Security-Policy, cannot be framed by another site unless allowed, and works where
 * storage is blocked.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  browserTestsUnavailable,
  ensureWebBuilt,
  launchBrowser,
  openPage,
  removeDataDir,
  screenshot,
  startAskDbServer,
  type AskDbServer,
} from "./support.js";

const skipReason = browserTestsUnavailable();
const UI_TIMEOUT = 30_000;

/** A page of another origin that frames askdb's UI. */
async function startEmbedder(askdbUrl: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html" });
    response.end(`<!doctype html><iframe src="${askdbUrl}/" width="1200" height="800"></iframe>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://localhost:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function askdbFrame(page: Page, askdbUrl: string): Frame | undefined {
  return page.frames().find((frame) => frame !== page.mainFrame() && frame.url().startsWith(askdbUrl));
}

async function saveSettings(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Save changes" }).click();
}

describe.skipIf(skipReason !== null)(
  `the web UI's security in a real browser${skipReason ? ` (skipped: ${skipReason})` : ""}`,
  () => {
    let askdb: AskDbServer;
    let browser: Browser;

    beforeAll(async () => {
      await ensureWebBuilt();
      askdb = await startAskDbServer();
      browser = await launchBrowser();
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      await askdb?.stop();
      if (askdb) removeDataDir(askdb.dataDir);
    });

    test("the printed address hands over the token, leaves the address bar, and privileged settings save", async () => {
      const { page, errors } = await openPage(browser, askdb.server.openUrl);
      await page.getByLabel("Your question").waitFor({ timeout: UI_TIMEOUT });
      expect(page.url()).toBe(`${askdb.url}/`);
      await page.goto(`${askdb.url}/#/settings`);
      await page.getByLabel("Keep question history").selectOption("7d");
      await saveSettings(page);
      await page.getByRole("status").filter({ hasText: "Saved" }).waitFor({ timeout: UI_TIMEOUT });
      expect(askdb.askdb.settings.get("privacy.historyRetention")).toBe("7d");
      expect(errors).toEqual([]);
      await page.close();
    });

    test("without the token a privileged setting is refused with what to do; ordinary ones still save", async () => {
      const { page, errors } = await openPage(browser, `${askdb.url}/#/settings`);
      await page.getByLabel("Keep question history").selectOption("forever");
      await saveSettings(page);
      const alert = page.getByRole("alert").filter({ hasText: "needs this askdb server's token" });
      await alert.waitFor({ timeout: UI_TIMEOUT });
      expect(await alert.textContent()).toMatch(/\?token=/);
      await screenshot(page, "security-01-privileged-setting-without-token");
      expect(askdb.askdb.settings.get("privacy.historyRetention")).toBe("7d");

      await page.getByRole("button", { name: "Discard" }).click();
      await page.getByLabel("CPU threads").fill("3");
      await saveSettings(page);
      await page.getByRole("status").filter({ hasText: "Saved" }).waitFor({ timeout: UI_TIMEOUT });
      expect(askdb.askdb.settings.get("engine.threads")).toBe(3);
      expect(errors).toEqual([]);
      await page.close();
    });

    test("where storage is blocked the UI still works, and says so", async () => {
      const { page, errors } = await openPage(browser, askdb.url, (fresh) =>
        fresh.addInitScript(() => {
          Object.defineProperty(window, "localStorage", {
            get() {
              throw new DOMException("storage is blocked", "SecurityError");
            },
          });
        }),
      );
      await page.getByText("does not let askdb keep anything here").waitFor({ timeout: UI_TIMEOUT });
      await page.getByLabel("Your question").waitFor();
      await page.getByRole("button", { name: "Switch to dark mode" }).click();
      expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true);
      await screenshot(page, "security-02-storage-blocked");
      expect(errors).toEqual([]);
      await page.close();
    });

    test("another site cannot frame it, unless it is an allowed embedder", async () => {
      const embedder = await startEmbedder(askdb.url);
      try {
        const page = await browser.newPage();
        const refusals: string[] = [];
        page.on("console", (message) => {
          if (/frame-ancestors/.test(message.text())) refusals.push(message.text());
        });
        await page.goto(embedder.origin);
        await expect.poll(() => refusals.length, { timeout: UI_TIMEOUT }).toBeGreaterThan(0);
        expect(refusals[0]).toMatch(/frame-ancestors 'none'/);
        const blocked = askdbFrame(page, askdb.url);
        expect(blocked ? await blocked.getByLabel("Your question").count() : 0).toBe(0);

        askdb.askdb.settings.set("server.frameAncestors", [embedder.origin]);
        await page.reload();
        await expect
          .poll(() => askdbFrame(page, askdb.url)?.getByLabel("Your question").count() ?? 0, {
            timeout: UI_TIMEOUT,
          })
          .toBe(1);
        await page.close();
      } finally {
        askdb.askdb.settings.reset("server.frameAncestors");
        await embedder.close();
      }
    });
  },
);
