/**
 * A real `askdb serve` in a child process (the CLI run from source through tsx, so no build is
 * needed), started in sidecar mode on a free loopback port, that a test can kill -9.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { REPO_ROOT } from "./fixtures.js";

export interface ServeProcess {
  url: string;
  token: string;
  child: ChildProcess;
  /** fetch() with the token. */
  api(path: string, init?: { method?: string; json?: unknown }): Promise<Response>;
  /** SIGKILL, then waits for the process to be gone. */
  kill9(): Promise<void>;
  /** Closes stdin (the sidecar's signal to shut down) and waits for the exit. */
  stop(): Promise<void>;
  /** What the process wrote to stderr so far (for failure messages). */
  stderr(): string;
}

const READY_TIMEOUT_MS = 90_000;

/** The command line of `askdb …args` from source: node --import tsx src/cli/main.ts (the program bin/askdb.js runs from dist). */
export function askdbCommand(args: string[], wrapper: string[] = []): string[] {
  return [...wrapper, process.execPath, "--import", "tsx", "src/cli/main.ts", ...args];
}

/** Starts `askdb …args`, optionally under a wrapper command (e.g. strace). */
export function spawnAskdb(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  wrapper: string[] = [],
): ChildProcess {
  const [command, ...rest] = askdbCommand(args, wrapper);
  return spawn(command, rest, {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: "1", ASKDB_LOG: "silent", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
}

export async function startServeProcess(options: {
  dataDir: string;
  db: string;
  env?: NodeJS.ProcessEnv;
  wrapper?: string[];
}): Promise<ServeProcess> {
  const child = spawnAskdb(
    ["--data-dir", options.dataDir, "serve", "--sidecar", "--port", "0", "--db", options.db],
    options.env,
    options.wrapper,
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = await readyLine(child, () => stderr);
  const url = `http://127.0.0.1:${ready.port}`;
  return {
    url,
    token: ready.token,
    child,
    api: (path, init = {}) =>
      fetch(`${url}${path}`, {
        method: init.method ?? "GET",
        headers: {
          authorization: `Bearer ${ready.token}`,
          ...(init.json === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
      }),
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      child.stdin?.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
    stderr: () => stderr,
  };
}

function readyLine(child: ChildProcess, stderr: () => string): Promise<{ port: number; token: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`askdb serve was not ready within ${READY_TIMEOUT_MS} ms; stderr:\n${stderr()}`));
    }, READY_TIMEOUT_MS);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`askdb serve exited (${code ?? signal}) before it was ready; stderr:\n${stderr()}`));
    });
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (!line.startsWith("{")) return;
      const message = JSON.parse(line) as { event?: string; port?: number; token?: string };
      if (message.event === "ready" && message.port && message.token) {
        clearTimeout(timer);
        resolve({ port: message.port, token: message.token });
      }
    });
  });
}

/** A small seeded generator (mulberry32), so "random moments" repeat from run to run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
