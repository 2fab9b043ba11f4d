import { createHash, randomBytes, randomInt } from "node:crypto";
import { AskDbError } from "../errors/index.js";
import type { FeatureFlags } from "../settings/index.js";
import type { Store } from "../store/index.js";
import { newId } from "../util/index.js";

export const EXTENSION_FLAG = "browser_extension";
export const BROWSERS = ["chrome", "firefox", "safari", "edge", "arc", "other"] as const;
export type Browser = (typeof BROWSERS)[number];
/**
 * Where askdb's extension runs: Chromium-based browsers load it unpacked (tested in CI with
 * Chromium); Firefox loads the same Manifest V3 folder as a temporary add-on (its gecko id is in the
 * manifest). Safari needs a native app wrapper, which askdb does not ship.
 */
export const SUPPORTED_BROWSERS: Browser[] = ["chrome", "edge", "arc", "firefox"];
/** The extension ↔ askdb protocol: pairing, `X-Askdb-Credential`, /query with a page context. */
export const EXTENSION_PROTOCOL_VERSION = 1;
/** A paired extension heard from within this long counts as connected. */
const CONNECTED_WITHIN_MS = 5 * 60_000;

/** Chromium extension ids are 32 letters a–p; Firefox's per-install ids are UUIDs. */
const EXTENSION_ORIGIN = /^(chrome-extension:\/\/[a-p]{32}|moz-extension:\/\/[0-9a-f-]{36})$/;
const EXTENSION_SCHEMES = ["chrome-extension:", "moz-extension:", "safari-web-extension:"];
/** No 0/O or 1/I/L: a person types the code from one screen into another. */
const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LENGTH = 8;
const CODE_LIFETIME_MS = 5 * 60_000;

export interface PairingCode {
  /** e.g. `K7QM-2XRT`; shown once, stored hashed. */
  code: string;
  expiresAt: string;
}

export interface PairRequest {
  code: string;
  extensionOrigin: string;
  browser: Browser;
}

export interface Pairing {
  connectionId: string;
  /** The extension's own credential: sent as `X-Askdb-Credential`, stored hashed, revocable. */
  credential: string;
}

export interface ExtensionConnection {
  id: string;
  origin: string;
  browser: Browser;
  tabCount: number;
  requestCount: number;
  establishedAt: string;
  lastActivityAt: string;
}

/** The integration at a glance: what the settings page and `askdb status` show. */
export interface ConnectionStatus {
  enabled: boolean;
  /** A paired extension was active within the last five minutes. */
  connected: boolean;
  lastConnectionAt: string | null;
  count: number;
  supportedBrowsers: Browser[];
  protocolVersion: number;
  connections: ExtensionConnection[];
}

export interface BrowserExtensions {
  enabled(): boolean;
  status(): ConnectionStatus;
  /** A one-time code for the person to enter in the extension (needs the flag). */
  createPairingCode(): PairingCode;
  /** Trades a valid, unexpired code for a credential bound to `extensionOrigin`; the code is spent. */
  pair(request: PairRequest): Pairing;
  /** The connection holding `credential` for `origin`, its activity recorded; undefined otherwise. */
  authenticate(
    origin: string,
    credential: string | undefined,
    tabCount?: number,
  ): ExtensionConnection | undefined;
  connections(): ExtensionConnection[];
  revoke(id: string): void;
}

export interface BrowserExtensionsOptions {
  store: Store;
  flags: FeatureFlags;
  now?: () => Date;
}

interface ConnectionRow {
  id: string;
  origin: string;
  browser: Browser;
  tab_count: number;
  request_count: number;
  established_at: string;
  last_activity_at: string;
}

export function isExtensionOrigin(origin: string): boolean {
  return EXTENSION_SCHEMES.some((scheme) => origin.startsWith(`${scheme}//`));
}

