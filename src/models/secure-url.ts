import { isLoopbackUrl } from "../engine/index.js";
import { AskDbError } from "../errors/index.js";

const PLAIN_HTTP_RULE = "plain http:// is accepted only from this machine: localhost, 127.0.0.1, [::1]";

/** Over plain http anyone on the way could swap the file; only this machine's own addresses may use it. */
export function isSecureModelUrl(url: URL): boolean {
  return url.protocol === "https:" || isLoopbackUrl(url.href);
}

/** INVALID_INPUT for a model URL the caller gave that is neither https nor on this machine. */
export function assertSecureModelUrl(url: URL): void {
  if (isSecureModelUrl(url)) return;
  throw new AskDbError("INVALID_INPUT", `askdb downloads models over https only, not from ${url.href}`, {
    hint: `use the https:// address of the file (${PLAIN_HTTP_RULE})`,
  });
}

/** A server sent a model download (or its look-up) on to an address that is neither https nor local. */
export function insecureRedirectError(from: URL, to: URL): AskDbError {
  return new AskDbError(
    "DOWNLOAD_FAILED",
    `${from.href} redirected to ${to.href}; askdb downloads models over https only, so it did not follow`,
    {
      hint: `ask the file's host for an https:// address that stays on https, or download the file yourself and run \`askdb models add <file>\` (${PLAIN_HTTP_RULE})`,
      details: { from: from.href, to: to.href },
    },
  );
}
