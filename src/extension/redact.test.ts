import { describe, expect, it } from "vitest";
import { isValidIban, passesLuhn, redactSensitive } from "./redact.js";

describe("the sensitive-content filter", () => {
  it("redacts emails, phone numbers, cards, IBANs and secrets, counting each", () => {
    const page = [
      "Contact ravi@ravitraders.in or +91 98765 43210, office (022) 2345-6789.",
      "Card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00.",
      "key sk-proj-abcdefghijklmnop1234 and ghp_abcdefghijklmnopqrstuvwx12 and api_key=s3cr3tvalue",
      "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ].join("\n");
    const { text, counts } = redactSensitive(page);
    for (const secret of [
      "ravi@",
      "98765",
      "2345-6789",
      "4111",
      "DE89",
      "sk-proj",
      "ghp_",
      "s3cr3t",
      "eyJ",
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain("api_key=[secret]");
    expect(counts).toEqual({ secret: 4, email: 1, iban: 1, card: 1, phone: 2 });
  });

  it("leaves SKUs, dates, amounts and numbers that fail the checksums alone", () => {
    const page =
      "SKU 3905-0135, ordered 2024-01-15, ₹12,450.00, order 1234 5678 9012 3456, ref GB00WEST12345698765432";
    expect(redactSensitive(page).text).toBe(page);
  });

  it("checks card numbers with Luhn and IBANs with mod 97", () => {
    expect(passesLuhn("4111111111111111")).toBe(true);
    expect(passesLuhn("4111111111111112")).toBe(false);
    expect(isValidIban("GB82 WEST 1234 5698 7654 32")).toBe(true);
    expect(isValidIban("GB82 WEST 1234 5698 7654 33")).toBe(false);
  });
});
