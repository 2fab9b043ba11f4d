import { describe, expect, it } from "vitest";
import { examplesShowRankingValues, rankingValuesShown } from "./ranking.js";

describe("rankingValuesShown", () => {
  const count = "COUNT(T2.TrackId) AS TrackCount";
  const revenue = "SUM(ii.line_total) AS revenue";

  it.each([
    "Which country has the most customers, and how many?",
    "Name the album with the most tracks and the number of tracks",
    "the top 5 artists with their total sales",
    "What is the total revenue of our best city?",
    "I'd like the country and the invoice count of the top 3",
  ])("%j asks for every value", (question) => {
    expect(rankingValuesShown(question, false)(count)).toBe(true);
  });

  it.each([
    "Which billing city has brought in the most revenue?",
    "Top 3 countries by total sales, highest first",
    "Which country has the largest number of customers?",
    "Which genre has the most tracks?",
    "the genre with the most tracks",
    "Which album has the most tracks, and who is it by? Give the album title and the artist.",
  ])("%j asks for none", (question) => {
    const shown = rankingValuesShown(question, false);
    expect([shown(count), shown(revenue)]).toEqual([false, false]);
  });

  it("shows the value the question names after 'and', and only that one", () => {
    const shown = rankingValuesShown("the top 5 products and their revenue", false);
    expect([shown(revenue), shown(count)]).toEqual([true, false]);
  });

  const ranking = "SELECT name, COUNT(*) AS n FROM t GROUP BY name ORDER BY n DESC LIMIT 1";
  it("follows the examples of the database, unless their question asked for the value", () => {
    expect(examplesShowRankingValues([{ question: "Our best seller", sql: ranking }])).toBe(true);
    expect(examplesShowRankingValues([{ question: "Our best seller and how many", sql: ranking }])).toBe(
      false,
    );
    expect(rankingValuesShown("Which city buys most?", true)(count)).toBe(true);
  });
});
