import type { Command } from "commander";

/** Every `askdb` subcommand; each file in this folder registers one command (with its subcommands). */
export const commands: Array<(program: Command) => void> = [];
