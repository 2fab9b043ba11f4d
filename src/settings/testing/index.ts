export * from "./temp-stores.js";
