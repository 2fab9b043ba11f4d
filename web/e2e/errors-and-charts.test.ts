/**
 * What a new user sees without a model, in Debian's chromium against a real `askdb serve` on the
 * demo: the first-run call to action, errors in the UI's words (never CLI commands), bar charts
 * with many or long categories, charts with two value axes, and result paging.
 * Screenshots go to test-results/screenshots/ (errors-*, charts-*).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import {
  ask,
  browserTestsUnavailable,
  ensureWebBuilt,
  launchBrowser,
  openPage,
  postJson,
  recordFailure,
  removeDataDir,
  replaceEditorText,
  screenshot,
  settled,
  startAskDbServer,
  UI_TIMEOUT,
  type AskDbServer,
} from "./support.js";

const skipReason = browserTestsUnavailable();

const PAIRS = {
  crowded: {
    question: "Which 24 products sold the most units?",
    sql: "SELECT p.name AS product, SUM(ii.quantity) AS units_sold FROM invoice_items ii JOIN products p ON p.id = ii.product_id GROUP BY p.id ORDER BY units_sold DESC LIMIT 24",
  },
  twoAxes: {
    question: "How many products and what reorder value per category?",
    sql: "SELECT c.name AS category, COUNT(*) AS products, ROUND(SUM(p.sale_price * p.reorder_quantity), 2) AS reorder_value FROM products p JOIN categories c ON c.id = p.category_id GROUP BY c.name ORDER BY reorder_value DESC",
  },
  elevenRows: {
    question: "Names and cities of eleven customers",
    sql: "SELECT name, city FROM customers ORDER BY name LIMIT 11",
  },
};

describe.skipIf(skipReason !== null)(
  `first run, errors and charts in a real browser${skipReason ? ` (skipped: ${skipReason})` : ""}`,
  () => {
    let askdb: AskDbServer;
    let browser: Browser;
    let page: Page;
    let pageErrors: string[];

    beforeAll(async () => {
      await ensureWebBuilt();
      askdb = await startAskDbServer();
      for (const pair of Object.values(PAIRS))
        await postJson(askdb.url, "/train", {
          training_type: "question_sql",
          question: pair.question,
          content: pair.sql,
        });
      browser = await launchBrowser();
      ({ page, errors: pageErrors } = await openPage(browser, askdb.server.openUrl));
    }, 240_000);

    afterEach((context) => recordFailure(page, pageErrors, context.task));

    afterAll(async () => {
      await browser?.close();
      await askdb?.stop();
      if (askdb) removeDataDir(askdb.dataDir);
    });

    test("first run: a call to action with a Download button, not a fault", async () => {
      const setup = page.getByRole("region", { name: "AI model set-up" });
      await setup.getByText("Download a model to ask any question").waitFor({ timeout: UI_TIMEOUT });
      await setup.getByRole("button", { name: /^Download/ }).waitFor();
      expect(await setup.textContent()).not.toMatch(/not found|required/i);
      await screenshot(page, "errors-01-first-run");
    });

    test("a question no example covers: the UI's sentence and a link to download, no CLI text", async () => {
      const message = await ask(page, "how many suppliers are in Pune?");
      await settled(message);
      const alert = message.getByRole("alert");
      expect(await alert.textContent()).toContain("Download a model to ask anything");
      expect(await alert.textContent()).not.toMatch(/`|askdb models pull/);
      expect(await alert.getByRole("link", { name: "Download a model" }).getAttribute("href")).toBe(
        "#/models",
      );
      await screenshot(page, "errors-02-no-model");
    });

    test("a crowded bar chart labels every category, slanted and cut, the whole name on hover", async () => {
      const message = await ask(page, PAIRS.crowded.question);
      await settled(message);
      const chart = message.getByRole("img", { name: /^bar chart/ });
      const labels = chart.locator(".recharts-xAxis-tick-labels text");
      expect(await labels.count()).toBe(24);
      const fullNames = await labels.locator("title").allTextContents();
      expect(fullNames[0]).toBe("Finolex Solvent Cement 100ml 3/4 inch");
      expect(await labels.first().getAttribute("transform")).toBe("rotate(-45)");
      expect((await labels.first().textContent())?.replace(fullNames[0], "")).toMatch(/…$/);
      await chart.scrollIntoViewIfNeeded();
      await screenshot(page, "charts-01-crowded-bar");
    });

    test("two value axes are labelled with the series each measures", async () => {
      const message = await ask(page, PAIRS.twoAxes.question);
      await settled(message);
      const chart = message.getByRole("img", { name: /^bar chart/ });
      await chart.locator(".recharts-label").first().waitFor();
      // Left, then right: the far smaller series gets the right axis.
      expect(await chart.locator(".recharts-label").allTextContents()).toEqual(["reorder_value", "products"]);
      await chart.scrollIntoViewIfNeeded();
      await screenshot(page, "charts-02-two-axes");
    });

    test("eleven rows are one page, not ten and a lonely one", async () => {
      const message = await ask(page, PAIRS.elevenRows.question);
      await settled(message);
      expect(await message.getByRole("table").locator("tbody tr").count()).toBe(11);
      expect(await message.getByRole("navigation", { name: "Table pages" }).count()).toBe(0);
    });

    test("a broken SQL edit: the UI's advice, no CLI text", async () => {
      const message = page.getByTestId("assistant-message").last();
      await message.getByRole("button", { name: "Edit & run" }).click();
      await replaceEditorText(message, "SELECT nme FROM customers");
      await message.getByRole("button", { name: "Run again" }).click();
      const alert = message.getByRole("alert");
      await alert.waitFor({ timeout: UI_TIMEOUT });
      expect(await alert.textContent()).toMatch(/nme[\s\S]*Check the table and column names/);
      expect(await alert.textContent()).not.toContain("`");
      await screenshot(page, "errors-03-sql-error");
    });

    test("settings say what an empty field means, never 'null'", async () => {
      await page.goto(`${askdb.url}/#/settings`);
      const threads = page.getByLabel("CPU threads");
      await threads.waitFor({ timeout: UI_TIMEOUT });
      expect(await threads.getAttribute("placeholder")).toBe("Automatic (one per core)");
      const performance = page.getByRole("region", { name: "Performance" });
      expect(await performance.textContent()).toContain("(when empty: one per physical core)");
      expect(await page.locator("main").textContent()).not.toContain("null:");
      expect(pageErrors).toEqual([]);
    });
  },
);
