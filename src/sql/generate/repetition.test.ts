import { describe, expect, it } from "vitest";
import { repeatsItself } from "./repetition.js";

describe("the repetition guard", () => {
  it.each([
    "SELECT TIME(TOTAL(TOTAL(TOTAL(TOTAL(TOTAL(TOTAL(TOTAL(TOTAL(",
    "SELECT name FROM t WHERE a = 1 AND a = 1 AND a = 1 AND a = 1 AND a = 1",
    "SELECT * FROM a JOIN b ON a.id = b.id JOIN b ON a.id = b.id JOIN b ON a.id = b.id JOIN b ON a.id = b.id ",
  ])("stops a model that loops: %s", (text) => expect(repeatsItself(text)).toBe(true));

  it.each([
    "SELECT SUM(CASE WHEN s = 'a' THEN 1 END) AS a, SUM(CASE WHEN s = 'b' THEN 1 END) AS b, SUM(CASE WHEN s = 'c' THEN 1 END) AS c",
    "SELECT COUNT(*) FROM invoices WHERE status IN ('paid', 'partially_paid', 'unpaid')",
    "SELECT 1111111111111111",
  ])("lets a query with repeated structure through: %s", (text) => expect(repeatsItself(text)).toBe(false));
});
