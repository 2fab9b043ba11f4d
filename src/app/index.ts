export { createAskDb } from "./askdb.js";
export { WARM_STATES, WARM_STEPS } from "./prewarm.js";
export type * from "./types.js";
