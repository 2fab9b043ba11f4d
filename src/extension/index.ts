export {
  BROWSERS,
  createBrowserExtensions,
  EXTENSION_FLAG,
  isExtensionOrigin,
  type Browser,
  type BrowserExtensions,
  type BrowserExtensionsOptions,
  type ExtensionConnection,
  type Pairing,
  type PairingCode,
  type PairRequest,
} from "./connections.js";
