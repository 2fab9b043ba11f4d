import { randomBytes } from "node:crypto";
import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The file in the data folder that holds this installation's server token (owner-only). */
export const TOKEN_FILE_NAME = "server-token";
const OWNER_ONLY = 0o600;
/** Shorter content is not a token this code wrote (truncated, or edited by hand): replace it. */
const MIN_TOKEN_LENGTH = 32;

export function generateToken(): string {
  return randomBytes(24).toString("base64url");
}

export function tokenFileOf(dataDir: string): string {
  return join(dataDir, TOKEN_FILE_NAME);
}

/**
 * This installation's server token: created on first use, kept in the data folder readable by its
 * owner only, and the same at every start, so a browser's cookie and a bookmark keep working.
 */
export function installToken(dataDir: string): string {
  const file = tokenFileOf(dataDir);
  return readToken(file) ?? createToken(file);
}

function createToken(file: string): string {
  const token = generateToken();
  try {
    writeFileSync(file, `${token}\n`, { mode: OWNER_ONLY, flag: "wx" });
    return token;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  // Another askdb process created it a moment ago (use theirs), or it holds no valid token (replace it).
  const theirs = readToken(file);
  if (theirs !== undefined) return theirs;
  writeFileSync(file, `${token}\n`, { mode: OWNER_ONLY });
  chmodSync(file, OWNER_ONLY);
  return token;
}

function readToken(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8").trim();
  } catch {
    return undefined;
  }
  if (text.length < MIN_TOKEN_LENGTH) return undefined;
  // A copy or an archive tool may have widened the permissions: narrow them again.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, OWNER_ONLY);
  return text;
}
