import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runAskdb } from "../../../server/testing/index.js";

const dir = mkdtempSync(join(tmpdir(), "askdb-cli-eval-compare-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const askdb = (...args: string[]) => runAskdb(join(dir, "data"), ...args);

function line(question: string, match: boolean, totalMs: number): string {
  const timings = { retrievalMs: 0, generationMs: totalMs, executionMs: 0, totalMs };
  const record = { db_id: "db", question, gold: "SELECT 1", predicted: `SELECT ${match ? 1 : 2}`, match, valid: true, error: null, source: "model", attempts: 1, timings };
  return JSON.stringify(record);
}

/** A run of `askdb eval --out`: the questions "q0"… right where `right` says. */
function runFile(name: string, right: boolean[]): string {
  const file = join(dir, name);
  // The last lines are cut off, as a crash leaves them, or no result: they are dropped.
  writeFileSync(file, `${right.map((match, i) => line(`q${i}`, match, 1000 + i)).join("\n")}\nnull\n{"db_id":"db","quest`);
  return file;
}

describe("askdb eval compare", () => {
  const before = runFile("before.jsonl", [false, false, false, false, false, false, false, true]);
  const after = runFile("after.jsonl", [true, true, true, true, true, true, true, true]);

  it("prints both runs, the questions won and lost, and says when the difference is more than chance", async () => {
    const { code, stdout } = await askdb("eval", "compare", before, after);
    expect(code).toBe(0);
    expect(stdout).toContain("8 questions in both runs");
    expect(stdout).toMatch(/right.*1\/8 12\.5 %.*8\/8 100\.0 %/);
    // 7 won, 0 lost: 2 × (½)^7.
    expect(stdout).toContain("won 7, lost 0, the same SQL in 1 of 8: more than chance (p = 0.016");
    expect(stdout).toMatch(/\+ q0\n/);
    expect(stdout).not.toContain("+ q7");
  });

  it("says when a difference is within chance, and gives JSON", async () => {
    const small = runFile("small.jsonl", [false, true, true, false, false, false, false, false]);
    const text = await askdb("eval", "compare", before, small);
    // 2 won, 1 lost: 2 × (1 + 3) / 8, at most 1.
    expect(text.stdout).toContain("won 2, lost 1, the same SQL in 5 of 8: within what chance gives (p = 1.000");
    const { code, stdout } = await askdb("eval", "compare", before, small, "--json");
    expect(code).toBe(0);
    const comparison = JSON.parse(stdout) as { paired: number; won: unknown[]; lost: unknown[]; pValue: number };
    expect(comparison).toMatchObject({
      paired: 8,
      won: [
        { db_id: "db", question: "q1" },
        { db_id: "db", question: "q2" },
      ],
      lost: [{ db_id: "db", question: "q7" }],
      pValue: 1,
    });
  });

  it("refuses a file it cannot read, and runs that share no question, with a hint", async () => {
    const missing = await askdb("eval", "compare", join(dir, "nowhere.jsonl"), after);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("cannot read");
    expect(missing.stderr).toContain("askdb eval --out FILE");
    const other = join(dir, "other.jsonl");
    writeFileSync(other, line("something else", true, 5));
    const disjoint = await askdb("eval", "compare", other, after);
    expect(disjoint.code).not.toBe(0);
    expect(disjoint.stderr).toContain("share no question");
  });
});
