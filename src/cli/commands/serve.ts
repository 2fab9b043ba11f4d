import type { Command } from "commander";
import { fstatSync } from "node:fs";
import pc from "picocolors";
import type { AskDb } from "../../app/index.js";
import { AskDbError } from "../../errors/index.js";
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  isLoopbackHost,
  startServer,
  type RunningServer,
} from "../../server/index.js";
import { openAskDb } from "../askdb.js";
import { runCommand } from "../output.js";

interface ServeOptions {
  db?: string;
  host: string;
  port: string;
  token?: string;
  sidecar?: boolean;
  parentPid?: string;
}

/** How often a sidecar checks that the process named by --parent-pid is still there. */
const PARENT_POLL_MS = 500;

export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("Serve the web UI and the HTTP API (plus OpenAI-compatible /v1) on one port")
    .option("--db <file>", "the SQLite database to ask about (default: the demo database)")
    .option("--host <address>", "address to listen on; anything but loopback requires a token", DEFAULT_HOST)
    .option("--port <number>", "port to listen on (0: any free port)", String(DEFAULT_PORT))
    .option(
      "--token <token>",
      "access token every client must send (default: this installation's, needed for privileged changes only on loopback)",
    )
    .option("--sidecar", "for desktop apps: print one JSON line when ready, exit when stdin closes")
    .option(
      "--parent-pid <pid>",
      "also exit when the process with this id is gone (for parents that give no stdin pipe: then only this counts)",
    )
    .addHelpText(
      "after",
      `
Examples:
  askdb serve                                   the demo database at http://127.0.0.1:8765
  askdb serve --db shop.sqlite --port 9000
  askdb serve --host 0.0.0.0                    reachable from the network; every request needs the token
  askdb serve --sidecar --port 0                from a Tauri/Electron app: {"event":"ready","port":N,"token":"…"}
  askdb serve --sidecar --port 0 --parent-pid 4242
                                                …also exit when process 4242 is gone`,
    )
    .action((options: ServeOptions, command: Command) =>
      runCommand(false, async () => {
        const sidecar = options.sidecar === true;
        const parentPid = options.parentPid === undefined ? undefined : parsePid(options.parentPid);
        const say = sidecar
          ? (line: string) => process.stderr.write(`${line}\n`)
          : (line: string) => process.stdout.write(`${line}\n`);
        const askdb = await openAskDb(command, { mode: "service", db: options.db, onProgress: say });
        let server: RunningServer;
        try {
          server = await startServer({
            askdb,
            host: options.host,
            port: parsePort(options.port),
            token: options.token,
            requireToken: sidecar,
          });
        } catch (error) {
          await askdb.close();
          throw error;
        }
        const stop = onceShutdown(server, askdb, say);
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
        if (sidecar)
          process.stdout.write(
            `${JSON.stringify({ event: "ready", port: server.port, token: server.token })}\n`,
          );
        // After the ready line, never before it: the app may show its window while the model loads.
        askdb.prewarm();
        if (!sidecar) printBanner(server, askdb);
        exitWithParent({ parentPid, sidecar }, stop);
      }),
    );
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new AskDbError("INVALID_INPUT", `--port must be a number from 0 to 65535 (got "${value}")`);
  }
  return port;
}

function parsePid(value: string): number {
  const pid = Number(value);
  if (!/^\d+$/.test(value) || pid < 1 || pid > 2 ** 31 - 1) {
    throw new AskDbError(
      "INVALID_INPUT",
      `--parent-pid must be a process id, a whole number above 0 (got "${value}")`,
      {
        hint: "pass the id of the app that starts askdb, e.g. process.pid in Node or std::process::id() in Rust",
      },
    );
  }
  if (!isRunning(pid)) {
    throw new AskDbError("INVALID_INPUT", `--parent-pid ${pid}: no such process is running`, {
      hint: "pass the id of the app that starts askdb, while that app runs",
    });
  }
  return pid;
}

function onceShutdown(server: RunningServer, askdb: AskDb, say: (line: string) => void): () => void {
  let stopping = false;
  return () => {
    if (stopping) return;
    stopping = true;
    say("askdb: shutting down…");
    void (async () => {
      await server.close();
      await askdb.close();
      process.exit(0);
    })();
  };
}

function exitWithParent(
  { parentPid, sidecar }: { parentPid?: number; sidecar: boolean },
  stop: () => void,
): void {
  if (parentPid !== undefined) exitWhenProcessIsGone(parentPid, stop);
  // With --parent-pid, a stdin that is no pipe (/dev/null, a terminal) says nothing about the parent.
  if (sidecar && (parentPid === undefined || stdinIsPipe())) exitWhenStdinCloses(stop);
}

function stdinIsPipe(): boolean {
  const stdin = fstatSync(0);
  return stdin.isFIFO() || stdin.isSocket();
}

/** A sidecar's stdin is a pipe from the desktop app; it closes when the app exits or crashes. */
function exitWhenStdinCloses(stop: () => void): void {
  process.stdin.on("end", stop);
  process.stdin.on("close", stop);
  process.stdin.on("error", stop);
  process.stdin.resume();
}

/** For parents that give the sidecar no stdin pipe: poll, since no portable event tells a process's end. */
function exitWhenProcessIsGone(pid: number, stop: () => void): void {
  const timer = setInterval(() => {
    if (isRunning(pid)) return;
    clearInterval(timer);
    stop();
  }, PARENT_POLL_MS);
  timer.unref();
}

/** Signal 0 checks existence only; EPERM means it runs under another user, i.e. it is there. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function printBanner(server: RunningServer, askdb: AskDb): void {
  const status = askdb.describe();
  const lines = [
    "",
    `  ${pc.bold("askdb")} ${askdb.version} is ready`,
    "",
    `  ${pc.bold("Open")}      ${pc.cyan(server.openUrl)}`,
    `  Database  ${status.database}`,
    `  Model     ${status.model}`,
    `  API       ${server.url}/openapi.json  ·  OpenAI-compatible: ${server.url}/v1`,
    `  Token     ${server.token}${pc.dim(`  ${tokenNote(server)}`)}`,
  ];
  if (!isLoopbackHost(server.host))
    lines.push(
      pc.yellow(`  Listening on ${server.host}: reachable from the network; every request needs the token`),
    );
  if (!server.webUiBuilt)
    lines.push("", pc.yellow("  web UI not built: run npm run build:web (the API works without it)"));
  lines.push("", pc.dim("  Ctrl+C to stop"), "");
  process.stdout.write(lines.join("\n") + "\n");
}

/** Where the token lives and what needs it: the address above hands it to a browser once. */
function tokenNote(server: RunningServer): string {
  const kept = server.tokenFile ? `kept in ${server.tokenFile}; ` : "";
  const needed = server.tokenEverywhere
    ? "every request needs it"
    : "changing backends, privacy or files needs it";
  return `${kept}${needed} (Authorization: Bearer …)`;
}
