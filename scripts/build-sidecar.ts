/**
 * `npm run build:sidecar [-- --out DIR]`: askdb as one executable for a desktop app's sidecar,
 * named with this machine's target triple (e.g. dist-sidecar/askdb-x86_64-unknown-linux-gnu).
 * Other targets are built on a machine of that platform: see TARGET_TRIPLES.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import pc from "picocolors";
import { buildSidecar } from "./sidecar/build.js";

const { values } = parseArgs({ options: { out: { type: "string", default: "dist-sidecar" } } });
try {
  const started = performance.now();
  const build = buildSidecar(resolve(values.out ?? "dist-sidecar"), (line) => console.log(line));
  console.log(pc.green(`built ${build.binary} in ${Math.round((performance.now() - started) / 1000)} s`));
} catch (error) {
  console.error(`${pc.red("error:")} ${(error as Error).message}`);
  process.exitCode = 1;
}
