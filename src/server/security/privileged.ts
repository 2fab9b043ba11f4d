import type { Context, MiddlewareHandler } from "hono";
import { AskDbError } from "../../errors/index.js";
import { isUrlModelSpec } from "../../models/index.js";
import {
  assertSettingKey,
  HTTP_API_KEY_ENV_PATTERN,
  settingMeta,
  type FeatureFlags,
  type HttpAccess,
  type SettingKey,
} from "../../settings/index.js";
import { TOKEN_FILE_NAME } from "./install-token.js";

/*
 * Privileged operations change where askdb sends data, which secret it reads, which files it reads
 * or writes, or who may call or frame it. Over HTTP they need the server's token, on loopback too;
 * the CLI and the library are the person themselves. docs/security-and-privacy.md lists them all.
 */

/** UNAUTHORIZED unless the request carries the server's token. */
export function requireToken(c: Context, change: string, alternative = ""): void {
  if (c.get("holdsToken")) return;
  throw new AskDbError("UNAUTHORIZED", `${change} needs this askdb server's token`, {
    hint:
      "open the address `askdb serve` printed (it ends in ?token=…) and try again, or send " +
      `\`Authorization: Bearer <token>\` (the token is in the file ${TOKEN_FILE_NAME} of askdb's data folder)${alternative}`,
  });
}

/** A route that is privileged whatever its input. */
export function privileged(change: string): MiddlewareHandler {
  return async (c, next) => {
    requireToken(c, change);
    await next();
  };
}

/**
 * Settings changed over HTTP: the privileged ones need the token, those read only at start are
 * refused with the way to change them, and `openai.apiKeyEnv` may only name an API key variable.
 */
export function assertMayChangeSettings(c: Context, changes: Record<string, unknown>): void {
  const keys = Object.keys(changes);
  keys.forEach(assertSettingKey);
  refuseReadAtStart(withAccess(keys, "terminal"));
  const needingToken = withAccess(keys, "token");
  if (needingToken.length > 0) {
    requireToken(
      c,
      `changing ${needingToken.join(", ")}`,
      `; or run \`askdb config set ${needingToken[0]} …\` in a terminal`,
    );
  }
  assertApiKeyEnvName(changes["openai.apiKeyEnv"]);
}

function withAccess(keys: string[], access: HttpAccess): SettingKey[] {
  return (keys as SettingKey[]).filter((key) => settingMeta[key].http === access);
}

function refuseReadAtStart(keys: SettingKey[]): void {
  if (keys.length === 0) return;
  throw new AskDbError(
    "FORBIDDEN",
    `${keys.join(", ")} cannot be changed over HTTP: askdb reads it when it starts`,
    {
      hint: `run \`askdb config set ${keys[0]} …\` in a terminal, then restart \`askdb serve\``,
    },
  );
}

function assertApiKeyEnvName(name: unknown): void {
  if (typeof name !== "string" || HTTP_API_KEY_ENV_PATTERN.test(name)) return;
  throw new AskDbError(
    "FORBIDDEN",
    `over HTTP, openai.apiKeyEnv may only name a variable ending in _API_KEY or _TOKEN, not "${name}"`,
    {
      hint: "so no other variable of askdb's environment can be sent to a server; to use that name, run `askdb config set openai.apiKeyEnv <name>` in a terminal",
    },
  );
}

/** Turning on a flag that adds places askdb sends data to or serves from needs the token. */
export function assertMayEnableFlag(
  c: Context,
  flags: FeatureFlags,
  id: string,
  withPrerequisites: boolean,
): void {
  const turnedOn = withPrerequisites ? withAllPrerequisites(flags, id) : [id];
  const needingToken = turnedOn.filter((flag) => flags.get(flag).needsToken);
  if (needingToken.length > 0) requireToken(c, `turning on ${needingToken.join(", ")}`);
}

function withAllPrerequisites(flags: FeatureFlags, id: string): string[] {
  return [
    id,
    ...flags.get(id).prerequisites.flatMap((prerequisite) => withAllPrerequisites(flags, prerequisite)),
  ];
}

/** A download from a URL the caller chose needs the token; catalog ids and hf: specs do not. */
export function assertMayPull(c: Context, spec: string | undefined): void {
  if (spec !== undefined && isUrlModelSpec(spec)) requireToken(c, "downloading a model from a URL");
}
