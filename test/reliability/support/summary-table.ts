import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import Table from "cli-table3";
import type { Reporter } from "vitest/node";
import { TALLY_DIR_ENV, type AreaCounts } from "./tally-dir.js";

/** Prints "area | cases tried | refused | damage found" after the run, from the tallies the test files wrote. */
export default class ReliabilitySummary implements Reporter {
  onTestRunEnd(): void {
    const dir = process.env[TALLY_DIR_ENV];
    if (!dir) return;
    const byArea = new Map<string, AreaCounts>();
    for (const name of readdirSync(dir).sort()) {
      const counts = JSON.parse(readFileSync(join(dir, name), "utf8")) as AreaCounts;
      const sum = byArea.get(counts.area);
      if (!sum) byArea.set(counts.area, counts);
      else {
        sum.tried += counts.tried;
        sum.refused += counts.refused;
        sum.damage += counts.damage;
        sum.damages.push(...counts.damages);
        sum.notes.push(...counts.notes);
      }
    }
    rmSync(dir, { recursive: true, force: true });
    const table = new Table({
      head: ["area", "cases tried", "refused", "damage found", "notes"],
      style: { head: [], border: [] },
    });
    let damage = 0;
    for (const counts of [...byArea.values()].sort((a, b) => a.area.localeCompare(b.area))) {
      damage += counts.damage;
      table.push([counts.area, counts.tried, counts.refused, counts.damage, counts.notes.join("\n")]);
    }
    process.stdout.write(`\nReliability summary\n${table.toString()}\n`);
    process.stdout.write(`Damage found: ${damage}${damage === 0 ? "" : " (must be 0)"}\n`);
    for (const counts of byArea.values())
      for (const line of counts.damages) process.stdout.write(`  damage in ${counts.area}: ${line}\n`);
  }
}
