import { afterEach, describe, expect, it } from "vitest";
import { createFeatureFlags, createSettings } from "../settings/index.js";
import { createTempStores } from "../settings/testing/index.js";
import { createBrowserExtensions } from "./connections.js";
import { createPageContexts } from "./context-store.js";
import {
  contextSearchText,
  preparePageContext,
  type ContextPolicy,
  type PageContext,
} from "./page-context.js";

const stores = createTempStores();
afterEach(stores.cleanup);

const POLICY: ContextPolicy = {
  autoExtract: false,
  domainAllowlist: [],
  contentTypes: ["text/html", "text/plain"],
  maxChars: 4000,
};

function page(overrides: Partial<PageContext> = {}): PageContext {
  return {
    url: "https://suppliers.example.com/price-list",
    title: "Price list",
    selection: "Ravi Traders",
    text: "Ravi Traders price list for 2024",
    contentType: "text/html",
    automatic: false,
    ...overrides,
  };
}

describe("page context privacy", () => {
  it("sends nothing automatically by default, and only from allowed domains when auto-extract is on", () => {
    expect(() => preparePageContext(page({ automatic: true }), POLICY)).toThrow(/auto-extract is off/);
    const auto = { ...POLICY, autoExtract: true, domainAllowlist: ["example.com"] };
    expect(preparePageContext(page({ automatic: true }), auto).selection).toBe("Ravi Traders");
    expect(() => preparePageContext(page({ automatic: true, url: "https://mail.other.org/" }), auto)).toThrow(
      /pages of mail.other.org are not sent automatically/,
    );
    expect(() => preparePageContext(page({ automatic: true, url: "https://notexample.com/" }), auto)).toThrow(
      /not sent automatically/,
    );
  });

  it("refuses content types outside the allowlist", () => {
    expect(() => preparePageContext(page({ contentType: "application/pdf" }), POLICY)).toThrow(
      /application\/pdf are not used/,
    );
  });

  it("redacts before trimming to the size limit, selection first", () => {
    const prepared = preparePageContext(
      page({ selection: "mail ravi@ravitraders.in now", text: "x".repeat(100) }),
      { ...POLICY, maxChars: 40 },
    );
    expect(prepared.selection).toBe("mail [email] now");
    expect(prepared.redactions.email).toBe(1);
    const total = [prepared.selection, prepared.title, prepared.url, prepared.text].join("").length;
    expect(total).toBe(40);
    expect(contextSearchText(prepared)).toBe("mail [email] now");
    expect(contextSearchText({ ...prepared, selection: "", text: "Ravi" })).toBe("Price list\nRavi");
  });
});

describe("stored page contexts", () => {
  it("keeps them by the retention setting, with a controlled clock", () => {
    const store = stores.open();
    const settings = createSettings(store);
    settings.set("extension.contextRetention", "12h");
    const clock = { ms: Date.parse("2026-01-01T00:00:00Z") };
    const contexts = createPageContexts({ store, settings, clock: () => new Date(clock.ms) });
    contexts.save(preparePageContext(page(), POLICY));
    clock.ms += 11 * 3_600_000;
    expect(contexts.list()).toHaveLength(1);
    clock.ms += 2 * 3_600_000;
    expect(contexts.list()).toEqual([]);
    contexts.close();
  });

  it("forgets the last session's contexts with 'session', and keeps them with 'forever' (manual)", () => {
    const store = stores.open();
    const settings = createSettings(store);
    const clock = { ms: Date.parse("2026-01-01T00:00:00Z") };
    const earlier = createPageContexts({ store, settings, clock: () => new Date(clock.ms) });
    earlier.save(preparePageContext(page(), POLICY));
    earlier.close();
    clock.ms += 1000;
    settings.set("extension.contextRetention", "forever");
    const later = createPageContexts({ store, settings, clock: () => new Date(clock.ms) });
    expect(later.list()).toHaveLength(1);
    settings.set("extension.contextRetention", "session");
    expect(later.list()).toEqual([]);
    later.close();
  });

  it("deletes an extension's contexts when it is revoked", () => {
    const store = stores.open();
    const settings = createSettings(store);
    const flags = createFeatureFlags(store);
    flags.enable("browser_extension");
    const extensions = createBrowserExtensions({ store, flags });
    const { connectionId } = extensions.pair({
      code: extensions.createPairingCode().code,
      extensionOrigin: `chrome-extension://${"a".repeat(32)}`,
      browser: "chrome",
    });
    const contexts = createPageContexts({ store, settings });
    contexts.save(preparePageContext(page(), POLICY), connectionId);
    extensions.revoke(connectionId);
    expect(contexts.list()).toEqual([]);
    contexts.close();
  });
});
