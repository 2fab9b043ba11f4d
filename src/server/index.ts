export { startServer, DEFAULT_HOST, DEFAULT_PORT, type ServerOptions, type RunningServer } from "./listen.js";
export { createHttpApp, type HttpAppOptions } from "./http-app.js";
export { createLogger, type Logger } from "./logger.js";
export { createMcpServer, serveMcpOverStdio } from "./mcp/index.js";
export { generateToken, isLoopbackHost } from "./security/index.js";
