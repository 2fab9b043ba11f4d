export * from "./cli.js";
export * from "./harness.js";
export * from "./throwaway-app.js";
