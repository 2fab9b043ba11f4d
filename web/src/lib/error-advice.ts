/**
 * What the UI says about an error. The server's `hint` is written for the terminal ("run `askdb
 * models pull …`"); in the UI a known error code gets a sentence in UI terms and, where it helps, a
 * link to the page that fixes it. Hints and messages that name CLI commands are cut to what remains
 * true in the UI.
 */
import { ApiError } from "../api/index.js";

export interface ErrorAction {
  label: string;
  href: string;
}

export interface ErrorDescription {
  title: string;
  hint?: string;
  code?: string;
  action?: ErrorAction;
}

const MODELS_PAGE: ErrorAction = { label: "Go to Models", href: "#/models" };
const SETTINGS_PAGE: ErrorAction = { label: "Open Settings", href: "#/settings" };

const ADVICE: Record<string, { hint: string; action?: ErrorAction }> = {
  NO_MODEL: {
    hint: "Download a model to ask anything. Without one, askdb answers only questions close to your saved examples.",
    action: { label: "Download a model", href: "#/models" },
  },
  BUSY: { hint: "askdb is answering another question. Try again in a moment." },
  SQL_REFUSED: { hint: "askdb only runs a single read-only SELECT. Rephrase the question or edit the SQL." },
  SQL_ERROR: { hint: "Check the table and column names in the SQL, or rephrase the question." },
  SQL_TIMEOUT: {
    hint: "The query took too long. Ask for fewer rows or a narrower time range, or allow more time in Settings.",
    action: SETTINGS_PAGE,
  },
  ANSWER_TIMEOUT: {
    hint: "The model could not write a working query in time. Rephrase the question, name the table you mean, or allow more time in Settings.",
    action: SETTINGS_PAGE,
  },
  BACKEND_UNAVAILABLE: {
    hint: "The model backend did not answer. Check the backend in Settings.",
    action: SETTINGS_PAGE,
  },
  REMOTE_NOT_ALLOWED: {
    hint: "Allow a remote backend to see data in Settings → Privacy, or switch to the local backend.",
    action: SETTINGS_PAGE,
  },
  MODEL_TOO_LARGE: {
    hint: "This model needs more memory than this computer has. Choose a smaller one.",
    action: MODELS_PAGE,
  },
  MODEL_INVALID: {
    hint: "The model file is damaged or is not a GGUF model. Delete it and download it again.",
    action: MODELS_PAGE,
  },
  NETWORK: { hint: "Check the internet connection, then resume the download." },
  DOWNLOAD_FAILED: { hint: "Check the internet connection, then resume the download." },
  INTEGRITY_FAILED: { hint: "The file was damaged on the way and was not kept. Download it again." },
  DISK_FULL: { hint: "Free some disk space, then resume the download." },
  UNAUTHORIZED: {
    hint: "Open askdb from the address its server printed when it started (it ends in ?token=…), then try again.",
  },
};

/** CLI wording in a server text: "`askdb models pull …`", "askdb sql --db FILE", "--timeout-ms". */
const CLI_COMMAND =
  /`askdb |\baskdb (?:sql|ask|models|config|train|serve|eval|chat|knowledge|flags|status|mcp)\b|\s--[a-z]/;

export function describeError(error: unknown): ErrorDescription {
  if (error instanceof ApiError) {
    const advice = ADVICE[error.code];
    const hint = advice?.hint ?? (error.hint && !CLI_COMMAND.test(error.hint) ? error.hint : undefined);
    return {
      title: capitalise(withoutCliCommand(error.message)),
      hint: hint && capitalise(hint),
      code: error.code,
      action: advice?.action,
    };
  }
  if (error instanceof Error) return { title: capitalise(error.message) };
  return { title: String(error) };
}

/** "no model installed: run `askdb models pull x`" → "no model installed". */
function withoutCliCommand(message: string): string {
  const command = message.search(CLI_COMMAND);
  if (command === -1) return message;
  const clauseEnd = Math.max(...[":", ";", ","].map((mark) => message.lastIndexOf(mark, command)));
  return clauseEnd > 0 ? message.slice(0, clauseEnd) : message;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
