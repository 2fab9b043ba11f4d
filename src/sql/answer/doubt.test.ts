import Database from "better-sqlite3";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEMO_EVAL_FILE, DEMO_SCHEMA_FILE, DEMO_TRAINING_DIR } from "../../demo/index.js";
import type { QueryResult } from "../guard/index.js";
import { readTrainingDirectory } from "../knowledge/index.js";
import { buildValueIndex } from "../retrieve/index.js";
import { introspectSchema } from "../schema/index.js";
import {
  answerFlaw,
  copiesAnExample,
  countsAnotherTable,
  demandsTwoValues,
  echoesItsFilter,
  findsNothing,
  ignoresRounding,
  keepsWhatHasSome,
  listsNull,
  misplacedValues,
  omitsNumbers,
  picksTheOtherEnd,
  readsDateFromNonDate,
  rowsKey,
  showsOnlyKeys,
} from "./doubt.js";

const result = (rows: QueryResult["rows"]): QueryResult => ({
  columns: rows[0]?.map((_, i) => ({ name: `c${i}`, type: "" })) ?? [],
  rows,
  rowCount: rows.length,
  truncated: false,
  elapsedMs: 1,
});

/** The schema of a database made of `ddl` alone. */
function schemaOf(ddl: string) {
  const db = new Database(":memory:");
  db.exec(ddl);
  const schema = introspectSchema(db);
  db.close();
  return schema;
}

