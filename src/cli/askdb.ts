import type { Command } from "commander";
import { createAskDb, type AskDb, type AskDbOptions } from "../app/index.js";
import { runCommand } from "./output.js";

/** What a command may choose of the askdb it works with; the data directory comes from `--data-dir`. */
export type CommandAskDbOptions = Omit<AskDbOptions, "dataDir" | "env">;

/**
 * askdb as a command builds it: through `createAskDb`, like `askdb serve`, so every command honours
 * the same settings (backend order, Ollama, limits, models folder). One-shot commands run in the
 * "command" mode (nothing left running); `serve` and `mcp` ask for the "service" mode.
 */
export function openAskDb(command: Command, options: CommandAskDbOptions = {}): Promise<AskDb> {
  const { dataDir } = command.optsWithGlobals<{ dataDir?: string }>();
  return createAskDb({ mode: "command", ...options, ...(dataDir ? { dataDir } : {}) });
}

/** Opens askdb for one command, runs `body` and always closes askdb afterwards. */
export async function withAskDb<T>(
  command: Command,
  options: CommandAskDbOptions,
  body: (askdb: AskDb) => Promise<T> | T,
): Promise<T> {
  const askdb = await openAskDb(command, options);
  try {
    return await body(askdb);
  } finally {
    await askdb.close();
  }
}

export interface JsonOption {
  json?: boolean;
}

/** The parts of askdb that commands about settings, flags, models and the extension use. */
export type SettingsContext = Pick<
  AskDb,
  "store" | "settings" | "flags" | "models" | "extensions" | "clearHistory"
>;

/**
 * A commander action for a command that needs no database: opens askdb without one, runs `body`
 * with the options and positional arguments, reports failures (as JSON with --json) and closes askdb.
 */
export function settingsAction<O extends JsonOption>(
  body: (context: SettingsContext, options: O, ...args: string[]) => unknown,
): (...params: unknown[]) => Promise<void> {
  return (...params) => {
    const command = params.at(-1) as Command;
    const options = params.at(-2) as O;
    const args = params.slice(0, -2) as string[];
    return runCommand(options.json === true, () =>
      withAskDb(command, { openDatabase: false }, async (askdb) => {
        await body(askdb, options, ...args);
      }),
    );
  };
}
