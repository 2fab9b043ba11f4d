import { describe, expect, it } from "vitest";
import { showsRankingValue } from "./ranking.js";

describe("showsRankingValue", () => {
  it.each([
    "Which country has the most customers, and how many?",
    "Name the album with the most tracks and the number of tracks",
    "the top 5 artists with their total sales",
    "What is the total revenue of our best city?",
    "I'd like the country and the invoice count of the top 3",
  ])("%j asks for the value", (question) => expect(showsRankingValue(question, [])).toBe(true));

  it.each([
    "Which billing city has brought in the most revenue?",
    "Top 3 countries by total sales, highest first",
    "Which country has the largest number of customers?",
    "Which album has the most tracks, and who is it by? Give the album title and the artist.",
  ])("%j does not", (question) => expect(showsRankingValue(question, [])).toBe(false));

  const ranking = "SELECT name, COUNT(*) AS n FROM t GROUP BY name ORDER BY n DESC LIMIT 1";
  it("follows the examples of the database, unless their question asked for the value", () => {
    expect(showsRankingValue("Which city buys most?", [{ question: "Our best seller", sql: ranking }])).toBe(
      true,
    );
    expect(
      showsRankingValue("Which city buys most?", [
        { question: "Our best seller and how many", sql: ranking },
      ]),
    ).toBe(false);
  });
});
