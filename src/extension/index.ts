export {
  BROWSERS,
  createBrowserExtensions,
  EXTENSION_FLAG,
  EXTENSION_PROTOCOL_VERSION,
  isExtensionOrigin,
  SUPPORTED_BROWSERS,
  type Browser,
  type BrowserExtensions,
  type BrowserExtensionsOptions,
  type ConnectionStatus,
  type ExtensionConnection,
  type Pairing,
  type PairingCode,
  type PairRequest,
} from "./connections.js";
export { createPageContexts, type PageContexts, type StoredContext } from "./context-store.js";
export {
  contextPolicyOf,
  contextSearchText,
  preparePageContext,
  type ContextPolicy,
  type PageContext,
  type PreparedContext,
} from "./page-context.js";
export { redactSensitive, type RedactionCounts, type RedactionKind } from "./redact.js";
