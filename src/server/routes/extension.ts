import { createRoute } from "@hono/zod-openapi";
import { AskDbError } from "../../errors/index.js";
import type { RouteContext, ServerApp } from "../context.js";
import {
  errors,
  ExtensionConnectionsSchema,
  IdParam,
  jsonBody,
  jsonResponse,
  PairingCodeSchema,
  PairingSchema,
  PairRequestSchema,
  RevokedSchema,
} from "../schemas/index.js";
import { EXTENSION_PAIR_PATH, privileged } from "../security/index.js";

const createPairingCode = createRoute({
  method: "post",
  path: "/api/extension/pairing-codes",
  tags: ["browser extension"],
  summary: "A one-time code (valid 5 minutes) to enter in the browser extension",
  middleware: privileged("pairing a browser extension"),
  responses: { 201: jsonResponse(PairingCodeSchema, "the code"), ...errors(401, 403) },
});

const pair = createRoute({
  method: "post",
  path: EXTENSION_PAIR_PATH,
  tags: ["browser extension"],
  summary: "Called by the extension: trade a pairing code for a credential bound to its origin",
  request: { body: jsonBody(PairRequestSchema) },
  responses: { 201: jsonResponse(PairingSchema, "paired"), ...errors(400, 401, 403) },
});

const listConnections = createRoute({
  method: "get",
  path: "/api/extension/connections",
  tags: ["browser extension"],
  summary: "The connection status (protocol version, supported browsers) and the paired extensions",
  responses: { 200: jsonResponse(ExtensionConnectionsSchema, "the connections") },
});

const revokeConnection = createRoute({
  method: "delete",
  path: "/api/extension/connections/{id}",
  tags: ["browser extension"],
  summary: "Revoke a paired extension's credential",
  request: { params: IdParam },
  responses: { 200: jsonResponse(RevokedSchema, "revoked"), ...errors(400, 404) },
});

export function registerExtensionRoutes(app: ServerApp, { askdb }: RouteContext): void {
  const { extensions } = askdb;
  app.openapi(createPairingCode, (c) => c.json(extensions.createPairingCode(), 201));
  app.openapi(pair, (c) => {
    const request = c.req.valid("json");
    assertSentFrom(request.extensionOrigin, c.req.header("origin"));
    return c.json(extensions.pair(request), 201);
  });
  app.openapi(listConnections, (c) => c.json(extensions.status(), 200));
  app.openapi(revokeConnection, (c) => {
    const { id } = c.req.valid("param");
    extensions.revoke(id);
    return c.json({ revoked: id }, 200);
  });
}

/** The credential is bound to the origin that asked for it, as the browser reports it. */
function assertSentFrom(extensionOrigin: string, origin: string | undefined): void {
  if (origin === extensionOrigin) return;
  throw new AskDbError("FORBIDDEN", `pairing for ${extensionOrigin} must come from that extension`, {
    hint: "pair from inside the browser extension: it sends its own origin",
  });
}
