import { z } from "@hono/zod-openapi";
import { BROWSERS } from "../../extension/index.js";
import type {
  ConnectionStatus,
  ExtensionConnection,
  Pairing,
  PairingCode,
  PairRequest,
} from "../../extension/index.js";
import type { Exact } from "./exact.js";

/** The browser extension's pairing and connections: /api/extension/*. */

export const PairingCodeSchema = z
  .object({ code: z.string().openapi({ example: "K7QM-2XRT" }), expiresAt: z.string() })
  .openapi("ExtensionPairingCode");

export const PairRequestSchema = z
  .object({
    code: z.string().trim().min(1, "enter the pairing code askdb shows").max(20),
    extensionOrigin: z.string().max(200),
    browser: z.enum(BROWSERS),
  })
  .openapi("ExtensionPairRequest");

export const PairingSchema = z
  .object({
    connectionId: z.string(),
    credential: z.string().openapi({ description: "send it as X-Askdb-Credential with every request" }),
  })
  .openapi("ExtensionPairing");

export const ExtensionConnectionSchema = z
  .object({
    id: z.string(),
    origin: z.string(),
    browser: z.enum(BROWSERS),
    tabCount: z.int(),
    requestCount: z.int(),
    establishedAt: z.string(),
    lastActivityAt: z.string(),
  })
  .openapi("ExtensionConnection");

export const ExtensionConnectionsSchema = z
  .object({
    enabled: z.boolean(),
    connected: z.boolean().openapi({ description: "a paired extension was active in the last five minutes" }),
    lastConnectionAt: z.string().nullable(),
    count: z.int(),
    supportedBrowsers: z.array(z.enum(BROWSERS)),
    protocolVersion: z.int(),
    connections: z.array(ExtensionConnectionSchema),
  })
  .openapi("ExtensionConnections");

export const RevokedSchema = z.object({ revoked: z.string() }).openapi("Revoked");

// The schemas above are the domain types, exactly (see exact.ts).
const _code: Exact<z.output<typeof PairingCodeSchema>, PairingCode> = true;
const _pairRequest: Exact<z.output<typeof PairRequestSchema>, PairRequest> = true;
const _pairing: Exact<z.output<typeof PairingSchema>, Pairing> = true;
const _connection: Exact<z.output<typeof ExtensionConnectionSchema>, ExtensionConnection> = true;
const _status: Exact<z.output<typeof ExtensionConnectionsSchema>, ConnectionStatus> = true;
