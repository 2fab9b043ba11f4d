import type { Command } from "commander";
import { registerAskCommand } from "./ask.js";
import { registerEvalCommand } from "./eval/index.js";
import { registerKnowledgeCommand } from "./knowledge.js";
import { registerTrainCommand } from "./train.js";
import { registerChatCommand } from "./chat.js";
import { registerConfigCommand } from "./config.js";
import { registerExtensionCommand } from "./extension.js";
import { registerFlagsCommand } from "./flags.js";
import { registerMcpCommand } from "./mcp.js";
import { registerModelsCommand } from "./models/index.js";
import { registerServeCommand } from "./serve.js";
import { registerSqlCommand } from "./sql.js";
import { registerStatusCommand } from "./status.js";

/** Every `askdb` subcommand; each file (or folder, e.g. models/) here registers one command with its subcommands. */
export const commands: Array<(program: Command) => void> = [
  registerServeCommand,
  registerMcpCommand,
  registerConfigCommand,
  registerFlagsCommand,
  registerExtensionCommand,
  registerStatusCommand,
  registerSqlCommand,
  registerChatCommand,
  registerModelsCommand,
  registerAskCommand,
  registerTrainCommand,
  registerKnowledgeCommand,
  registerEvalCommand,
];
