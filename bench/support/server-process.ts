import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { BenchContext } from "./types.js";

export interface ServeProcess {
  url: string;
  token: string;
  /** From spawn to the sidecar's ready line. */
  readyMs: number;
  child: ChildProcess;
  /** Resident memory of the server process now, in bytes (Linux /proc). */
  rssBytes(): number;
  stop(): Promise<void>;
}

/** How to start askdb: Node with the package's bin/askdb.js by default, or the sidecar binary. */
export interface AskdbLaunch {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

export function packageLaunch(context: BenchContext): AskdbLaunch {
  return { command: process.execPath, args: [join(context.repoRoot, "bin", "askdb.js")] };
}

/** `askdb serve --sidecar --port 0` as a desktop app starts it, on `dataDir`. */
export async function startServe(
  context: BenchContext,
  dataDir: string,
  launch: AskdbLaunch = packageLaunch(context),
): Promise<ServeProcess> {
  const started = performance.now();
  const child = spawn(launch.command, [...launch.args, "serve", "--sidecar", "--port", "0"], {
    cwd: context.repoRoot,
    env: { ...process.env, ...launch.env, ASKDB_HOME: dataDir },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, "exit").then(() => {
    throw new Error(`askdb serve exited before it was ready: ${stderr.trim().slice(-500)}`);
  });
  const [line] = (await Promise.race([once(lines, "line"), exited])) as [string];
  const readyMs = performance.now() - started;
  const ready = JSON.parse(line) as { event: string; port: number; token: string };
  return {
    url: `http://127.0.0.1:${ready.port}`,
    token: ready.token,
    readyMs,
    child,
    rssBytes: () =>
      Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? Number.NaN) *
      1024,
    stop: async () => {
      exited.catch(() => undefined);
      if (child.exitCode !== null) return;
      const gone = once(child, "exit");
      child.stdin?.end(); // a sidecar exits when its parent's pipe closes
      await gone;
    },
  };
}