/** Pairing and the paired extensions, kept in askdb's store so the CLI and the server share them. */
export function createBrowserExtensions({
  store,
  flags,
  now = () => new Date(),
}: BrowserExtensionsOptions): BrowserExtensions {
  const { db } = store;
  const enabled = () => flags.isEnabled(EXTENSION_FLAG);
  const assertEnabled = () => {
    if (!enabled()) throw integrationOff();
  };

  const spendCode = (code: string): boolean => {
    db.prepare("DELETE FROM extension_pairing_codes WHERE expires_at <= ?").run(now().toISOString());
    return (
      db.prepare("DELETE FROM extension_pairing_codes WHERE code_hash = ?").run(hash(normalizeCode(code)))
        .changes === 1
    );
  };

  const selectConnection = db.prepare<[string], ConnectionRow>(
    "SELECT * FROM extension_connections WHERE credential_hash = ?",
  );

  const connections = (): ExtensionConnection[] =>
    db
      .prepare<[], ConnectionRow>("SELECT * FROM extension_connections ORDER BY established_at")
      .all()
      .map(toConnection);

  return {
    enabled,
    status: () => {
      const all = connections();
      const lastConnectionAt =
        all
          .map((c) => c.lastActivityAt)
          .sort()
          .at(-1) ?? null;
      const recent =
        lastConnectionAt !== null && now().getTime() - Date.parse(lastConnectionAt) < CONNECTED_WITHIN_MS;
      return {
        enabled: enabled(),
        connected: enabled() && recent,
        lastConnectionAt,
        count: all.length,
        supportedBrowsers: [...SUPPORTED_BROWSERS],
        protocolVersion: EXTENSION_PROTOCOL_VERSION,
        connections: all,
      };
    },
    createPairingCode: () => {
      assertEnabled();
      const code = randomCode();
      const expiresAt = new Date(now().getTime() + CODE_LIFETIME_MS).toISOString();
      db.prepare("INSERT INTO extension_pairing_codes (code_hash, expires_at) VALUES (?, ?)").run(
        hash(code),
        expiresAt,
      );
      return { code: formatCode(code), expiresAt };
    },
    pair: ({ code, extensionOrigin, browser }) => {
      assertEnabled();
      assertExtensionOrigin(extensionOrigin);
      if (!store.transaction(() => spendCode(code))) throw codeRefused();
      const credential = randomBytes(32).toString("base64url");
      const id = newId("ext");
      const at = now().toISOString();
      db.prepare(
        `INSERT INTO extension_connections (id, origin, browser, credential_hash, established_at, last_activity_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ).run(id, extensionOrigin, browser, hash(credential), at, at);
      return { connectionId: id, credential };
    },
    authenticate: (origin, credential, tabCount) => {
      if (!enabled() || credential === undefined) return undefined;
      const row = selectConnection.get(hash(credential));
      if (row?.origin !== origin) return undefined;
      db.prepare(
        `UPDATE extension_connections SET request_count = request_count + 1, last_activity_at = ?,
         tab_count = coalesce(?, tab_count) WHERE id = ?`,
      ).run(now().toISOString(), tabCount ?? null, row.id);
      return toConnection(selectConnection.get(hash(credential)) ?? row);
    },
    connections,
    revoke: (id) => {
      if (db.prepare("DELETE FROM extension_connections WHERE id = ?").run(id).changes === 0) {
        throw new AskDbError("NOT_FOUND", `no paired browser extension has the id ${id}`, {
          hint: "list them with `askdb extension list` or GET /api/extension/connections",
        });
      }
    },
  };
}

function integrationOff(): AskDbError {
  return new AskDbError("FORBIDDEN", "the browser extension integration is off", {
    hint: `turn it on with \`askdb flags enable ${EXTENSION_FLAG}\` (or on the settings page)`,
  });
}

function codeRefused(): AskDbError {
  return new AskDbError("UNAUTHORIZED", "this pairing code is wrong, used or expired", {
    hint: "run `askdb extension pair` (or open askdb's settings page) for a new code; it is valid for 5 minutes",
  });
}

function assertExtensionOrigin(origin: string): void {
  if (EXTENSION_ORIGIN.test(origin)) return;
  throw new AskDbError("INVALID_INPUT", `"${origin}" is not a browser extension's origin`, {
    hint: "send the extension's own origin, e.g. chrome-extension://<32-letter id> (chrome.runtime.getURL(''))",
  });
}

function randomCode(): string {
  return Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
}

function formatCode(code: string): string {
  return `${code.slice(0, CODE_LENGTH / 2)}-${code.slice(CODE_LENGTH / 2)}`;
}

/** What a person types: any case, with or without the dash or spaces. */
function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, "");
}

function hash(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

function toConnection(row: ConnectionRow): ExtensionConnection {
  return {
    id: row.id,
    origin: row.origin,
    browser: row.browser,
    tabCount: row.tab_count,
    requestCount: row.request_count,
    establishedAt: row.established_at,
    lastActivityAt: row.last_activity_at,
  };
}
