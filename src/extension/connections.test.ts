import { afterEach, describe, expect, it } from "vitest";
import { createFeatureFlags } from "../settings/index.js";
import { createTempStores } from "../settings/testing/index.js";
import {
  createBrowserExtensions,
  EXTENSION_FLAG,
  EXTENSION_PROTOCOL_VERSION,
  type BrowserExtensions,
} from "./index.js";

const stores = createTempStores();
afterEach(stores.cleanup);

const ORIGIN = `chrome-extension://${"a".repeat(32)}`;
const OTHER_ORIGIN = `chrome-extension://${"b".repeat(32)}`;

function extensions(clock = { ms: Date.parse("2026-01-01T00:00:00Z") }, enabled = true): BrowserExtensions {
  const store = stores.open();
  const flags = createFeatureFlags(store);
  if (enabled) flags.enable(EXTENSION_FLAG);
  return createBrowserExtensions({ store, flags, now: () => new Date(clock.ms) });
}

describe("browser extension pairing", () => {
  it("is off by default: no code is given", () => {
    expect(() => extensions(undefined, false).createPairingCode()).toThrow(/integration is off/);
  });

  it("trades a one-time code for a credential bound to the extension's origin", () => {
    const service = extensions();
    const { code } = service.createPairingCode();
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const { credential, connectionId } = service.pair({
      code: code.toLowerCase().replace("-", " "),
      extensionOrigin: ORIGIN,
      browser: "chrome",
    });
    expect(service.authenticate(ORIGIN, credential, 3)).toMatchObject({
      id: connectionId,
      browser: "chrome",
      tabCount: 3,
      requestCount: 1,
    });
    expect(service.authenticate(OTHER_ORIGIN, credential)).toBeUndefined();
    expect(service.authenticate(ORIGIN, "forged")).toBeUndefined();
    expect(() => service.pair({ code, extensionOrigin: OTHER_ORIGIN, browser: "chrome" })).toThrow(
      /wrong, used or expired/,
    );
  });

  it("refuses an expired code and an origin that is not an extension's", () => {
    const clock = { ms: Date.parse("2026-01-01T00:00:00Z") };
    const service = extensions(clock);
    const { code } = service.createPairingCode();
    expect(() => service.pair({ code, extensionOrigin: "https://evil.example", browser: "chrome" })).toThrow(
      /not a browser extension's origin/,
    );
    clock.ms += 5 * 60_000;
    expect(() => service.pair({ code, extensionOrigin: ORIGIN, browser: "chrome" })).toThrow(/expired/);
  });

  it("lists connections with their activity and the connection status, and a revoked one is refused", () => {
    const clock = { ms: Date.parse("2026-01-01T00:00:00Z") };
    const service = extensions(clock);
    const { credential, connectionId } = service.pair({
      code: service.createPairingCode().code,
      extensionOrigin: ORIGIN,
      browser: "edge",
    });
    clock.ms += 60_000;
    service.authenticate(ORIGIN, credential);
    expect(service.connections()).toEqual([
      expect.objectContaining({
        id: connectionId,
        origin: ORIGIN,
        establishedAt: "2026-01-01T00:00:00.000Z",
        lastActivityAt: "2026-01-01T00:01:00.000Z",
      }),
    ]);
    expect(service.status()).toMatchObject({
      enabled: true,
      connected: true,
      lastConnectionAt: "2026-01-01T00:01:00.000Z",
      count: 1,
      protocolVersion: EXTENSION_PROTOCOL_VERSION,
      supportedBrowsers: expect.arrayContaining(["chrome", "firefox"]),
    });
    clock.ms += 5 * 60_000;
    expect(service.status().connected).toBe(false);
    service.revoke(connectionId);
    expect(service.authenticate(ORIGIN, credential)).toBeUndefined();
    expect(() => service.revoke(connectionId)).toThrow(/no paired browser extension/);
  });
});
