export { formatBytes, formatDuration } from "./format.js";
export { newId } from "./ids.js";
