import type { Command } from "commander";
import { createInterface } from "node:readline/promises";
import pc from "picocolors";
import {
  chatToolsFrom,
  openChatSession,
  storeConversations,
  type ChatSession,
  type ChatTurn,
} from "../../engine/index.js";
import { AskDbError, describeError, toAskDbError } from "../../errors/index.js";
import { withAskDb } from "../askdb.js";
import { printJson, runCommand } from "../output.js";

interface ChatCommandOptions {
  model?: string;
  json?: boolean;
  db?: string;
  conversation?: string;
  maxTokens: string;
}

export function registerChatCommand(program: Command): void {
  program
    .command("chat")
    .description("Talk with the model: one message and its answer, or a conversation without a message")
    .argument(
      "[message]",
      "send this one message and print the answer (omit for an interactive conversation)",
    )
    .option("--model <id|file>", "an installed model id or a GGUF file (default: the active model)")
    .option(
      "--json",
      "one-shot only: print {text, model, backend, promptTokens, generatedTokens, timeToFirstTokenMs, tokensPerSecond}",
    )
    .option(
      "--db <file>",
      "let the assistant look into this SQLite database (list tables, describe a table, run a read-only query)",
    )
    .option("--conversation <id>", "continue a stored conversation")
    .option("--max-tokens <n>", "longest answer, in tokens", "512")
    .addHelpText(
      "after",
      `
Examples:
  askdb chat "What can you do?"                          one question, streamed answer
  askdb chat --model ./model.gguf --json "Once upon a time"
  askdb chat --db shop.sqlite                            a conversation that can query shop.sqlite
  askdb chat --conversation chat_1234                    pick up where a conversation left off

Conversations are kept in askdb's state folder. In a conversation, /exit (or Ctrl-D) ends it.`,
    )
    .action((message: string | undefined, options: ChatCommandOptions, command: Command) =>
      runCommand(options.json === true, async () => {
        const maxTokens = Number(options.maxTokens);
        if (!Number.isInteger(maxTokens) || maxTokens < 1) {
          throw new AskDbError(
            "INVALID_INPUT",
            `--max-tokens must be a whole number ≥ 1 (got ${options.maxTokens})`,
          );
        }
        if (options.json && message === undefined) {
          throw new AskDbError("INVALID_INPUT", "--json needs a message", {
            hint: 'e.g. askdb chat --json "hello"',
          });
        }
        const opened = { db: options.db, openDatabase: options.db !== undefined, model: options.model };
        await withAskDb(command, opened, async (askdb) => {
          const session = openChatSession({
            engine: askdb.engine,
            conversations: storeConversations(askdb.store),
            conversationId: options.conversation,
            tools: options.db ? chatToolsFrom(await askdb.tools()) : undefined,
            maxTokens,
          });
          if (message === undefined) await converse(session);
          else await oneShot(session, message, options.json === true);
        });
      }),
    );
}

async function oneShot(session: ChatSession, message: string, json: boolean): Promise<void> {
  const turn = await session.send(message, json ? {} : { onToken: (text) => process.stdout.write(text) });
  if (!json) {
    process.stdout.write("\n");
    process.stderr.write(pc.dim(`${footer(turn)}\n`));
    return;
  }
  const { result } = turn;
  printJson({
    text: turn.text,
    model: result.model,
    backend: result.backend,
    promptTokens: result.promptTokens,
    generatedTokens: result.generatedTokens,
    timeToFirstTokenMs: result.timeToFirstTokenMs,
    tokensPerSecond: result.tokensPerSecond,
    conversationId: session.id,
  });
}

/** An interactive conversation; Ctrl-C cancels the answer being written, /exit or Ctrl-D ends. */
async function converse(session: ChatSession): Promise<void> {
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  process.stderr.write(pc.dim(`conversation ${session.id} — /exit to end\n`));
  let answering: AbortController | undefined;
  terminal.on("SIGINT", () => (answering ? answering.abort() : terminal.close()));
  try {
    for (;;) {
      const line = await terminal.question(pc.bold("you> ")).catch(() => undefined);
      if (line === undefined || line.trim() === "/exit") return;
      if (line.trim() === "") continue;
      answering = new AbortController();
      try {
        process.stdout.write(pc.bold("askdb> "));
        const turn = await session.send(line, {
          onToken: (text) => process.stdout.write(text),
          signal: answering.signal,
        });
        process.stdout.write("\n");
        process.stderr.write(pc.dim(`${footer(turn)}\n`));
      } catch (error) {
        const failure = toAskDbError(error);
        process.stdout.write("\n");
        process.stderr.write(`${pc.red("error:")} ${describeError(failure)}\n`);
        if (failure.code === "NO_MODEL") return;
      } finally {
        answering = undefined;
      }
    }
  } finally {
    terminal.close();
  }
}

function footer(turn: ChatTurn): string {
  const { result } = turn;
  const tools = turn.toolOutcomes.map((o) => `${o.call.name}${o.ok ? "" : " (failed)"}`);
  return [
    `${result.model} via ${result.backend}`,
    `${result.promptTokens} prompt tokens (${result.reusedPromptTokens} reused)`,
    `${result.generatedTokens} generated at ${result.tokensPerSecond} tok/s`,
    `first token ${Math.round(result.timeToFirstTokenMs)} ms`,
    ...(tools.length ? [`tools: ${tools.join(", ")}`] : []),
    ...(turn.summarized ? ["older messages summarised"] : []),
  ].join(" · ");
}
