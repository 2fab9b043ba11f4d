export * from "./cli.js";
export * from "./harness.js";
