import { execFile, spawn, type ChildProcess } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** `askdb <args>` from the sources (node + tsx), as a test spawns the real CLI. */
export function askdbCommand(args: string[]): { command: string; args: string[]; cwd: string } {
  return {
    command: process.execPath,
    args: ["--import", "tsx", join(REPO_ROOT, "src/cli/main.ts"), ...args],
    cwd: REPO_ROOT,
  };
}

export function spawnAskdb(args: string[]): ChildProcess {
  const { command, args: fullArgs, cwd } = askdbCommand(args);
  return spawn(command, fullArgs, {
    cwd,
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, ASKDB_LOG: "warn" },
  });
}

/** The first line the process writes to stdout. */
export function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolveLine, reject) => {
    let buffered = "";
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const newline = buffered.indexOf("\n");
      if (newline !== -1) resolveLine(buffered.slice(0, newline));
    });
    child.once("exit", (code) =>
      reject(new Error(`askdb exited (${code}) before writing a line; stderr: ${stderr}`)),
    );
  });
}

export function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolveExit) => child.once("exit", (code) => resolveExit(code)));
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `askdb <args>` to completion with `--data-dir dataDir`, colours off; never throws on a non-zero exit. */
export async function runAskdb(dataDir: string, ...args: string[]): Promise<CliRun> {
  const { command, args: fullArgs, cwd } = askdbCommand(["--data-dir", dataDir, ...args]);
  try {
    const { stdout, stderr } = await promisify(execFile)(command, fullArgs, {
      cwd,
      env: { ...process.env, NO_COLOR: "1" },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as CliRun;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
