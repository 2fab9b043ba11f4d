import { describe, expect, it } from "vitest";
import { AskDbError } from "../errors/index.js";
import { CATALOG_TAGS, SIZE_CLASSES, getCatalogEntry, listCatalog, recommendForMachine } from "./index.js";

const GB = 1_000_000_000;

describe("catalog", () => {
  const entries = listCatalog();

  it("has every model the issue asks for, and at least two embedding models", () => {
    const ids = entries.map((entry) => entry.id);
    for (const id of [
      "qwen2.5-coder-1.5b",
      "qwen2.5-coder-3b",
      "qwen2.5-3b",
      "qwen2.5-coder-7b",
      "llama-3.2-3b",
      "phi-3.5-mini",
      "tinyllama-1.1b",
      "mistral-7b",
    ]) {
      expect(ids).toContain(id);
    }
    expect(entries.filter((entry) => entry.kind === "embedding").length).toBeGreaterThanOrEqual(2);
    expect(getCatalogEntry("qwen2.5-coder-1.5b").recommended).toBe(true);
  });

  it.each(entries.map((entry) => [entry.id, entry] as const))("%s is well-formed", (_id, entry) => {
    expect(entry.id).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
    expect(entry.name.length).toBeGreaterThan(3);
    expect(entry.description.length).toBeGreaterThan(10);
    expect(entry.hfRepo).toMatch(/^[\w.-]+\/[\w.-]+$/);
    expect(entry.fileName).toMatch(/\.gguf$/);
    expect(entry.revision).toMatch(/^(main|[0-9a-f]{40})$/);
    expect(Number.isInteger(entry.sizeBytes) && entry.sizeBytes > 1_000_000).toBe(true);
    if (entry.sha256 !== null) expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(entry.parameters).toBeGreaterThan(1_000_000);
    expect(entry.quantization).toMatch(/^(Q\d_K_[SM]|Q\d_\d|F16)$/);
    expect(entry.contextLength).toBeGreaterThanOrEqual(512);
    expect(entry.license.length).toBeGreaterThan(2);
    for (const tag of entry.tags) expect(CATALOG_TAGS).toContain(tag);
    expect(entry.tags.filter((tag) => (SIZE_CLASSES as readonly string[]).includes(tag))).toHaveLength(1);
    expect(entry.tags.includes("embedding")).toBe(entry.kind === "embedding");
    expect(entry.minRamBytes).toBeGreaterThan(entry.sizeBytes);
  });

  it("has unique ids and unique files", () => {
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    expect(new Set(entries.map((e) => `${e.hfRepo}/${e.fileName}`)).size).toBe(entries.length);
  });

  it("filters by size, tag and kind", () => {
    expect(listCatalog({ tag: "embedding" }).every((e) => e.kind === "embedding")).toBe(true);
    expect(listCatalog({ size: "large" }).map((e) => e.id)).toEqual(
      expect.arrayContaining(["qwen2.5-coder-7b", "mistral-7b"]),
    );
    expect(listCatalog({ size: "small", tag: "sql" }).map((e) => e.id)).toEqual(["qwen2.5-coder-1.5b"]);
    expect(listCatalog({ kind: "embedding" }).length).toBeGreaterThanOrEqual(2);
  });

  it("rejects an unknown tag, size or id with a hint", () => {
    expect(() => listCatalog({ tag: "nope" })).toThrow(/unknown tag/);
    expect(() => listCatalog({ size: "huge" as never })).toThrow(/unknown size/);
    try {
      getCatalogEntry("gpt-5");
      expect.unreachable();
    } catch (error) {
      expect((error as AskDbError).code).toBe("NOT_FOUND");
      expect((error as AskDbError).hint).toContain("askdb models list");
    }
  });

  it("recommends by free RAM and CPU cores", () => {
    const many = { cpuCores: 16 };
    expect(recommendForMachine(1 * GB, many).entry.minRamBytes).toBeLessThanOrEqual(2 * GB);
    expect(recommendForMachine(1 * GB, many).fits).toBe(false);
    expect(recommendForMachine(3 * GB, many).entry.id).toBe("qwen2.5-coder-1.5b");
    expect(recommendForMachine(6 * GB, many).entry.id).toBe("qwen2.5-coder-3b");
    expect(recommendForMachine(64 * GB, many).entry.id).toBe("qwen2.5-coder-7b");
    expect(recommendForMachine(64 * GB, { cpuCores: 2 }).entry.id).toBe("qwen2.5-coder-1.5b");
    expect(recommendForMachine(64 * GB, { cpuCores: 4 }).entry.tags).toContain("medium");
    expect(recommendForMachine(8 * GB, { kind: "embedding" }).entry.kind).toBe("embedding");
  });
});
