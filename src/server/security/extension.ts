import type { Context } from "hono";
import { AskDbError } from "../../errors/index.js";
import type { BrowserExtensions, ExtensionConnection } from "../../extension/index.js";

declare module "hono" {
  interface ContextVariableMap {
    /** The paired browser extension making the request, if one is. */
    extensionConnection: ExtensionConnection | undefined;
  }
}

export const EXTENSION_CREDENTIAL_HEADER = "X-Askdb-Credential";
/** The extension reports how many tabs its browser has open (shown with its connection). */
export const EXTENSION_TABS_HEADER = "X-Askdb-Tabs";
export const EXTENSION_PAIR_PATH = "/api/extension/pair";
/** All a paired extension may do: ask questions. */
const EXTENSION_ROUTES = new Set(["POST /query"]);

/**
 * A request from a browser extension's origin passes only while the integration is on, and then
 * only to pair, or with the credential that pairing gave that very origin, to ask a question.
 */
export function admitExtension(c: Context, origin: string, extensions: BrowserExtensions): void {
  if (!extensions.enabled()) {
    throw new AskDbError("FORBIDDEN", `requests from the browser extension ${origin} are not allowed`, {
      hint: "the browser extension integration is off: turn it on with `askdb flags enable browser_extension`",
    });
  }
  if (c.req.method === "OPTIONS" || isPairing(c)) return;
  const connection = extensions.authenticate(
    origin,
    c.req.header(EXTENSION_CREDENTIAL_HEADER),
    tabCountOf(c.req.header(EXTENSION_TABS_HEADER)),
  );
  if (!connection) {
    throw new AskDbError("UNAUTHORIZED", `the browser extension ${origin} is not paired with askdb`, {
      hint: "run `askdb extension pair` (or open askdb's settings page) and enter the code in the extension",
    });
  }
  if (!EXTENSION_ROUTES.has(`${c.req.method} ${c.req.path}`)) {
    throw new AskDbError(
      "FORBIDDEN",
      `a browser extension may only ask questions, not ${c.req.method} ${c.req.path}`,
      {
        hint: "use POST /query; everything else is for askdb's own web UI and programs on this machine",
      },
    );
  }
  c.set("extensionConnection", connection);
}

function isPairing(c: Context): boolean {
  return c.req.method === "POST" && c.req.path === EXTENSION_PAIR_PATH;
}

function tabCountOf(header: string | undefined): number | undefined {
  const count = Number(header);
  return header !== undefined && Number.isSafeInteger(count) && count >= 0 ? count : undefined;
}
