import { resolve } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { registerConfigCommand } from "../cli/commands/config.js";
import { registerExtensionCommand } from "../cli/commands/extension.js";
import { registerFlagsCommand } from "../cli/commands/flags.js";
import { registerStatusCommand } from "../cli/commands/status.js";
import { createTempStores } from "./testing/temp-stores.js";

const stores = createTempStores();
afterEach(() => {
  stores.cleanup();
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

interface Run {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs `askdb …` in-process with only the commands that work on the state store, as program.ts wires them. */
async function askdb(dataDir: string, ...args: string[]): Promise<Run> {
  const program = new Command("askdb").option("--data-dir <dir>").exitOverride();
  for (const register of [
    registerConfigCommand,
    registerFlagsCommand,
    registerExtensionCommand,
    registerStatusCommand,
  ])
    register(program);
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  process.exitCode = undefined;
  try {
    await program.parseAsync(["--data-dir", dataDir, ...args], { from: "user" });
  } finally {
    vi.restoreAllMocks();
  }
  const exitCode = typeof process.exitCode === "number" ? process.exitCode : 0;
  process.exitCode = undefined;
  // Colours are on wherever CI is set (picocolors); the assertions read the text.
  return { stdout: stripVTControlCharacters(stdout), stderr: stripVTControlCharacters(stderr), exitCode };
}

describe("askdb config", () => {
  it("sets, gets, lists and resets a setting, kept across runs", async () => {
    const dataDir = stores.dataDir();
    expect(await askdb(dataDir, "config", "set", "engine.threads", "4")).toMatchObject({
      stdout: "engine.threads = 4\n",
      exitCode: 0,
    });
    expect((await askdb(dataDir, "config", "get", "engine.threads")).stdout).toBe("4\n");
    const listed = JSON.parse((await askdb(dataDir, "config", "list", "--json")).stdout) as Array<{
      key: string;
      source: string;
    }>;
    expect(listed.find((entry) => entry.key === "engine.threads")?.source).toBe("stored");
    await askdb(dataDir, "config", "reset", "engine.threads");
    expect((await askdb(dataDir, "config", "get", "engine.threads")).stdout).toBe("null\n");
  });

  it("refuses a bad value with exit code 2 and the allowed values", async () => {
    const run = await askdb(stores.dataDir(), "config", "set", "query.maxRows", "lots");
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('"lots" is not a valid query.maxRows');
    expect(run.stderr).toContain("askdb config set query.maxRows 5000");
  });

  it("warns when a backend URL is off this machine while remote backends are not allowed", async () => {
    const dataDir = stores.dataDir();
    const remote = await askdb(dataDir, "config", "set", "ollama.url", "http://gpu-box:11434");
    expect(remote.stderr).toContain("askdb config set privacy.allowRemote true");
    expect((await askdb(dataDir, "config", "set", "ollama.url", "http://127.0.0.1:11434")).stderr).toBe("");
  });

  it("takes privileged settings without a token, any variable name and relative database paths (the terminal is the user)", async () => {
    const dataDir = stores.dataDir();
    expect(await askdb(dataDir, "config", "set", "openai.apiKeyEnv", "HOME")).toMatchObject({
      stdout: "openai.apiKeyEnv = HOME\n",
      exitCode: 0,
    });
    const allowed = await askdb(dataDir, "config", "set", "databases.allowed", "reports,/data/shop.sqlite");
    expect(allowed.stdout).toBe(`databases.allowed = ${resolve("reports")},/data/shop.sqlite\n`);
    const modelsDir = await askdb(dataDir, "config", "set", "models.dir", "/data/models");
    expect(modelsDir.stderr).toMatch(/running `askdb serve` uses the new models\.dir after a restart/);
  });

  it("answers errors as JSON with --json", async () => {
    const run = await askdb(stores.dataDir(), "config", "get", "engine.thread", "--json");
    expect(JSON.parse(run.stdout)).toMatchObject({
      error: { code: "INVALID_INPUT", hint: expect.stringContaining("engine.threads") },
    });
  });

  it("clears history only when confirmed", async () => {
    const dataDir = stores.dataDir();
    const store = stores.open(dataDir);
    store.db
      .prepare("INSERT INTO history (id, db_id, question, created_at) VALUES ('h', 'db', 'q', 'now')")
      .run();
    expect((await askdb(dataDir, "config", "clear-history")).exitCode).toBe(2);
    expect(store.db.prepare("SELECT count(*) FROM history").pluck().get()).toBe(1);
    expect((await askdb(dataDir, "config", "clear-history", "--yes")).stdout).toContain(
      "deleted 1 questions",
    );
    expect(store.db.prepare("SELECT count(*) FROM history").pluck().get()).toBe(0);
  });
});

describe("askdb flags", () => {
  it("enables and disables flags, naming what else changed", async () => {
    const dataDir = stores.dataDir();
    expect((await askdb(dataDir, "flags", "disable", "follow_up_rewrite")).stdout).toBe(
      "follow_up_rewrite is off\n",
    );
    const refused = await askdb(dataDir, "flags", "enable", "chat_branching");
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(
      "cannot enable chat_branching: it needs follow_up_rewrite, which is off",
    );
    const enabled = await askdb(dataDir, "flags", "enable", "chat_branching", "--with-prerequisites");
    expect(enabled.stdout).toBe("chat_branching is on\n  also turned on: follow_up_rewrite\n");
    const disabled = await askdb(dataDir, "flags", "disable", "follow_up_rewrite");
    expect(disabled.stdout).toContain("also turned off: chat_branching");
    const flags = JSON.parse((await askdb(dataDir, "flags", "list", "--json")).stdout) as Array<{
      id: string;
      enabled: boolean;
    }>;
    expect(flags.find((flag) => flag.id === "chat_branching")?.enabled).toBe(false);
  });
});

describe("askdb extension", () => {
  it("gives a pairing code only once the flag is on, and lists and revokes connections", async () => {
    const dataDir = stores.dataDir();
    const off = await askdb(dataDir, "extension", "pair");
    expect(off.exitCode).toBe(1);
    expect(off.stderr).toContain("askdb flags enable browser_extension");
    await askdb(dataDir, "flags", "enable", "browser_extension");
    expect((await askdb(dataDir, "extension", "pair")).stdout).toMatch(
      /code in the askdb extension: \w{4}-\w{4}\n/,
    );
    expect(JSON.parse((await askdb(dataDir, "extension", "list", "--json")).stdout)).toEqual([]);
    const unknown = await askdb(dataDir, "extension", "revoke", "ext_none");
    expect(unknown.stderr).toContain("askdb extension list");
  });
});

describe("askdb status", () => {
  it("reports resources, privacy and flags as JSON", async () => {
    const run = await askdb(stores.dataDir(), "status", "--json", "--no-gpu");
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      privacy: { historyRetention: "30d", allowRemote: false, telemetry: "none" },
      backends: ["llamacpp"],
      models: { installed: 0, activeLlm: null },
      resources: { gpu: null, ollama: null },
      browserExtension: {
        enabled: false,
        connected: false,
        count: 0,
        lastConnectionAt: null,
        protocolVersion: 1,
        contextRetention: "session",
      },
    });
    expect(report.resources.memory.totalBytes).toBeGreaterThan(0);
    expect(report.resources.disk.freeBytes).toBeGreaterThan(0);
    expect(report.enabledFlags).toContain("auto_models");
  });

  it("prints a readable summary", async () => {
    const { stdout } = await askdb(stores.dataDir(), "status", "--no-gpu");
    expect(stdout).toMatch(/privacy\s+history kept 30 days, remote backends off, no telemetry/);
    expect(stdout).toMatch(/disk\s+.* free of /);
  });
});
