import { describe, expect, it } from "vitest";
import { matchingPartsAsked } from "./contains.js";

describe("a question that asks for part of a text", () => {
  it("matches the part where the query compares the whole value", () => {
    expect(
      matchingPartsAsked(
        "SELECT COUNT(*) FROM Album WHERE Title = 'Greatest Hits'",
        "How many albums have 'Greatest Hits' in the title?",
      ),
    ).toBe("SELECT COUNT(*) FROM Album WHERE Title LIKE '%Greatest Hits%'");
    expect(
      matchingPartsAsked(
        "SELECT T1.Name FROM Track AS T1 WHERE T1.Name LIKE 'love'",
        "Which songs have names that contain the word love?",
      ),
    ).toBe("SELECT T1.Name FROM Track AS T1 WHERE T1.Name LIKE '%love%'");
    expect(
      matchingPartsAsked(
        `SELECT "Artist Name" FROM artists WHERE "Artist Name" = 'The'`,
        "Which artists start with 'The'?",
      ),
    ).toBe(`SELECT "Artist Name" FROM artists WHERE "Artist Name" LIKE 'The%'`);
    expect(matchingPartsAsked("SELECT name FROM people WHERE name = 'son'", "whose names end with son")).toBe(
      "SELECT name FROM people WHERE name LIKE '%son'",
    );
    expect(
      matchingPartsAsked(
        "SELECT name FROM people WHERE name NOT LIKE 'son'",
        "whose names don't end with 'son'",
      ),
    ).toBe("SELECT name FROM people WHERE name NOT LIKE '%son'");
    // The query's value, as the database writes it: LIKE ignores the case of ASCII letters only.
    expect(
      matchingPartsAsked(
        "SELECT * FROM painters WHERE name = 'Émile'",
        "painters whose name contains 'émile'",
      ),
    ).toBe("SELECT * FROM painters WHERE name LIKE '%Émile%'");
    expect(
      matchingPartsAsked(
        "SELECT name FROM bands WHERE name = 'O''Neil'",
        'bands whose name includes "O\'Neil"',
      ),
    ).toBe("SELECT name FROM bands WHERE name LIKE '%O''Neil%'");
  });

  it("leaves a whole value, a membership, a wildcard and a query that already matches a part alone", () => {
    const title = "SELECT COUNT(*) FROM Album WHERE Title = 'Greatest Hits'";
    expect(matchingPartsAsked(title, "How many albums are called 'Greatest Hits'?")).toBeUndefined();
    expect(
      matchingPartsAsked(
        "SELECT p.Name FROM Playlist p JOIN Track t ON 1 WHERE t.Name = 'Hey Jude'",
        "Which playlists contain 'Hey Jude'?",
      ),
    ).toBeUndefined();
    expect(
      matchingPartsAsked("SELECT * FROM t WHERE code = '50_off'", "codes that contain '50_off'"),
    ).toBeUndefined();
    // A place a flight ends in, not the end of a text; a text the query compares twice.
    expect(
      matchingPartsAsked(
        "SELECT COUNT(*) FROM flights WHERE dest = 'Boston'",
        "How many flights end in Boston?",
      ),
    ).toBeUndefined();
    expect(
      matchingPartsAsked(
        "SELECT t.Name FROM Track t JOIN Genre g ON g.GenreId = t.GenreId WHERE g.Name = 'Rock' AND t.Name = 'Rock'",
        "Rock tracks whose names contain Rock",
      ),
    ).toBeUndefined();
    expect(
      matchingPartsAsked(
        "SELECT COUNT(*) FROM Album WHERE Title LIKE '%Greatest Hits%'",
        "How many albums have 'Greatest Hits' in the title?",
      ),
    ).toBeUndefined();
    // A value the query does not compare a column with.
    expect(
      matchingPartsAsked(
        "SELECT 'Greatest Hits' AS t FROM Album",
        "albums with 'Greatest Hits' in the title",
      ),
    ).toBeUndefined();
  });
});
