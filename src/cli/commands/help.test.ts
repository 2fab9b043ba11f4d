import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { createProgram } from "../program.js";

/** Every command below `askdb`, with its full name ("models pull"). */
function allCommands(command: Command, prefix = ""): Array<{ name: string; command: Command }> {
  return command.commands.flatMap((sub) => {
    const name = `${prefix}${sub.name()}`;
    return [{ name, command: sub }, ...allCommands(sub, `${name} `)];
  });
}

function helpText(command: Command): string {
  let text = "";
  command.configureOutput({ writeOut: (chunk) => (text += chunk), writeErr: (chunk) => (text += chunk) });
  command.outputHelp();
  return text;
}

describe("askdb --help", () => {
  const commands = allCommands(createProgram());

  it("shows examples for askdb and every subcommand", () => {
    expect(commands.length).toBeGreaterThan(20);
    const withoutExamples = [{ name: "askdb", command: createProgram() }, ...commands]
      .filter(({ command }) => !/\nExamples:\n {2}askdb /.test(helpText(command)))
      .map(({ name }) => name);
    expect(withoutExamples).toEqual([]);
  });

  it("gives every command and option a description", () => {
    const undescribed = commands.flatMap(({ name, command }) => [
      ...(command.description() ? [] : [name]),
      ...command.options.filter((option) => !option.description).map((option) => `${name} ${option.flags}`),
    ]);
    expect(undescribed).toEqual([]);
  });
});
