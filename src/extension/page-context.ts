import { AskDbError } from "../errors/index.js";
import type { SettingsService } from "../settings/index.js";
import { emptyCounts, redactSensitive, type RedactionCounts } from "./redact.js";

/** What the extension read from the tab. All of it is untrusted data. */
export interface PageContext {
  url: string;
  title: string;
  selection: string;
  text: string;
  contentType: string;
  /** Sent without the person turning on "use this page" for this question. */
  automatic: boolean;
}

export interface ContextPolicy {
  autoExtract: boolean;
  domainAllowlist: string[];
  contentTypes: string[];
  maxChars: number;
}

/** A page context as askdb keeps and uses it: allowed, redacted and trimmed. */
export interface PreparedContext {
  url: string;
  title: string;
  selection: string;
  text: string;
  contentType: string;
  redactions: RedactionCounts;
}

export function contextPolicyOf(settings: SettingsService): ContextPolicy {
  return {
    autoExtract: settings.get("extension.autoExtract"),
    domainAllowlist: settings.get("extension.domainAllowlist"),
    contentTypes: settings.get("extension.contentTypes"),
    maxChars: settings.get("extension.maxContextChars"),
  };
}

/**
 * Applies the privacy settings on askdb's side, whatever the extension did: automatic contexts only
 * with auto-extract on and from an allowed domain, allowed content types only, sensitive content
 * redacted, then trimmed to the size limit with the selection first.
 */
export function preparePageContext(page: PageContext, policy: ContextPolicy): PreparedContext {
  if (page.automatic) assertAutomaticAllowed(page.url, policy);
  assertContentTypeAllowed(page.contentType, policy.contentTypes);
  const redactions = emptyCounts();
  const redact = (value: string) => redactSensitive(value, redactions).text;
  let budget = policy.maxChars;
  const take = (value: string) => {
    const kept = redact(value).trim().slice(0, budget);
    budget -= kept.length;
    return kept;
  };
  const selection = take(page.selection);
  const title = take(page.title);
  const url = take(page.url);
  const text = take(page.text);
  return { url, title, selection, text, contentType: page.contentType, redactions };
}

/** What value lookup searches: the selection when there is one, else the title and the page text. */
export function contextSearchText(context: PreparedContext): string {
  return context.selection || `${context.title}\n${context.text}`.trim();
}

function assertAutomaticAllowed(url: string, policy: ContextPolicy): void {
  if (!policy.autoExtract) {
    throw new AskDbError("FORBIDDEN", "page context is not sent automatically: auto-extract is off", {
      hint: "turn on 'use this page' in the extension for this question, or run `askdb config set extension.autoExtract true`",
    });
  }
  const host = hostOf(url);
  if (!policy.domainAllowlist.some((domain) => host === domain || host.endsWith(`.${domain}`))) {
    throw new AskDbError("FORBIDDEN", `pages of ${host || "this address"} are not sent automatically`, {
      hint: `add the site to the allowlist: \`askdb config set extension.domainAllowlist ${host || "example.com"}\` (comma-separated)`,
    });
  }
}

function assertContentTypeAllowed(contentType: string, allowed: string[]): void {
  if (allowed.includes(contentType.toLowerCase())) return;
  throw new AskDbError("FORBIDDEN", `pages of type ${contentType} are not used as context`, {
    hint: `allowed: ${allowed.join(", ") || "none"}; change with \`askdb config set extension.contentTypes ${[...allowed, contentType].join(",")}\``,
  });
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return "";
  }
}