describe("doubtful answers", () => {
  it("doubts no rows, only NULLs, and a single 0; not a 0 among other rows, nor a real value", () => {
    expect(findsNothing(result([]))).toBe(true);
    expect(findsNothing(result([[null, null]]))).toBe(true);
    expect(findsNothing(result([[0]]))).toBe(true);
    expect(findsNothing(result([[0, null]]))).toBe(true);
    expect(findsNothing(result([[0], [3]]))).toBe(false);
    expect(findsNothing(result([["Opera"]]))).toBe(false);
    expect(findsNothing(result([[0, "none sold"]]))).toBe(false);
  });

  it("sees the same rows in another order as the same answer", () => {
    expect(
      rowsKey(
        result([
          ["a", 1],
          ["b", 2],
        ]),
      ),
    ).toBe(
      rowsKey(
        result([
          ["b", 2],
          ["a", 1],
        ]),
      ),
    );
    expect(rowsKey(result([["a", 1]]))).not.toBe(rowsKey(result([["a", 2]])));
  });

  const examples = [
    {
      question: "List the songs on the album Let There Be Rock.",
      sql: "SELECT t.Name FROM Track t JOIN Album al ON al.AlbumId = t.AlbumId WHERE al.Title = 'Let There Be Rock'",
    },
    {
      question: "Paid invoices of the Art Gallery since 2025-10-01?",
      sql: "SELECT SUM(Total) FROM Invoice WHERE status = 'Paid' AND InvoiceDate >= '2025-10-01'",
    },
  ];

  it("doubts an answer that carries over a value only an example's question names", () => {
    const copied =
      "SELECT COUNT(*) FROM Track t JOIN Album al ON al.AlbumId = t.AlbumId WHERE al.Title = 'Let There Be Rock' AND t.Composer = 'Queen'";
    expect(copiesAnExample(copied, "How many Queen songs are in the catalogue?", examples)).toBe(true);
    const dated = "SELECT COUNT(*) FROM Invoice WHERE InvoiceDate >= '2025-10-01'";
    expect(copiesAnExample(dated, "How many invoices this month?", examples)).toBe(true);
    // Named by the question itself, in any case: the example showed the way, nothing was copied.
    expect(copiesAnExample(copied, "how many queen songs are on let there be rock?", examples)).toBe(false);
  });

  it("does not doubt a rule an example shows, a value of its question but not of its SQL, or part of a word", () => {
    const question = "What did we sell last month?";
    // 'Paid' starts the example's question: a capital, but no name.
    expect(copiesAnExample("SELECT SUM(Total) FROM Invoice WHERE status = 'Paid'", question, examples)).toBe(
      false,
    );
    // The example's question names "Art Gallery", its SQL does not filter on it.
    expect(copiesAnExample("SELECT * FROM Customer WHERE Company = 'Art Gallery'", question, examples)).toBe(
      false,
    );
    // "Artist" is no mention of 'Art'.
    const artists = [
      { question: "Albums of the Artist Queen", sql: "SELECT * FROM Album WHERE Kind = 'Art'" },
    ];
    expect(copiesAnExample("SELECT * FROM Album WHERE Kind = 'Art'", question, artists)).toBe(false);
  });

  it("doubts an answer that does not round when the question asks for a rounded number, and says so", () => {
    const unrounded = "SELECT AVG(Total) FROM Invoice";
    expect(
      ignoresRounding(unrounded, "What's the average invoice, rounded to two decimal places?"),
    ).toContain("ROUND(");
    expect(ignoresRounding(unrounded, "Average price of a track, to two decimals?")).toBeDefined();
    expect(
      ignoresRounding(unrounded, "Average length in seconds, rounded to the nearest whole second"),
    ).toBeDefined();
    expect(
      ignoresRounding("SELECT round(AVG(Total), 2) FROM Invoice", "average invoice, rounded"),
    ).toBeUndefined();
    expect(ignoresRounding(unrounded, "What's the average invoice?")).toBeUndefined();
    // A string that reads like the function is no rounding.
    expect(ignoresRounding("SELECT 'ROUND (x)' FROM t", "rounded average")).toBeDefined();
  });

  it("doubts an answer that only returns the values its WHERE clause compares with", () => {
    const wrongAlias =
      "SELECT T1.FirstName, T1.LastName FROM Customer AS T1 JOIN Employee AS T2 ON T1.SupportRepId = T2.EmployeeId WHERE T1.FirstName = 'Luís' AND T1.LastName = 'Gonçalves'";
    expect(echoesItsFilter(result([["Luís", "Gonçalves"]]), wrongAlias)).toContain("('Luís', 'Gonçalves')");
    // The support rep's name: something the question did not say.
    expect(echoesItsFilter(result([["Jane", "Peacock"]]), wrongAlias)).toBeUndefined();
    // A count of what the filter names answers something.
    expect(
      echoesItsFilter(result([["Rock", 1297]]), "SELECT Name, COUNT(*) FROM Genre WHERE Name = 'Rock'"),
    ).toBeUndefined();
    // Choosing between the values the question names is an answer.
    const choice =
      "SELECT City FROM Customer WHERE City = 'Prague' OR City = 'Paris' GROUP BY City ORDER BY COUNT(*) DESC LIMIT 1";
    expect(echoesItsFilter(result([["Prague"]]), choice)).toBeUndefined();
    expect(echoesItsFilter(result([]), wrongAlias)).toBeUndefined();
  });

  it("doubts a list whose first column is NULL in a row, and names the column to filter", () => {
    const composers = result([[null], ["Steve Harris"], ["U2"]]);
    composers.columns = [{ name: "Composer", type: "TEXT" }];
    expect(listsNull(composers)).toBe(
      "The answer lists a row with no Composer (NULL): add Composer IS NOT NULL so that only real Composer values are listed.",
    );
    expect(
      listsNull(
        result([
          ["Steve Harris", null],
          ["U2", 3],
        ]),
      ),
    ).toBeUndefined();
    expect(listsNull(result([[null]]))).toBeUndefined();
    expect(listsNull(result([[null], [3]]))).toBeUndefined();
  });

  it("says the first flaw it sees, rounding before the rest, and a column shown from an arbitrary row", () => {
    const schema = schemaOf(`
      CREATE TABLE Genre (GenreId INTEGER PRIMARY KEY, Name TEXT);
      CREATE TABLE Track (TrackId INTEGER PRIMARY KEY, Name TEXT, GenreId INTEGER REFERENCES Genre(GenreId));
    `);
    const echo = "SELECT Name FROM Genre WHERE Name = 'Rock'";
    expect(answerFlaw(schema, result([["Rock"]]), echo, "Which genre is Rock?")).toContain(
      "repeats the question",
    );
    expect(answerFlaw(schema, result([["Rock"]]), echo, "Which genre is Rock, rounded?")).toContain("ROUND(");
    const wrongAlias =
      "SELECT T2.Name FROM Genre T1 JOIN Track T2 ON T1.GenreId = T2.GenreId GROUP BY T1.GenreId";
    expect(answerFlaw(schema, result([["Crossroads"]]), wrongAlias, "Which genre has the most tracks?")).toBe(
      "T2.Name is neither grouped nor aggregated: T2 is Track, and a group has many Track rows, so the answer shows the T2.Name of one of them at random. Select the column of the table the question asks about, or group by the column shown.",
    );
    expect(
      answerFlaw(schema, result([["Rock"]]), "SELECT Name FROM Genre LIMIT 1", "Name a genre"),
    ).toBeUndefined();
  });

  it("tells where a value the query looked for in the wrong place is stored, and how to join to it", () => {
    const db = new Database(":memory:");
    db.exec(`
      CREATE TABLE staff (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT);
      CREATE TABLE customers (id INTEGER PRIMARY KEY, first_name TEXT, rep_id INTEGER REFERENCES staff(id));
      CREATE TABLE invoices (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), total REAL);
      INSERT INTO staff VALUES (1, 'Jane', 'Peacock');
      INSERT INTO customers VALUES (1, 'Luis', 1), (2, 'O''Brien', 1);
    `);
    const schema = introspectSchema(db);
    const values = buildValueIndex(db, schema);
    const wrongPlace =
      "SELECT SUM(i.total) FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE c.first_name = 'Jane'";
    expect(misplacedValues(schema, values, wrongPlace)).toBe(
      "'Jane' is not a value of first_name; it is stored in staff.first_name.\n" +
        "To reach staff: JOIN staff ON customers.rep_id = staff.id",
    );
    const rightPlace = "SELECT COUNT(*) FROM staff WHERE \"first_name\" = 'Jane'";
    expect(misplacedValues(schema, values, rightPlace)).toBeUndefined();
    expect(misplacedValues(schema, values, "SELECT * FROM customers WHERE first_name = 'Nobody'")).toBe(
      "customers.first_name holds values such as 'Luis', 'O''Brien' ('Nobody' is not one of them).",
    );
    db.close();
  });

  it("reads a compared column whose name only works quoted", () => {
    const db = new Database(":memory:");
    db.exec(`
      CREATE TABLE "Sales Staff" ("Staff Id" INTEGER PRIMARY KEY, "First Name" TEXT);
      CREATE TABLE "Key Accounts" ("Account Name" TEXT, "Rep Id" INTEGER REFERENCES "Sales Staff"("Staff Id"));
      INSERT INTO "Sales Staff" VALUES (1, 'Jane');
      INSERT INTO "Key Accounts" VALUES ('Acme', 1);
    `);
    const schema = introspectSchema(db);
    const values = buildValueIndex(db, schema);
    expect(
      misplacedValues(
        schema,
        values,
        `SELECT COUNT(*) FROM "Key Accounts" AS k WHERE k."Account Name" = 'Jane'`,
      ),
    ).toMatch(/^'Jane' is not a value of Account Name; it is stored in Sales Staff\.First Name\./);
    expect(
      demandsTwoValues(
        `SELECT 1 FROM "Key Accounts" AS k WHERE k."Account Name" = 'Acme' AND k."Account Name" = 'Initech'`,
      ),
    ).toMatch(/^k\."Account Name" cannot be both 'Acme' and 'Initech'/);
    expect(
      demandsTwoValues(
        `SELECT 1 FROM "Key Accounts" a, "Key Accounts" b WHERE a."Account Name" = 'Acme' AND b."Account Name" = 'Initech'`,
      ),
    ).toBeUndefined();
    db.close();
  });

  it("doubts a date function given a column that holds no dates, and says which column to use", () => {
    const schema = schemaOf(`
      CREATE TABLE flights (year INTEGER, month INTEGER, day INTEGER, time_hour TEXT);
      INSERT INTO flights VALUES (2013, 7, 4, '2013-07-04T10:00:00Z');
    `);
    const byMonth = "SELECT strftime('%m', month) AS m, COUNT(*) FROM flights GROUP BY m";
    expect(readsDateFromNonDate(schema, byMonth)).toBe(
      "strftime() reads flights.month as a date, but flights.month holds no dates: use the column itself (compare, group or order by flights.month), or a column that holds dates.",
    );
    expect(
      answerFlaw(schema, result([[null, 1]]), byMonth, "How many flights were there in each month?"),
    ).toBe(readsDateFromNonDate(schema, byMonth));
    const right =
      "SELECT month, COUNT(*) FROM flights WHERE strftime('%Y', time_hour) = '2013' GROUP BY month";
    expect(readsDateFromNonDate(schema, right)).toBeUndefined();
    expect(
      answerFlaw(schema, result([[7, 1]]), right, "How many flights were there in each month?"),
    ).toBeUndefined();
  });

  it("says a few values a column holds when the query looked for one stored nowhere", () => {
    const db = new Database(":memory:");
    db.exec(`
      CREATE TABLE flights (id INTEGER PRIMARY KEY, origin TEXT, tailnum TEXT, class TEXT);
      INSERT INTO flights (origin, tailnum, class) VALUES ('EWR', 'N1', 'A'), ('EWR', 'N2', 'A'), ('JFK', 'N3', 'A'),
        ('JFK', 'N4', 'B'), ('LGA', 'N5', 'B'), ('LGA', 'N6', 'B');
    `);
    const schema = introspectSchema(db);
    const values = buildValueIndex(db, schema);
    db.close();
    expect(misplacedValues(schema, values, "SELECT COUNT(*) FROM flights WHERE origin = 'NEW'")).toBe(
      "flights.origin holds values such as 'EWR', 'JFK', 'LGA' ('NEW' is not one of them).",
    );
    // A column without samples (each value once: codes, names) is said with a few values it holds.
    expect(misplacedValues(schema, values, "SELECT COUNT(*) FROM flights WHERE tailnum = 'Yes'")).toMatch(
      /^flights\.tailnum holds values such as 'N\d', 'N\d', 'N\d' \('Yes' is not one of them\)\.$/,
    );
    // One letter is not indexed as a value, but the samples hold it: nothing to say.
    expect(
      misplacedValues(schema, values, "SELECT COUNT(*) FROM flights WHERE class = 'B' AND id > 6"),
    ).toBeUndefined();
  });

  it("doubts a count of another table than the one the question counts, and says how to reach it", () => {
    const schema = schemaOf(`
      CREATE TABLE planes (tailnum TEXT PRIMARY KEY, manufacturer TEXT, engines INTEGER);
      CREATE TABLE flights (id INTEGER PRIMARY KEY, tailnum TEXT REFERENCES planes(tailnum), dest TEXT);
      CREATE TABLE tracks (id INTEGER PRIMARY KEY, name TEXT);
      CREATE TABLE playlist_tracks (playlist TEXT, track_id INTEGER REFERENCES tracks(id));
      CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);
      CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, placed TEXT);
    `);
    const question = "How many flights were flown by planes built by Airbus?";
    const planesOnly = "SELECT COUNT(*) FROM planes WHERE manufacturer = 'AIRBUS'";
    expect(countsAnotherTable(schema, planesOnly, question)).toBe(
      "The question counts flights, but the query does not read flights: it counts rows of planes. Count rows of flights, joined to what filters them.\n" +
        "To reach flights: JOIN flights ON flights.tailnum = planes.tailnum",
    );
    expect(answerFlaw(schema, result([[88]]), planesOnly, question)).toBe(
      countsAnotherTable(schema, planesOnly, question),
    );
    const joined =
      "SELECT COUNT(*) FROM flights f JOIN planes p ON p.tailnum = f.tailnum WHERE p.manufacturer = 'AIRBUS'";
    expect(countsAnotherTable(schema, joined, question)).toBeUndefined();
    // A playlist's tracks are rows of playlist_tracks, which refers to tracks.
    expect(
      countsAnotherTable(
        schema,
        "SELECT COUNT(*) FROM playlist_tracks WHERE playlist = 'Grunge'",
        "How many tracks are on the Grunge playlist?",
      ),
    ).toBeUndefined();
    // Keys not declared: a customer_id column still stands for a customer.
    expect(
      countsAnotherTable(
        schema,
        "SELECT COUNT(DISTINCT customer_id) FROM orders WHERE placed >= '2020-01-01'",
        "How many customers ordered since 2020?",
      ),
    ).toBeUndefined();
    expect(countsAnotherTable(schema, planesOnly, "How many of the flights were Airbus planes?")).toContain(
      "The question counts flights",
    );
    expect(countsAnotherTable(schema, planesOnly, "Count the flights of Airbus planes")).toBeUndefined();
  });

  it("doubts an answer that shows only the keys of rows that have names, and says which name to show", () => {
    const schema = schemaOf(`
      CREATE TABLE Artist (ArtistId INTEGER PRIMARY KEY, Name NVARCHAR(120));
      CREATE TABLE Album (AlbumId INTEGER PRIMARY KEY, Title NVARCHAR(160), ArtistId INTEGER REFERENCES Artist(ArtistId));
      CREATE TABLE Invoice (InvoiceId INTEGER PRIMARY KEY, BillingCity TEXT, Total REAL);
      CREATE TABLE Line (LineId INTEGER PRIMARY KEY, InvoiceId INTEGER REFERENCES Invoice(InvoiceId), AlbumId INTEGER REFERENCES Album(AlbumId));
      CREATE TABLE Plane (tailnum TEXT PRIMARY KEY, model TEXT);
    `);
    const question = "Which artists have 10 or more albums with us?";
    const artistIds = "SELECT ArtistId FROM Album GROUP BY ArtistId HAVING COUNT(*) >= 10";
    expect(showsOnlyKeys(schema, artistIds, question)).toBe(
      "The answer shows only Album.ArtistId: numbers that stand for rows and tell the person asking nothing. Show Artist.Name instead.\n" +
        "To reach Artist: JOIN Artist ON Album.ArtistId = Artist.ArtistId",
    );
    expect(answerFlaw(schema, result([[90]]), artistIds, question)).toBe(
      showsOnlyKeys(schema, artistIds, question),
    );
    // A table's own key, through an alias and with DISTINCT: its title is what names an album.
    expect(
      showsOnlyKeys(
        schema,
        "SELECT DISTINCT a.AlbumId, a.ArtistId AS who FROM Album AS a JOIN Line l ON l.AlbumId = a.AlbumId",
        "Which albums have sold?",
      ),
    ).toBe(
      "The answer shows only Album.AlbumId, Album.ArtistId: numbers that stand for rows and tell the person asking nothing. Show Album.Title, Artist.Name instead.\n" +
        "To reach Artist: JOIN Artist ON Album.ArtistId = Artist.ArtistId",
    );
    // "The number of" asks for no number of a row.
    expect(
      showsOnlyKeys(
        schema,
        "SELECT ArtistId FROM Album GROUP BY ArtistId ORDER BY COUNT(*) DESC LIMIT 1",
        "Which artist has the highest number of albums?",
      ),
    ).toContain("Show Artist.Name instead.");
    // Keys asked for; a key beside a name; an invoice, known by its number; a text key; an expression.
    expect(
      showsOnlyKeys(schema, artistIds, "Give the ids of the artists with 10 or more albums"),
    ).toBeUndefined();
    expect(showsOnlyKeys(schema, artistIds, "their artist numbers, for 10 or more albums")).toBeUndefined();
    expect(showsOnlyKeys(schema, "SELECT ArtistId, Title FROM Album", "List the albums")).toBeUndefined();
    expect(
      showsOnlyKeys(
        schema,
        "SELECT InvoiceId FROM Line GROUP BY InvoiceId",
        "Which invoice has the most lines?",
      ),
    ).toBeUndefined();
    expect(showsOnlyKeys(schema, "SELECT tailnum FROM Plane", "Which planes do we have?")).toBeUndefined();
    expect(
      showsOnlyKeys(schema, "SELECT MAX(ArtistId) FROM Album", "Which artist came last?"),
    ).toBeUndefined();
  });

  it("says why a column asked to equal two values in one row finds nothing, and how to ask for both", () => {
    const both =
      "SELECT COUNT(DISTINCT c.CustomerId) FROM Customer c JOIN Track t ON t.CustomerId = c.CustomerId JOIN Genre g ON g.GenreId = t.GenreId WHERE g.Name = 'Rock' AND g.Name = 'Jazz'";
    expect(demandsTwoValues(both)).toBe(
      "g.Name cannot be both 'Rock' and 'Jazz' in the same row, so the query finds nothing. For what has both, intersect two queries (one with g.Name = 'Rock', one with g.Name = 'Jazz'), or keep the groups that have both: WHERE g.Name IN ('Rock', 'Jazz') … GROUP BY … HAVING COUNT(DISTINCT g.Name) = 2.",
    );
    expect(demandsTwoValues("SELECT id FROM t WHERE year = 2013 AND month = 7 AND year = 2014")).toContain(
      "year cannot be both 2013 and 2014",
    );
    for (const fine of [
      "SELECT CustomerId FROM Genre WHERE Name = 'Rock' INTERSECT SELECT CustomerId FROM Genre WHERE Name = 'Jazz'",
      "SELECT id FROM t WHERE a IN (SELECT id FROM g WHERE Name = 'Rock') AND a IN (SELECT id FROM g WHERE Name = 'Jazz')",
      "SELECT id FROM t WHERE Name = 'Rock' OR Name = 'Jazz'",
      "SELECT SUM(CASE WHEN Name = 'Rock' THEN 1 WHEN Name = 'Jazz' THEN 2 END) FROM t WHERE Name = 'Rock'",
      "SELECT a.id FROM t a JOIN t b ON a.id = b.id WHERE a.Name = 'Rock' AND b.Name = 'Jazz'",
      "SELECT id FROM t WHERE Name = 'Rock' AND Name = 'Rock'",
    ])
      expect(demandsTwoValues(fine)).toBeUndefined();
  });

  it("doubts the oldest picked from the latest date first, and the newest from the earliest", () => {
    const schema = schemaOf(`
      CREATE TABLE Employee (FirstName TEXT, BirthDate TEXT, Age INTEGER);
      INSERT INTO Employee VALUES ('Nancy', '1958-12-08 00:00:00', 66);
    `);
    const latestFirst = "SELECT e.FirstName FROM Employee e ORDER BY e.BirthDate DESC LIMIT 1";
    const earliestFirst = "SELECT FirstName FROM Employee ORDER BY BirthDate LIMIT 1";
    expect(picksTheOtherEnd(schema, latestFirst, "Who's our oldest employee?")).toBe(
      "The question asks for the oldest or earliest, and the query takes the latest Employee.BirthDate first (DESC): the oldest has the earliest date, ORDER BY Employee.BirthDate ASC.",
    );
    expect(answerFlaw(schema, result([["Jane"]]), latestFirst, "Who's our oldest employee?")).toBe(
      picksTheOtherEnd(schema, latestFirst, "Who's our oldest employee?"),
    );
    expect(picksTheOtherEnd(schema, earliestFirst, "Who is the youngest employee?")).toContain(
      "ORDER BY Employee.BirthDate DESC",
    );
    expect(picksTheOtherEnd(schema, earliestFirst, "Who's our oldest employee?")).toBeUndefined();
    expect(picksTheOtherEnd(schema, latestFirst, "Who is the youngest employee?")).toBeUndefined();
    const byAge = "SELECT FirstName FROM Employee ORDER BY Age DESC LIMIT 1";
    expect(picksTheOtherEnd(schema, byAge, "Who's our oldest employee?")).toBeUndefined();
    const allOfThem = "SELECT FirstName FROM Employee ORDER BY BirthDate DESC";
    expect(picksTheOtherEnd(schema, allOfThem, "List employees from the oldest")).toBeUndefined();
  });

  it("doubts the oldest picked from the smallest age first, and the youngest from the highest", () => {
    const schema = schemaOf(`
      CREATE TABLE bakers (baker_full TEXT, age INTEGER, page INTEGER);
      INSERT INTO bakers VALUES ('Flo Atkins', 71, 3);
    `);
    const smallestFirst = "SELECT baker_full FROM bakers ORDER BY age ASC LIMIT 1";
    const highestFirst = "SELECT b.baker_full FROM bakers b ORDER BY b.age DESC LIMIT 1";
    expect(picksTheOtherEnd(schema, smallestFirst, "What is the full name of the oldest baker?")).toBe(
      "The question asks for the oldest, and the query takes the smallest bakers.age first: the oldest has the highest age, ORDER BY bakers.age DESC.",
    );
    expect(picksTheOtherEnd(schema, highestFirst, "Who is the youngest baker?")).toContain(
      "ORDER BY bakers.age ASC",
    );
    expect(
      picksTheOtherEnd(schema, highestFirst, "What is the full name of the oldest baker?"),
    ).toBeUndefined();
    expect(picksTheOtherEnd(schema, smallestFirst, "Who is the youngest baker?")).toBeUndefined();
    const byPage = "SELECT baker_full FROM bakers ORDER BY page LIMIT 1";
    expect(picksTheOtherEnd(schema, byPage, "Who is the oldest baker?")).toBeUndefined();
    const everyone = "SELECT baker_full FROM bakers ORDER BY age";
    expect(picksTheOtherEnd(schema, everyone, "List the bakers from the oldest")).toBeUndefined();
  });

  it("doubts a query that never uses a number the question names a row by", () => {
    const schema = schemaOf(`
      CREATE TABLE series (series INTEGER PRIMARY KEY, winner TEXT);
      CREATE TABLE challenges (series INTEGER, episode INTEGER, baker TEXT, result TEXT, minutes INTEGER);
    `);
    const forEverySeries =
      "SELECT baker, COUNT(*) FROM challenges WHERE result = 'STAR BAKER' GROUP BY baker";
    const question = "How many star baker awards did each baker in series 9 get?";
    expect(omitsNumbers(schema, forEverySeries, question)).toBe(
      'The question says "series 9", and the query never uses that number: compare or filter by it as the question asks.',
    );
    expect(answerFlaw(schema, result([["Rahul", 2]]), forEverySeries, question)).toBe(
      omitsNumbers(schema, forEverySeries, question),
    );
    const everySeries = "SELECT baker FROM challenges WHERE episode = 3";
    expect(omitsNumbers(schema, everySeries, "Who won episode 3 of series 7?")).toContain('"series 7"');
    expect(omitsNumbers(schema, "SELECT 1", "Who won episode 3 of series #7?")).toContain(
      '"episode 3" and "series #7", and the query never uses those numbers',
    );
    const used: Array<[string, string]> = [
      ["SELECT viewers_28day FROM ratings WHERE series = 8", "Who watched series 8 within 28 days?"],
      ["SELECT winner FROM series WHERE series = '9'", "Who won series 9?"],
      ["SELECT a FROM t WHERE d BETWEEN '2015-01-01' AND '2015-12-31'", "the winner of series 2015"],
      ["SELECT baker FROM challenges WHERE minutes > 420000", "bakes longer than 7 minutes"],
      [
        "SELECT baker FROM challenges GROUP BY baker HAVING COUNT(*) >= 13",
        "bakers in more than 12 episodes",
      ],
      ["SELECT COUNT(*) FROM challenges", "How many challenges were baked in 2013?"],
      ["SELECT name FROM t ORDER BY total DESC LIMIT 5", "the top 5 bakers"],
      ["SELECT baker FROM challenges", "the 2nd series, series 3rd, 50% of episode, at 10:30, 3/4 series"],
    ];
    for (const [sql, asked] of used) expect(omitsNumbers(schema, sql, asked), asked).toBeUndefined();
  });

  it("doubts a query that excludes nothing for a question about what has none", () => {
    const schema = schemaOf(`
      CREATE TABLE bakers (series INTEGER, baker TEXT, hometown TEXT);
      CREATE TABLE challenges (series INTEGER, episode INTEGER, baker TEXT, result TEXT);
    `);
    const anyOtherWeek =
      "SELECT DISTINCT T1.baker FROM bakers AS T1 JOIN challenges AS T2 ON T1.series = T2.series AND T1.baker = T2.baker WHERE T1.series = 10 AND T2.result != 'STAR BAKER'";
    expect(keepsWhatHasSome(schema, anyOtherWeek, "Which bakers of series 10 were never star baker?")).toBe(
      'The question asks for what has none ("never"), but the query excludes nothing: joined to challenges, it keeps the bakers rows that have some matching row, and a != on a joined row keeps any bakers row that has another one. Keep the bakers rows that have no such row: WHERE … NOT IN (SELECT … WHERE …), or NOT EXISTS (…).',
    );
    expect(answerFlaw(schema, result([["Alice"]]), anyOtherWeek, "Which bakers were never star baker?")).toBe(
      keepsWhatHasSome(schema, anyOtherWeek, "Which bakers were never star baker?"),
    );
    const found =
      "SELECT T1.baker FROM bakers T1 JOIN challenges T2 ON T1.baker = T2.baker WHERE T2.result = 'OUT'";
    for (const asked of [
      "Which bakers had no star baker award?",
      "bakers who haven’t won any technical",
      "bakers without a win",
    ])
      expect(keepsWhatHasSome(schema, found, asked), asked).toMatch(
        /^The question asks for what has none \("(no star|n’t won any|without a)"\), but the query excludes nothing: joined to challenges, it keeps the bakers rows that have some matching row\. Keep/,
      );
    const excluding = [
      "SELECT baker FROM bakers WHERE baker NOT IN (SELECT baker FROM challenges WHERE result = 'STAR BAKER')",
      "SELECT b.baker FROM bakers b LEFT JOIN challenges c ON c.baker = b.baker AND c.result = 'STAR BAKER' WHERE c.baker IS NULL",
      "SELECT b.baker FROM bakers b LEFT JOIN challenges c ON c.baker = b.baker WHERE c.baker ISNULL",
      "SELECT baker FROM bakers EXCEPT SELECT baker FROM challenges WHERE result = 'STAR BAKER'",
      "SELECT b.baker FROM bakers b JOIN challenges c ON c.baker = b.baker GROUP BY b.baker HAVING SUM(c.result = 'STAR BAKER') = 0",
      "SELECT baker FROM bakers b WHERE 0 = (SELECT COUNT(*) FROM challenges c WHERE c.baker = b.baker)",
      "SELECT T1.baker FROM bakers T1 JOIN challenges T2 ON T1.baker = T2.baker WHERE T1.hometown <> 'London'",
      "SELECT T1.baker FROM bakers T1 JOIN challenges T2 ON T1.baker = T2.baker WHERE T2.result = 'N'",
      "SELECT baker FROM challenges WHERE result != 'STAR BAKER'",
    ];
    for (const sql of excluding)
      expect(keepsWhatHasSome(schema, sql, "Which bakers were never star baker?"), sql).toBeUndefined();
    for (const asked of [
      "bakers not from London",
      "no more than 3 bakers",
      "bakers no older than 30",
      "bakers that are not out yet",
      "bakers without duplicates, in no particular order",
      "Who baked 'Nothing But Cake'?",
      "What is the No of bakers",
    ])
      expect(keepsWhatHasSome(schema, found, asked), asked).toBeUndefined();
  });

  it("reads a select list's column named like a table as a column, not a table joined", () => {
    const schema = schemaOf(`
      CREATE TABLE series (series INTEGER PRIMARY KEY, winner TEXT);
      CREATE TABLE episodes (series INTEGER REFERENCES series(series), episode INTEGER, sb_name TEXT);
    `);
    const oneTable = "SELECT episode, series FROM episodes WHERE sb_name = ''";
    expect(keepsWhatHasSome(schema, oneTable, "Which episodes had no star baker?")).toBeUndefined();
    const twoTables = "SELECT e.episode, s.winner FROM episodes e, series s WHERE e.series = s.series";
    expect(keepsWhatHasSome(schema, twoTables, "Which episodes had no star baker?")).toContain(
      "joined to series",
    );
  });

  it("takes != on a table one row of the listed table reaches through its keys as excluding", () => {
    const schema = schemaOf(`
      CREATE TABLE artists (id INTEGER PRIMARY KEY, name TEXT);
      CREATE TABLE albums (id INTEGER PRIMARY KEY, artist_id INTEGER REFERENCES artists(id));
      CREATE TABLE tracks (id INTEGER PRIMARY KEY, name TEXT, album_id INTEGER REFERENCES albums(id));
    `);
    const notByAcdc =
      "SELECT t.name FROM tracks t JOIN albums al ON al.id = t.album_id JOIN artists ar ON ar.id = al.artist_id WHERE ar.name != 'AC/DC'";
    expect(
      keepsWhatHasSome(schema, notByAcdc, "Which tracks are not on any album by AC/DC?"),
    ).toBeUndefined();
    const anyOtherTrack =
      "SELECT ar.name FROM artists ar JOIN albums al ON al.artist_id = ar.id JOIN tracks t ON t.album_id = al.id WHERE t.name != 'Intro'";
    expect(keepsWhatHasSome(schema, anyOtherTrack, "Which artists have no track called Intro?")).toContain(
      "a != on a joined row keeps any artists row that has another one",
    );
  });

  it("doubts none of the demo's held-out gold queries and trained pairs for their numbers or an absence", () => {
    const schema = schemaOf(readFileSync(DEMO_SCHEMA_FILE, "utf8"));
    const heldOut = JSON.parse(readFileSync(DEMO_EVAL_FILE, "utf8")) as Array<{
      question: string;
      sql: string;
    }>;
    const pairs = [...heldOut, ...readTrainingDirectory(DEMO_TRAINING_DIR).pairs];
    expect(pairs.length).toBeGreaterThan(100);
    for (const pair of pairs) {
      expect(omitsNumbers(schema, pair.sql, pair.question), pair.question).toBeUndefined();
      expect(keepsWhatHasSome(schema, pair.sql, pair.question), pair.question).toBeUndefined();
    }
  });
});
