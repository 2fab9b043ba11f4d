import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { createProgram, HELP_WIDTH } from "../program.js";

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

  it("leaves line breaks in descriptions to commander, which wraps them to the help width", () => {
    const broken = [{ name: "askdb", command: createProgram() }, ...commands].flatMap(({ name, command }) => [
      ...(command.description().includes("\n") ? [name] : []),
      ...command.options
        .filter((option) => option.description.includes("\n"))
        .map((o) => `${name} ${o.flags}`),
    ]);
    expect(broken).toEqual([]);
  });

  it("wraps piped help at the width its examples are written for", () => {
    const lines = helpText(createProgram()).split("\n");
    expect(lines[2]).toMatch(/^Ask questions about a SQLite database in plain language\. .* askdb runs it$/);
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(HELP_WIDTH);
  });

  it("gives every command and option a description", () => {
    const undescribed = commands.flatMap(({ name, command }) => [
      ...(command.description() ? [] : [name]),
      ...command.options.filter((option) => !option.description).map((option) => `${name} ${option.flags}`),
    ]);
    expect(undescribed).toEqual([]);
  });
});
