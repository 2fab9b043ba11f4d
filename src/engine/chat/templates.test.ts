import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPromptTemplate, renderPrompt, renderTemplate } from "./templates.js";

describe("prompt templates", () => {
  it("fills {{variables}} and refuses a missing one", () => {
    expect(renderTemplate("Hello {{ name }}, {{n}} rows", { name: "Ada", n: 3 })).toBe("Hello Ada, 3 rows");
    expect(() => renderTemplate("Hello {{name}}", {})).toThrow(/"name" has no value/);
  });

  it("reads the shipped templates from prompts/ and others from a given folder (.md or .txt)", () => {
    expect(renderPrompt("chat-system", { date: "2026-01-02" })).toContain("2026-01-02");
    expect(loadPromptTemplate("tools")).toContain("{{tools}}");
    const dir = mkdtempSync(join(tmpdir(), "askdb-prompts-"));
    try {
      writeFileSync(join(dir, "greeting.txt"), "Hi {{who}}\n");
      expect(renderPrompt("greeting", { who: "Bo" }, dir)).toBe("Hi Bo");
      expect(() => loadPromptTemplate("absent", dir)).toThrow(/not found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
