/** What the sensitive-content filter replaces, each with a placeholder such as `[email]`. */
export const REDACTION_KINDS = ["secret", "email", "iban", "card", "phone"] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];
export type RedactionCounts = Record<RedactionKind, number>;

interface Rule {
  kind: RedactionKind;
  pattern: RegExp;
  /** A candidate that fails the check (a SKU, an order number) is left as it is. */
  check?: (match: string) => boolean;
  /** Keeps the text around the secret itself (`api_key=`) readable. */
  keepPrefix?: (match: string) => string;
}

const SECRET_ASSIGNMENT = /\b(?:api[_-]?key|access[_-]?token|token|secret|password|passwd)\b\s*[:=]\s*/i;

/** Secrets first (a token can contain what looks like an email), cards before phone numbers. */
const RULES: Rule[] = [
  {
    kind: "secret",
    pattern:
      /\b(?:sk|pk|rk)[-_](?:live_|test_)?[A-Za-z0-9_-]{16,}|\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}|\bgithub_pat_[A-Za-z0-9_]{20,}|\bxox[abprs]-[A-Za-z0-9-]{10,}|\bAKIA[0-9A-Z]{16}\b|\bAIza[0-9A-Za-z_-]{35}|\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}|\bBearer\s+[\w.~+/-]{16,}=*/g,
  },
  {
    kind: "secret",
    pattern: new RegExp(`${SECRET_ASSIGNMENT.source}[^\\s"'<>,;]{6,}`, "gi"),
    keepPrefix: (match) => SECRET_ASSIGNMENT.exec(match)?.[0] ?? "",
  },
  { kind: "email", pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  { kind: "iban", pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g, check: isValidIban },
  { kind: "card", pattern: /\b[1-9](?:[ -]?\d){12,18}\b/g, check: (match) => passesLuhn(digitsOf(match)) },
  {
    kind: "phone",
    pattern: /(?:\+\d[\d ().-]{7,}\d|\(?\b\d{2,5}\)?[ .-]\d[\d ().-]{5,}\d)\b/g,
    check: (match) => isPhoneLength(digitsOf(match)),
  },
];

export interface Redacted {
  text: string;
  counts: RedactionCounts;
}

/**
 * Replaces emails, phone numbers, card numbers (Luhn-valid), IBANs (checksum-valid), API keys and
 * tokens with placeholders, before page text is stored or shown to a model.
 */
export function redactSensitive(text: string, counts: RedactionCounts = emptyCounts()): Redacted {
  let result = text;
  for (const rule of RULES) {
    result = result.replace(rule.pattern, (match) => {
      if (rule.check && !rule.check(match)) return match;
      counts[rule.kind] += 1;
      return `${rule.keepPrefix?.(match) ?? ""}[${rule.kind}]`;
    });
  }
  return { text: result, counts };
}

export function emptyCounts(): RedactionCounts {
  return Object.fromEntries(REDACTION_KINDS.map((kind) => [kind, 0])) as RedactionCounts;
}

function digitsOf(text: string): string {
  return text.replace(/\D/g, "");
}

/** 10–15 digits: a date (8) or a short SKU is not a phone number. */
function isPhoneLength(digits: string): boolean {
  return digits.length >= 10 && digits.length <= 15;
}

export function passesLuhn(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/** ISO 13616: move the first four characters to the end, letters to numbers, mod 97 must be 1. */
export function isValidIban(text: string): boolean {
  const iban = text.replace(/ /g, "");
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}
