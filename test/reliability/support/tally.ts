/**
 * Per-area counts for the closing summary table: cases tried, refused, and damage found. Each test
 * file keeps one tally per area and writes it, when the file ends, as JSON into the folder named by
 * ASKDB_RELIABILITY_TALLIES (set by vitest.reliability.config.ts); the summary reporter adds them up.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect } from "vitest";
import { TALLY_DIR_ENV, type AreaCounts } from "./tally-dir.js";

export interface Tally {
  tried(count?: number): void;
  refused(count?: number): void;
  note(line: string): void;
  /** Checks a promise that must hold; a broken one counts as damage and fails the test. */
  check(holds: boolean, damage: string): void;
}

let fileSequence = 0;

/** A tally for one area, written out when the current test file ends. */
export function areaTally(area: string): Tally {
  const counts: AreaCounts = { area, tried: 0, refused: 0, damage: 0, damages: [], notes: [] };
  const file = `${process.pid}-${Date.now()}-${(fileSequence += 1)}.json`;
  afterAll(() => {
    const dir = process.env[TALLY_DIR_ENV];
    if (dir) writeFileSync(join(dir, file), JSON.stringify(counts));
  });
  return {
    tried: (count = 1) => void (counts.tried += count),
    refused: (count = 1) => void (counts.refused += count),
    note: (line) => void counts.notes.push(line),
    check(holds, damage) {
      if (!holds) {
        counts.damage += 1;
        counts.damages.push(damage);
      }
      expect(holds, damage).toBe(true);
    },
  };
}
