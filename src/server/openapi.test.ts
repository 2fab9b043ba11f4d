import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compileErrors, validate } from "@readme/openapi-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerApp } from "./context.js";
import { openThrowawayApp, type ThrowawayApp } from "./testing/index.js";

const API_DOC = fileURLToPath(new URL("../../docs/api.md", import.meta.url));
/** Answered by the server but not API operations: the document itself and the web UI's page. */
const NOT_OPERATIONS = new Set(["GET /openapi.json", "GET /"]);

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
}

describe("the OpenAPI document at /openapi.json", () => {
  let throwaway: ThrowawayApp;
  let app: ServerApp;
  let document: OpenApiDocument;

  beforeAll(async () => {
    throwaway = await openThrowawayApp();
    app = throwaway.app;
    document = (await throwaway.openApiDocument()) as OpenApiDocument;
  });
  afterAll(() => throwaway.close());

  it("validates as OpenAPI 3.1", async () => {
    expect(document.openapi).toBe("3.1.0");
    // validate() dereferences in place: give it a copy so the other tests see the document as served.
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
  });

  it("documents exactly the routes the server answers", () => {
    const served = servedOperations(app);
    expect(served).toContain("POST /query");
    expect(documentedOperations(document)).toEqual(served);
  });

  it("gives every operation at least one response", () => {
    const withoutResponses = documentedOperations(document).filter((operation) => {
      const [method, path] = operation.split(" ");
      return Object.keys(document.paths[path][method.toLowerCase()].responses ?? {}).length === 0;
    });
    expect(withoutResponses).toEqual([]);
  });

  it("has every operation described in docs/api.md", () => {
    const apiDoc = readFileSync(API_DOC, "utf8");
    expect(documentedOperations(document).filter((operation) => !apiDoc.includes(operation))).toEqual([]);
  });
});

function documentedOperations(document: OpenApiDocument): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

/** The app's own route table, in OpenAPI's path syntax (`:id` → `{id}`), without middleware. */
function servedOperations(app: ServerApp): string[] {
  const operations = app.routes
    .filter((route) => route.method !== "ALL")
    .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, "{$1}")}`)
    .filter((operation) => !NOT_OPERATIONS.has(operation));
  return [...new Set(operations)].sort();
}
