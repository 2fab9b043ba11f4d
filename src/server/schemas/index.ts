/**
 * Every shape of the HTTP API, as zod schemas (one file per area). Route files import their shapes
 * from here only. Each shape the web UI uses is a named OpenAPI component (`.openapi("Answer")`),
 * so /openapi.json lists it under components.schemas, and web/src/api/generated.ts is generated
 * from that document (`npm run gen:web-types`). Shapes that mirror a domain type carry a
 * compile-time check that they are that type exactly (see exact.ts).
 */
export * from "./common.js";
export * from "./answer.js";
export * from "./history.js";
export * from "./knowledge.js";
export * from "./models.js";
export * from "./status.js";
export * from "./settings.js";
export * from "./extension.js";
export * from "./openai.js";
export * from "./docs.js";
export type { Exact } from "./exact.js";
