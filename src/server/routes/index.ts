import type { RouteContext, ServerApp } from "../context.js";
import { registerDatabaseRoutes } from "./databases.js";
import { registerDocsRoutes } from "./docs.js";
import { registerDownloadRoutes } from "./downloads.js";
import { registerExtensionRoutes } from "./extension.js";
import { registerHealthRoutes } from "./health.js";
import { registerHistoryRoutes } from "./history.js";
import { registerKnowledgeRoutes } from "./knowledge.js";
import { registerMetricsRoutes } from "./metrics.js";
import { registerModelRoutes } from "./models.js";
import { registerQueryRoutes } from "./query.js";
import { registerSettingsRoutes } from "./settings.js";
import { registerStatusRoutes } from "./status.js";
import { registerV1Routes } from "./v1.js";

/** Every route module, each registering the routes of one resource. Metrics first: it counts the rest. */
export const routeModules: Array<(app: ServerApp, context: RouteContext) => void> = [
  registerMetricsRoutes,
  registerHealthRoutes,
  registerStatusRoutes,
  registerQueryRoutes,
  registerKnowledgeRoutes,
  registerHistoryRoutes,
  registerDownloadRoutes,
  registerModelRoutes,
  registerSettingsRoutes,
  registerDatabaseRoutes,
  registerExtensionRoutes,
  registerV1Routes,
  registerDocsRoutes,
];
