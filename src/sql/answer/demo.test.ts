import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TRAINING_DIR } from "../../demo/index.js";
import { openStore, type Store } from "../../store/index.js";
import { readTrainingDirectory } from "../knowledge/index.js";
import { createTextToSql, ensureDemoTrained, type TextToSql } from "./index.js";

describe("the demo with no model installed", () => {
  let dir: string;
  let store: Store;
  let t2s: TextToSql;
  let path: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "askdb-demo-"));
    store = openStore(join(dir, "data"));
    t2s = createTextToSql({ store });
    const first = await ensureDemoTrained(t2s, dir);
    path = first.path;
    expect(first.trained?.refused).toEqual([]);
  });
  afterAll(async () => {
    await t2s.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("trains once: a second call finds the training in place", async () => {
    expect((await ensureDemoTrained(t2s, dir)).trained).toBeUndefined();
  });

  it("answers every trained question, and a rewording of it, with its own SQL", async () => {
    const pairs = readTrainingDirectory(DEMO_TRAINING_DIR).pairs;
    for (const pair of pairs) {
      const answer = await t2s.ask(path, pair.question, { useCache: false });
      expect(answer.source, pair.question).toBe("example");
      expect(answer.sql, pair.question).toBe(pair.sql);
      const reworded = await t2s.ask(path, `${pair.question.toLowerCase().replace(/[?.!]+$/, "")}, please?`, {
        useCache: false,
      });
      expect(reworded.sql, pair.question).toBe(pair.sql);
    }
  });
});
