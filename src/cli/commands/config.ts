import type { Command } from "commander";
import pc from "picocolors";
import { isLoopbackUrl } from "../../engine/index.js";
import { AskDbError } from "../../errors/index.js";
import {
  assertSettingKey,
  parseSettingText,
  type SettingDescription,
  type SettingsService,
} from "../../settings/index.js";
import { settingsAction, type JsonOption } from "../askdb.js";
import { formatSettingValue, printJson, printTable } from "../output.js";

const SOURCE_LABEL: Record<SettingDescription["source"], string> = {
  default: "default",
  stored: "set",
  env: "environment",
  flag: "command line",
};

export function registerConfigCommand(program: Command): void {
  const config = program
    .command("config")
    .description(
      "Show and change askdb's settings (kept in the data directory; ASKDB_* variables override them)",
    )
    .addHelpText(
      "after",
      `
Examples:
  askdb config list                                  every setting, its value and where it comes from
  askdb config get engine.threads
  askdb config set engine.threads 4
  askdb config set backend.order llamacpp,ollama     try local llama.cpp first, then Ollama
  askdb config set privacy.historyRetention 7d       keep history for a week (session, 12h, 30d, forever)
  askdb config set server.allowedOrigins tauri://localhost
  askdb config reset engine.threads                  back to the default
  askdb config clear-history --yes                   delete every question and conversation now`,
    );

  config
    .command("list")
    .description("List every setting with its value, source and meaning")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      `
Examples:
  askdb config list
  askdb config list --json`,
    )
    .action(
      settingsAction<JsonOption>(({ settings }, options) => {
        const entries = settings.describe();
        if (options.json) return printJson(entries);
        printTable(
          ["setting", "value", "source", "description"],
          entries.map((entry) => [
            entry.key,
            Array.isArray(entry.value) && entry.value.length === 0
              ? pc.dim("(none)")
              : formatSettingValue(entry.value),
            sourceLabel(entry),
            entry.description,
          ]),
        );
        for (const entry of entries) if (entry.warning) warn(`${entry.key}: ${entry.warning}`);
      }),
    );

  config
    .command("get")
    .description("Print one setting's value")
    .argument("<key>", "the setting, e.g. engine.threads")
    .option("--json", "print JSON with the default, source and allowed values")
    .addHelpText(
      "after",
      `
Examples:
  askdb config get engine.threads
  askdb config get privacy.historyRetention --json   default, source and allowed values`,
    )
    .action(
      settingsAction<JsonOption>(({ settings }, options, key: string) => {
        const entry = describeKey(settings, key);
        if (options.json) return printJson(entry);
        process.stdout.write(`${formatSettingValue(entry.value)}\n`);
      }),
    );

  config
    .command("set")
    .description("Change a setting (validated; the allowed values are shown when a value does not fit)")
    .argument("<key>", "the setting, e.g. engine.threads")
    .argument("<value>", "the new value: 4, true, null, llamacpp,ollama, 7d …")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      `
Examples:
  askdb config set engine.threads 4
  askdb config set backend.order ollama,llamacpp
  askdb config set engine.contextSize null          back to automatic
  askdb config set models.dir /data/models`,
    )
    .action(
      settingsAction<JsonOption>(({ settings }, options, key: string, text: string) => {
        assertSettingKey(key);
        const entry = settings.set(key, parseSettingText(key, text));
        if (options.json) return printJson(entry);
        process.stdout.write(`${entry.key} = ${formatSettingValue(entry.stored)}\n`);
        noteOverride(entry);
        noteRemote(entry, settings);
        noteReadAtStart(entry);
      }),
    );

  config
    .command("reset")
    .description("Forget a stored setting so its default applies again")
    .argument("[key]", "the setting to reset")
    .option("--all", "reset every setting")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      `
Examples:
  askdb config reset engine.threads
  askdb config reset --all`,
    )
    .action(
      settingsAction<JsonOption & { all?: boolean }>(({ settings }, options, key: string | undefined) => {
        if (options.all) {
          settings.resetAll();
          return options.json
            ? printJson(settings.describe())
            : void process.stdout.write("every setting is back to its default\n");
        }
        if (!key)
          throw new AskDbError("INVALID_INPUT", "name the setting to reset", {
            hint: "e.g. `askdb config reset engine.threads`, or `--all`",
          });
        const entry = settings.reset(key);
        if (options.json) return printJson(entry);
        process.stdout.write(`${entry.key} = ${formatSettingValue(entry.value)} (${sourceLabel(entry)})\n`);
        noteOverride(entry);
      }),
    );

  config
    .command("clear-history")
    .description("Delete every question, conversation and cached answer now (trained examples are kept)")
    .option("--yes", "confirm: without it nothing is deleted")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      `
Examples:
  askdb config clear-history --yes`,
    )
    .action(
      settingsAction<JsonOption & { yes?: boolean }>((askdb, options) => {
        if (!options.yes) {
          throw new AskDbError("INVALID_INPUT", "clearing history cannot be undone, so it needs --yes", {
            hint: "run `askdb config clear-history --yes`",
          });
        }
        const result = askdb.clearHistory();
        if (options.json) return printJson(result);
        process.stdout.write(
          `deleted ${result.history} questions, ${result.conversations} conversations (${result.messages} messages) and ${result.cachedAnswers} cached answers\n`,
        );
      }),
    );
}

function describeKey(settings: SettingsService, key: string): SettingDescription {
  assertSettingKey(key);
  return settings.describe().find((item) => item.key === key) as SettingDescription;
}

function sourceLabel(entry: SettingDescription): string {
  return entry.source === "env" ? `${SOURCE_LABEL.env} (${entry.env})` : SOURCE_LABEL[entry.source];
}

/** A backend URL off this machine is refused until the person allows remote backends: say so now. */
function noteRemote(entry: SettingDescription, settings: SettingsService): void {
  const url = entry.value;
  if (typeof url !== "string" || !entry.key.endsWith(".url") || settings.get("privacy.allowRemote")) return;
  if (isLoopbackUrl(url)) return;
  warn(
    `${url} is not on this machine; askdb will not send it anything until you run \`askdb config set privacy.allowRemote true\``,
  );
}

/** A setting read only when askdb starts (HTTP may not change it): a running server keeps the old value. */
function noteReadAtStart(entry: SettingDescription): void {
  if (entry.http === "terminal") warn(`a running \`askdb serve\` uses the new ${entry.key} after a restart`);
}

function noteOverride(entry: SettingDescription): void {
  if (entry.source === "env") {
    warn(
      `${entry.env}=${formatSettingValue(entry.value)} overrides it in this environment; unset it to use the stored value`,
    );
  } else if (entry.source === "flag") {
    warn(`a command-line option overrides it for this run (${formatSettingValue(entry.value)})`);
  }
}

function warn(message: string): void {
  process.stderr.write(`${pc.yellow("note:")} ${message}\n`);
}
