import { rmSync } from "node:fs";
import { join } from "node:path";
import { buildSidecar } from "../../scripts/sidecar/build.js";
import { freshDemoHome, scratchDir } from "../support/setup.js";
import { startServe, type AskdbLaunch } from "../support/server-process.js";
import { median, ms } from "../support/stats.js";
import type { BenchContext, FigureGroup, Measurement } from "../support/types.js";

/** Start to ready line of the one-file binary: cold (it unpacks its runtime first) and warm. */
export const sidecarFigures: FigureGroup = {
  ids: ["sidecar-cold", "sidecar-warm"],
  async run(context, selected) {
    const scratch = scratchDir("sidecar");
    const home = await freshDemoHome(context);
    try {
      context.log("building the sidecar binary…");
      const build = buildSidecar(join(scratch.dir, "build"));
      const cache = join(scratch.dir, "cache");
      const launch: AskdbLaunch = { command: build.binary, args: [], env: { ASKDB_SIDECAR_CACHE: cache } };
      const starts = context.quick ? 3 : 7;
      const coldMs = await readyTimes(context, home.dir, launch, starts, () =>
        rmSync(cache, { recursive: true, force: true }),
      );
      const warmMs = await readyTimes(context, home.dir, launch, starts, () => {});
      const details = { binaryBytes: build.sizeBytes, runtimeFiles: build.runtimeFiles };
      const results: Measurement[] = [];
      if (selected.has("sidecar-cold"))
        results.push(
          readyMeasurement("sidecar-cold", "first start, unpacking its runtime", coldMs, 5000, details),
        );
      if (selected.has("sidecar-warm"))
        results.push(
          readyMeasurement("sidecar-warm", "later start, runtime unpacked", warmMs, 1000, details),
        );
      return results;
    } finally {
      home.dispose();
      scratch.dispose();
    }
  },
};

async function readyTimes(
  context: BenchContext,
  dataDir: string,
  launch: AskdbLaunch,
  starts: number,
  beforeEach: () => void,
): Promise<number[]> {
  const times: number[] = [];
  for (let start = 0; start < starts; start += 1) {
    beforeEach();
    const server = await startServe(context, dataDir, launch);
    times.push(server.readyMs);
    await server.stop();
  }
  return times;
}

function readyMeasurement(
  id: string,
  when: string,
  runsMs: number[],
  targetMs: number,
  details: Record<string, unknown>,
): Measurement {
  const p50 = median(runsMs);
  return {
    id,
    figure: `sidecar binary start to ready line, ${when}, p50`,
    measured: ms(p50),
    target: `≤ ${ms(targetMs)}`,
    pass: p50 <= targetMs,
    details: { ...details, runsMs: runsMs.map(Math.round) },
  };
}
