import type { Command } from "commander";
import type { BrowserExtensions } from "../../extension/index.js";
import { printJson, printTable } from "../output.js";
import { settingsAction, type JsonOption } from "../askdb.js";

export function registerExtensionCommand(program: Command): void {
  const extension = program
    .command("extension")
    .description("Pair the askdb browser extension, list the paired browsers, revoke one")
    .addHelpText(
      "after",
      `
Examples:
  askdb flags enable browser_extension   the integration is off until you turn it on
  askdb extension pair                   a one-time code to enter in the extension (valid 5 minutes)
  askdb extension list                   paired browsers: tabs, requests, last activity
  askdb extension revoke ext_1234        that browser's credential stops working at once`,
    );

  extension
    .command("pair")
    .description("Show a one-time code to enter in the browser extension")
    .option("--json", "print JSON")
    .addHelpText("after", examples("askdb extension pair", "askdb extension pair --json"))
    .action(
      extensionAction((extensions, options) => {
        const pairing = extensions.createPairingCode();
        if (options.json) return printJson(pairing);
        process.stdout.write(
          `Enter this code in the askdb extension: ${pairing.code}\n  valid until ${pairing.expiresAt}, once\n`,
        );
      }),
    );

  extension
    .command("list")
    .description("List the paired browser extensions")
    .option("--json", "print JSON")
    .addHelpText("after", examples("askdb extension list", "askdb extension list --json"))
    .action(
      extensionAction((extensions, options) => {
        const connections = extensions.connections();
        if (options.json) return printJson(connections);
        printTable(
          ["id", "browser", "origin", "tabs", "requests", "established", "last activity"],
          connections.map((c) => [
            c.id,
            c.browser,
            c.origin,
            c.tabCount,
            c.requestCount,
            c.establishedAt,
            c.lastActivityAt,
          ]),
        );
      }),
    );

  extension
    .command("revoke")
    .description("Revoke a paired extension's credential")
    .argument("<id>", "the connection id from `askdb extension list`")
    .option("--json", "print JSON")
    .addHelpText("after", examples("askdb extension revoke ext_1234"))
    .action(
      extensionAction((extensions, options, id) => {
        extensions.revoke(id);
        if (options.json) return printJson({ revoked: id });
        process.stdout.write(`revoked ${id}\n`);
      }),
    );
}

function extensionAction(
  body: (extensions: BrowserExtensions, options: JsonOption, id: string) => void,
): ReturnType<typeof settingsAction> {
  return settingsAction<JsonOption>(({ extensions }, options, id = "") => body(extensions, options, id));
}

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  ${line}`).join("\n")}`;
}
