export { api, ApiError } from "./client.js";
export type { AskOptions } from "./client.js";
export type * from "./types.js";
