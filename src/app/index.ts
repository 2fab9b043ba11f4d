export { createAskDb } from "./askdb.js";
export type * from "./types.js";
