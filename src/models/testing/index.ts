export * from "./fetch-test-models.js";
export * from "./file-server.js";
export * from "./fixtures.js";
export * from "./serve-files.js";
