import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openUserDatabase } from "../connect/index.js";
import { createSampleDatabase } from "../connect/sample-database.js";
import {
  introspectSchema,
  PROMPT_SCHEMA,
  renderSchemaDdl,
  joinPath,
  schemaHintFor,
  ungroupedColumns,
  mendedQuery,
  regroupedQuery,
  withoutFanOutJoin,
  fullKeyJoin,
  withoutRankingValue,
  distinctList,
  dateFunctionOnNonDate,
  comparedByDay,
  throughReferencedName,
  intersectedQuery,
  bothAskedQuery,
  countOverCompound,
  type DatabaseSchema,
  type SchemaTable,
} from "./index.js";

const dir = mkdtempSync(join(tmpdir(), "askdb-schema-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sampleSchema(name: string, change?: (db: Database.Database) => void) {
  const path = join(dir, name);
  createSampleDatabase(path);
  if (change) {
    const writer = new Database(path);
    change(writer);
    writer.close();
  }
  const database = openUserDatabase(path);
  try {
    return introspectSchema(database.db);
  } finally {
    database.close();
  }
}

describe("introspectSchema", () => {
  const schema = sampleSchema("shop.sqlite");
  const table = (name: string) => schema.tables.find((t) => t.name === name)!;

  it("lists tables and views with row counts", () => {
    expect(schema.tables.map((t) => [t.name, t.kind, t.rowCount])).toEqual([
      ["customers", "table", 30],
      ["invoice_items", "table", expect.any(Number)],
      ["invoices", "table", 200],
      ["products", "table", 40],
      ["unpaid_invoices", "view", null],
    ]);
  });

  it("reads columns, keys, foreign keys and indexes", () => {
    expect(table("invoices").columns.find((c) => c.name === "status")).toMatchObject({
      type: "TEXT",
      notNull: true,
      defaultValue: "'unpaid'",
      primaryKey: 0,
    });
    expect(table("invoice_items").primaryKey).toEqual(["invoice_id", "line"]);
    expect(table("invoice_items").foreignKeys).toEqual([
      expect.objectContaining({ columns: ["product_id"], table: "products", toColumns: ["id"] }),
      expect.objectContaining({ columns: ["invoice_id"], table: "invoices", toColumns: ["id"] }),
    ]);
    expect(table("invoices").indexes).toEqual([
      { name: "invoices_by_customer", unique: false, columns: ["customer_id"], origin: "c", partial: false },
    ]);
    expect(table("products").indexes.some((i) => i.unique && i.columns[0] === "sku")).toBe(true);
  });

  it("samples low-cardinality text columns only", () => {
    expect(table("invoices").columns.find((c) => c.name === "status")?.samples).toEqual([
      "paid",
      "cancelled",
      "unpaid",
    ]);
    expect(table("products").columns.find((c) => c.name === "category")?.samples).toHaveLength(4);
    expect(table("customers").columns.find((c) => c.name === "name")?.samples).toBeUndefined();
    expect(table("products").columns.find((c) => c.name === "sku")?.samples).toBeUndefined();
  });

  it("fingerprints the structure, not the rows", () => {
    expect(schema.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(sampleSchema("more-rows.sqlite", (db) => db.exec("DELETE FROM invoice_items")).fingerprint).toBe(
      schema.fingerprint,
    );
    expect(
      sampleSchema("new-column.sqlite", (db) => db.exec("ALTER TABLE customers ADD COLUMN phone TEXT"))
        .fingerprint,
    ).not.toBe(schema.fingerprint);
  });
});

describe("renderSchemaDdl", () => {
  const schema = sampleSchema("render.sqlite");

  it("writes compact DDL with references, samples and row counts", () => {
    const ddl = renderSchemaDdl(schema, { tables: ["INVOICES", "invoice_items"] });
    expect(ddl).toContain(
      "CREATE TABLE invoices ( -- 200 rows\n  id INTEGER PRIMARY KEY,\n  customer_id INTEGER NOT NULL REFERENCES customers(id),",
    );
    expect(ddl).toContain("status TEXT NOT NULL DEFAULT 'unpaid', -- e.g. 'paid', 'cancelled', 'unpaid'");
    expect(ddl).toContain("PRIMARY KEY (invoice_id, line)");
    expect(ddl).not.toContain("CREATE TABLE customers");
  });

  it("shows prompts keys, references and samples, without counts, NOT NULL and DEFAULT", () => {
    const ddl = renderSchemaDdl(schema, { ...PROMPT_SCHEMA, tables: ["invoices", "invoice_items"] });
    expect(ddl).toContain(
      "CREATE TABLE invoices (\n  id INTEGER PRIMARY KEY,\n  customer_id INTEGER REFERENCES customers(id),",
    );
    expect(ddl).toContain("status TEXT, -- e.g. 'paid', 'cancelled', 'unpaid'");
    expect(ddl).toContain("PRIMARY KEY (invoice_id, line)");
    expect(ddl).not.toMatch(/NOT NULL|DEFAULT|rows/);
  });

  it("can leave samples and counts out", () => {
    const ddl = renderSchemaDdl(schema, { withSamples: false, withRowCounts: false });
    expect(ddl).not.toMatch(/-- /);
    expect(ddl).toContain("CREATE VIEW unpaid_invoices (");
  });
});

describe("schema facts for a repair prompt", () => {
  const table = (
    name: string,
    columns: string[],
    foreignKeys: SchemaTable["foreignKeys"] = [],
  ): SchemaTable => ({
    name,
    kind: "table",
    sql: null,
    primaryKey: [columns[0]],
    indexes: [],
    rowCount: 1,
    foreignKeys,
    columns: columns.map((column, i) => ({
      name: column,
      type: "",
      notNull: false,
      defaultValue: null,
      primaryKey: i === 0 ? 1 : 0,
    })),
  });
  const genreKey = {
    columns: ["GenreId"],
    table: "Genre",
    toColumns: ["GenreId"],
    onUpdate: "",
    onDelete: "",
  };
  const schema: DatabaseSchema = {
    fingerprint: "f",
    tables: [
      table("Track", ["TrackId", "Name", "GenreId", "Composer"], [genreKey]),
      table("Genre", ["GenreId", "Name"]),
      table("Artist", ["ArtistId", "Name"]),
    ],
  };

  it("names the table that holds a missing column and the columns of the query's tables", () => {
    const sql = "SELECT T2.Name FROM Artist AS T1 JOIN Genre AS T2 ON T1.GenreId = T2.GenreId";
    const hint = schemaHintFor(schema, sql, "SQL error: no such column: T1.GenreId");
    expect(hint).toContain("GenreId is a column of: Track, Genre.");
    expect(hint).toContain("- Genre: GenreId, Name");
    expect(hint).toContain("- Artist: ArtistId, Name");
    expect(hint).not.toContain("- Track:");
  });

  it("says which table an alias stands for when a column is asked of the wrong one", () => {
    const sql =
      "SELECT T1.Name FROM Track AS T1 JOIN Artist T2 ON T1.Composer = T2.Name WHERE T2.GenreId = 1";
    const hint = schemaHintFor(schema, sql, "no such column: T2.GenreId");
    expect(hint).toContain(
      "T2 is Artist, which has no column GenreId. GenreId is in Track (T1 in the query).",
    );
    expect(schemaHintFor(schema, sql, "no such column: T2.GenreId", { queryShown: false })).toContain(
      "Artist has no column GenreId. GenreId is in Track.",
    );
    const plain = "SELECT Artist.GenreId FROM Artist JOIN Track ON Track.Composer = Artist.Name";
    expect(schemaHintFor(schema, plain, "no such column: Artist.GenreId")).toContain(
      "Artist has no column GenreId. GenreId is in Track.",
    );
  });

  it("says when an alias is undeclared or names two tables, and not for a CTE's own name", () => {
    const undeclared = "SELECT Name FROM Genre WHERE GenreId IN (SELECT T3.GenreId FROM Track)";
    expect(schemaHintFor(schema, undeclared, "no such column: T3.GenreId")).toContain(
      "T3 is not a table or alias of the query.",
    );
    const twice = "SELECT t.Name FROM Track t JOIN Genre t ON t.GenreId = t.GenreId";
    expect(schemaHintFor(schema, twice, "ambiguous column name: t.GenreId")).toContain(
      "t stands for more than one table (Track, Genre): give each its own alias.",
    );
    const withoutQuery = { queryShown: false };
    expect(schemaHintFor(schema, undeclared, "no such column: T3.GenreId", withoutQuery)).not.toContain("T3");
    expect(schemaHintFor(schema, twice, "ambiguous column name: t.GenreId", withoutQuery)).not.toContain(
      "alias",
    );
    const cte = "WITH g AS (SELECT Name FROM Genre) SELECT g.GenreId FROM g";
    expect(schemaHintFor(schema, cte, "no such column: g.GenreId")).not.toContain("g is not");
  });

  it("lists the tables for a missing table, with foreign keys, and says nothing for other errors", () => {
    const hint = schemaHintFor(schema, "SELECT * FROM Track JOIN Composer ON 1", "no such table: Composer");
    expect(hint).toContain("The tables are: Track, Genre, Artist.");
    expect(hint).toContain("- Track: TrackId, Name, GenreId (→ Genre.GenreId), Composer");
    expect(hint).toContain("Composer is not a table; columns named like it: Track.Composer.");
    expect(schemaHintFor(schema, "SELECT 1 +", "SQL error: incomplete input")).toBeUndefined();
  });

  it("reads a missing name with spaces whole, and a table's own name as its qualifier", () => {
    const spaced: DatabaseSchema = {
      fingerprint: "s",
      tables: [
        table("Airline Directory", ["Carrier Code", "Airline Name"]),
        table("Carrier Stats 2013", ["Carrier Code", "Flight Count"]),
      ],
    };
    const sql = `SELECT T1."Airline Name" FROM "Carrier Stats 2013" AS T1`;
    const hint = schemaHintFor(spaced, sql, "SQL error: no such column: T1.Airline Name");
    expect(hint).toContain("T1 is Carrier Stats 2013, which has no column Airline Name.");
    expect(hint).toContain("Airline Name is a column of: Airline Directory.");
    const own = `SELECT "Carrier Stats 2013"."Airline Name" FROM "Carrier Stats 2013"`;
    expect(
      schemaHintFor(spaced, own, "SQL error: no such column: Carrier Stats 2013.Airline Name"),
    ).toContain("Carrier Stats 2013 has no column Airline Name.");
  });

  it("says that no table has a missing column when the failed query is not shown", () => {
    const sql = "SELECT GenreName FROM Genre";
    const error = "no such column: GenreName";
    expect(schemaHintFor(schema, sql, error, { queryShown: false })).toContain(
      "No table has a column GenreName.",
    );
    expect(schemaHintFor(schema, sql, error)).not.toContain("No table has");
  });

  it("shows the join that reaches the table holding a missing column", () => {
    const hint = schemaHintFor(schema, "SELECT g.Name, Composer FROM Genre g", "no such column: Composer");
    expect(hint).toContain("To reach Track: JOIN Track ON Track.GenreId = Genre.GenreId");
    expect(joinPath(schema, ["Genre"], "Artist")).toBeUndefined();
    expect(joinPath(schema, ["Track"], "Track")).toEqual([]);
  });
});

describe("columns an aggregate query shows from an arbitrary row", () => {
  const db = new Database(":memory:");
  db.exec(`
    CREATE TABLE Artist (ArtistId INTEGER PRIMARY KEY, Name TEXT);
    CREATE TABLE Album (AlbumId INTEGER PRIMARY KEY, Title TEXT, ArtistId INTEGER REFERENCES Artist(ArtistId));
    CREATE TABLE Genre (GenreId INTEGER PRIMARY KEY, Name TEXT);
    CREATE TABLE Track (TrackId INTEGER PRIMARY KEY, Name TEXT, AlbumId INTEGER, GenreId INTEGER, Milliseconds INTEGER);
    CREATE TABLE Customer (CustomerId INTEGER PRIMARY KEY, Email TEXT UNIQUE, Country TEXT);
    CREATE TABLE Invoice (InvoiceId INTEGER PRIMARY KEY, CustomerId INTEGER, Total REAL);
  `);
  const schema = introspectSchema(db);
  db.close();
  const shown = (sql: string) => ungroupedColumns(schema, sql).map((c) => c.column);

  it("finds a column of the wrong alias, which a group does not fix", () => {
    const wrongAlias =
      "SELECT T2.Name FROM Genre AS T1 JOIN Track AS T2 ON T1.GenreId = T2.GenreId GROUP BY T1.GenreId ORDER BY AVG(T2.Milliseconds) DESC LIMIT 1";
    expect(ungroupedColumns(schema, wrongAlias)).toEqual([
      expect.objectContaining({
        column: "T2.Name",
        qualifier: "T2",
        table: expect.objectContaining({ name: "Track" }),
      }),
    ]);
    expect(
      shown(
        "SELECT Total, Country FROM Invoice JOIN Customer ON Invoice.CustomerId = Customer.CustomerId GROUP BY Country",
      ),
    ).toEqual(["Invoice.Total"]);
  });

  const fixedByTheirGroup = [
    "SELECT T1.Name FROM Genre AS T1 JOIN Track AS T2 ON T1.GenreId = T2.GenreId GROUP BY T1.GenreId",
    // Track's GenreId is Genre's key: one genre a group.
    "SELECT g.Name, COUNT(*) FROM Track t JOIN Genre g ON g.GenreId = t.GenreId GROUP BY t.GenreId",
    // The album fixes its artist.
    "SELECT al.Title, ar.Name FROM Album al JOIN Artist ar ON ar.ArtistId = al.ArtistId JOIN Track t ON t.AlbumId = al.AlbumId GROUP BY al.AlbumId",
    // A unique column is a key too.
    "SELECT c.Country, SUM(i.Total) FROM Customer c JOIN Invoice i ON i.CustomerId = c.CustomerId GROUP BY c.Email",
    // A select item's name or position stands for it.
    "SELECT T1.Name AS genre FROM Genre T1 JOIN Track T2 ON T1.GenreId = T2.GenreId GROUP BY genre",
    "SELECT T2.Name FROM Genre T1 JOIN Track T2 ON T1.GenreId = T2.GenreId GROUP BY 1",
    // Unqualified, the column is the one table's of the query that has it.
    "SELECT Country, COUNT(*) FROM Invoice AS i JOIN Customer AS c ON i.CustomerId = c.CustomerId GROUP BY c.Country",
    // `==` is `=`; a key compared with a constant is one row.
    "SELECT g.Name, COUNT(*) FROM Genre g, Track t WHERE g.GenreId == t.GenreId GROUP BY t.GenreId",
    "SELECT g.Name, COUNT(*) FROM Genre g JOIN Track t ON t.GenreId = g.GenreId WHERE g.GenreId = 1 GROUP BY t.AlbumId",
    // Not read for sure, so not doubted: USING, a quoted column after the dot, SQLite's MAX() row.
    "SELECT Genre.Name, COUNT(*) FROM Track JOIN Genre USING (GenreId) GROUP BY Track.GenreId",
    'SELECT T1.Name FROM Genre T1 JOIN Track T2 ON T1."GenreId" = T2."GenreId" GROUP BY T2."GenreId"',
    "SELECT GenreId, Name, MAX(Milliseconds) FROM Track GROUP BY GenreId",
  ];

  it("accepts a column its group fixes: grouped, by a key, or through a join on a key", () => {
    for (const sql of fixedByTheirGroup) expect(shown(sql), sql).toEqual([]);
  });

  it("reads only a single SELECT with GROUP BY", () => {
    expect(shown("SELECT T2.Name FROM Genre T1 JOIN Track T2 ON T1.GenreId = T2.GenreId")).toEqual([]);
    expect(
      shown("SELECT Name FROM Genre WHERE GenreId IN (SELECT GenreId FROM Track GROUP BY AlbumId)"),
    ).toEqual([]);
  });
});

describe("an aggregate query mended where it shows the wrong alias's column", () => {
  const db = new Database(":memory:");
  db.exec(`
    CREATE TABLE Genre (GenreId INTEGER PRIMARY KEY, Name TEXT);
    CREATE TABLE MediaType (MediaTypeId INTEGER PRIMARY KEY, Name TEXT);
    CREATE TABLE Track (TrackId INTEGER PRIMARY KEY, Name TEXT, GenreId INTEGER, MediaTypeId INTEGER, Milliseconds INTEGER);
    CREATE TABLE Employee (EmployeeId INTEGER PRIMARY KEY, FirstName TEXT);
    CREATE TABLE Customer (CustomerId INTEGER PRIMARY KEY, FirstName TEXT, SupportRepId INTEGER);
    INSERT INTO Genre VALUES (1, 'Rock'), (2, 'Jazz');
    INSERT INTO Track VALUES (1, 'Long song', 1, NULL, 900), (2, 'Short song', 1, NULL, 100), (3, 'Swing', 2, NULL, 300);
  `);
  const schema = introspectSchema(db);
  afterAll(() => db.close());

  it("shows the column of the table its groups fix, in the select list and ORDER BY", () => {
    const wrongAlias =
      "SELECT T2.Name, AVG(T2.Milliseconds) FROM Genre AS T1 JOIN Track AS T2 ON T1.GenreId = T2.GenreId WHERE T2.Name <> 'x' GROUP BY T1.GenreId ORDER BY T2.Name";
    const mended = regroupedQuery(schema, wrongAlias);
    expect(mended).toBe(
      "SELECT T1.Name, AVG(T2.Milliseconds) FROM Genre AS T1 JOIN Track AS T2 ON T1.GenreId = T2.GenreId WHERE T2.Name <> 'x' GROUP BY T1.GenreId ORDER BY T1.Name",
    );
    expect(db.prepare(mended!).raw(true).all()).toEqual([
      ["Jazz", 300],
      ["Rock", 500],
    ]);
  });

  it("takes a table fixed through the join condition on its key", () => {
    // Grouped by the customer's SupportRepId, which is the employee's key: the employee is fixed.
    expect(
      regroupedQuery(
        schema,
        "SELECT T1.FirstName, COUNT(*) FROM Customer AS T1 JOIN Employee AS T2 ON T1.SupportRepId = T2.EmployeeId GROUP BY T1.SupportRepId",
      ),
    ).toBe(
      "SELECT T2.FirstName, COUNT(*) FROM Customer AS T1 JOIN Employee AS T2 ON T1.SupportRepId = T2.EmployeeId GROUP BY T1.SupportRepId",
    );
  });

  const join = "FROM Genre AS T1 JOIN Track AS T2 ON T1.GenreId = T2.GenreId";

  it("mends only the column shown: not inside an aggregate, a window's ORDER BY or WHERE", () => {
    expect(
      regroupedQuery(schema, `SELECT T2.Name, COUNT(DISTINCT T2.Name) ${join} GROUP BY T1.GenreId`),
    ).toBe(`SELECT T1.Name, COUNT(DISTINCT T2.Name) ${join} GROUP BY T1.GenreId`);
    expect(
      regroupedQuery(
        schema,
        `SELECT T2.Name, RANK() OVER (ORDER BY COUNT(*) DESC) ${join} WHERE T2.Name <> 'Swing' GROUP BY T1.GenreId`,
      ),
    ).toBe(
      `SELECT T1.Name, RANK() OVER (ORDER BY COUNT(*) DESC) ${join} WHERE T2.Name <> 'Swing' GROUP BY T1.GenreId`,
    );
  });

  it("leaves a table fixed by a constant, a column HAVING tests, and a twin shown already", () => {
    // One genre for the whole answer, not one for each group: its name would repeat on every row.
    expect(
      regroupedQuery(
        schema,
        `SELECT T2.Name, COUNT(*) ${join} WHERE T1.GenreId = 1 GROUP BY T2.Milliseconds`,
      ),
    ).toBeUndefined();
    expect(
      regroupedQuery(schema, `SELECT T2.Name ${join} GROUP BY T1.GenreId HAVING T2.Name LIKE 'S%'`),
    ).toBeUndefined();
    expect(
      regroupedQuery(schema, `SELECT T1.Name, T2.Name, COUNT(*) ${join} GROUP BY T1.GenreId`),
    ).toBeUndefined();
  });

  it("leaves a query whose groups fix no table with that column, or two of them", () => {
    // Grouped by a plain column: no table is fixed.
    expect(
      regroupedQuery(
        schema,
        "SELECT T2.Name FROM Genre T1 JOIN Track T2 ON T1.GenreId = T2.GenreId GROUP BY T2.Milliseconds",
      ),
    ).toBeUndefined();
    // Genre and MediaType both fixed, both with a Name: which one is not plain.
    expect(
      regroupedQuery(
        schema,
        "SELECT t.Name FROM Track t JOIN Genre g ON g.GenreId = t.GenreId JOIN MediaType m ON m.MediaTypeId = t.MediaTypeId GROUP BY g.GenreId, m.MediaTypeId",
      ),
    ).toBeUndefined();
    // Every column fixed already.
    expect(
      regroupedQuery(
        schema,
        "SELECT T1.Name FROM Genre T1 JOIN Track T2 ON T1.GenreId = T2.GenreId GROUP BY T1.GenreId",
      ),
    ).toBeUndefined();
  });
});

describe("a query mended where it asks a column of the wrong table", () => {
  const db = new Database(":memory:");
  db.exec(`
    CREATE TABLE Artist (ArtistId INTEGER PRIMARY KEY, Name TEXT);
    CREATE TABLE Album (AlbumId INTEGER PRIMARY KEY, Title TEXT, ArtistId INTEGER REFERENCES Artist(ArtistId));
    CREATE TABLE Track (TrackId INTEGER PRIMARY KEY, Name TEXT, AlbumId INTEGER REFERENCES Album(AlbumId));
    CREATE TABLE Playlist (PlaylistId INTEGER PRIMARY KEY, Name TEXT);
    CREATE TABLE PlaylistTrack (PlaylistId INTEGER REFERENCES Playlist(PlaylistId), TrackId INTEGER REFERENCES Track(TrackId), PRIMARY KEY (PlaylistId, TrackId));
    CREATE TABLE Customer (CustomerId INTEGER PRIMARY KEY, Country TEXT);
    CREATE TABLE Invoice (InvoiceId INTEGER PRIMARY KEY, CustomerId INTEGER REFERENCES Customer(CustomerId), Total REAL);
  `);
  const schema = introspectSchema(db);
  const mend = (sql: string) => {
    try {
      db.prepare(sql);
      return sql;
    } catch (error) {
      return mendedQuery(schema, sql, `SQL error: ${(error as Error).message}`);
    }
  };
  afterAll(() => db.close());

  it("joins in the tables a join on a column one side lacks skipped, along the foreign keys", () => {
    const skipped =
      "SELECT DISTINCT T1.Name FROM Artist AS T1 INNER JOIN PlaylistTrack AS T2 ON T1.ArtistId = T2.ArtistId JOIN Playlist AS T3 ON T2.PlaylistId = T3.PlaylistId WHERE T3.Name = 'Grunge'";
    const mended = mend(skipped);
    expect(mended).toBe(
      "SELECT DISTINCT T1.Name FROM Artist AS T1 INNER JOIN Album ON T1.ArtistId = Album.ArtistId JOIN Track ON Album.AlbumId = Track.AlbumId JOIN PlaylistTrack AS T2 ON Track.TrackId = T2.TrackId JOIN Playlist AS T3 ON T2.PlaylistId = T3.PlaylistId WHERE T3.Name = 'Grunge'",
    );
    expect(() => db.prepare(mended!)).not.toThrow();
    // Joined in, Album and Track repeat each artist once per track: a plain list is made DISTINCT.
    expect(
      mend("SELECT T1.Name FROM Artist AS T1 JOIN PlaylistTrack AS T2 ON T1.ArtistId = T2.ArtistId"),
    ).toBe(
      "SELECT DISTINCT T1.Name FROM Artist AS T1 JOIN Album ON T1.ArtistId = Album.ArtistId JOIN Track ON Album.AlbumId = Track.AlbumId JOIN PlaylistTrack AS T2 ON Track.TrackId = T2.TrackId",
    );
    // A count over them is the query's own business.
    expect(
      mend("SELECT COUNT(*) FROM Artist AS T1 JOIN PlaylistTrack AS T2 ON T1.ArtistId = T2.ArtistId"),
    ).toMatch(/^SELECT COUNT\(\*\) FROM Artist AS T1 JOIN Album/);
  });

  it("quotes a table it joins in when its name needs it", () => {
    const bands = new Database(":memory:");
    bands.exec(`
      CREATE TABLE Singer (SingerId INTEGER PRIMARY KEY, Name TEXT);
      CREATE TABLE "Group" (GroupId INTEGER PRIMARY KEY, SingerId INTEGER REFERENCES Singer(SingerId));
      CREATE TABLE Concert (ConcertId INTEGER PRIMARY KEY, GroupId INTEGER REFERENCES "Group"(GroupId));
    `);
    const mended = mendedQuery(
      introspectSchema(bands),
      "SELECT s.Name FROM Singer s JOIN Concert c ON s.SingerId = c.SingerId",
      "SQL error: no such column: c.SingerId",
    );
    expect(mended).toBe(
      'SELECT DISTINCT s.Name FROM Singer s JOIN "Group" ON s.SingerId = "Group".SingerId JOIN Concert c ON "Group".GroupId = c.GroupId',
    );
    expect(() => bands.prepare(mended!)).not.toThrow();
    bands.close();
  });

  it("leaves an outer join, and adds no DISTINCT where the tables joined in repeat no row", () => {
    expect(
      mend(
        "SELECT T1.Name FROM Artist AS T1 LEFT JOIN PlaylistTrack AS T2 ON T1.ArtistId = T2.ArtistId WHERE T2.PlaylistId IS NULL",
      ),
    ).toBeUndefined();
    // Each track has one album and one artist: a list of tracks stays as long as it is.
    expect(
      mend(
        "SELECT T1.Name FROM Track T1 JOIN Artist T2 ON T1.ArtistId = T2.ArtistId WHERE T2.Name = 'AC/DC'",
      ),
    ).toBe(
      "SELECT T1.Name FROM Track T1 JOIN Album ON T1.AlbumId = Album.AlbumId JOIN Artist T2 ON Album.ArtistId = T2.ArtistId WHERE T2.Name = 'AC/DC'",
    );
  });

  it("does not guess between two keys to the same table", () => {
    const flights = new Database(":memory:");
    flights.exec(`
      CREATE TABLE Airport (AirportId INTEGER PRIMARY KEY, City TEXT);
      CREATE TABLE Flight (FlightId INTEGER PRIMARY KEY, OriginId INTEGER REFERENCES Airport(AirportId), DestId INTEGER REFERENCES Airport(AirportId));
    `);
    const sql = "SELECT T1.City FROM Airport T1 JOIN Flight T2 ON T1.AirportId = T2.AirportId";
    expect(mendedQuery(introspectSchema(flights), sql, "no such column: T2.AirportId")).toBeUndefined();
    flights.close();
  });

  it("reads a table called Window as a table, and leaves a key that does not match the key it refers to", () => {
    const odd = new Database(":memory:");
    odd.exec(`
      CREATE TABLE House (id INTEGER PRIMARY KEY, city TEXT);
      CREATE TABLE Window (id INTEGER PRIMARY KEY, house_id INTEGER REFERENCES House(id), width REAL);
      CREATE TABLE p (id INTEGER PRIMARY KEY, pcity TEXT);
      CREATE TABLE c (id INTEGER, a INTEGER, b INTEGER, FOREIGN KEY (a, b) REFERENCES p);
    `);
    const oddSchema = introspectSchema(odd);
    const mended = mendedQuery(oddSchema, "SELECT city, width FROM Window", "no such column: city");
    expect(mended).toMatch(
      /^SELECT city, width FROM Window LEFT JOIN House ON House\.id = "?Window"?\.house_id$/,
    );
    expect(() => odd.prepare(mended!)).not.toThrow();
    expect(mendedQuery(oddSchema, "SELECT pcity FROM c", "no such column: pcity")).toBeUndefined();
    odd.close();
  });

  it("takes a column from the one other table of the query that has it", () => {
    const wrongAlias =
      "SELECT T2.Country FROM Customer AS T1 JOIN Invoice AS T2 ON T1.CustomerId = T2.CustomerId GROUP BY T2.Country ORDER BY SUM(T2.Total) DESC LIMIT 1";
    expect(mend(wrongAlias)).toBe(
      "SELECT T1.Country FROM Customer AS T1 JOIN Invoice AS T2 ON T1.CustomerId = T2.CustomerId GROUP BY T1.Country ORDER BY SUM(T2.Total) DESC LIMIT 1",
    );
    // Quoted after the dot, as names with spaces are, it is the same column.
    expect(
      mend(
        `SELECT T2."Country", T2.[Total] FROM Customer AS T1 JOIN Invoice AS T2 ON T1.CustomerId = T2.CustomerId`,
      ),
    ).toBe(
      `SELECT T1."Country", T2.[Total] FROM Customer AS T1 JOIN Invoice AS T2 ON T1.CustomerId = T2.CustomerId`,
    );
  });

  it("joins in the table a key refers to when the column is there, keeping the query's rows", () => {
    const byCountry = "SELECT Country, SUM(Total) FROM Invoice GROUP BY Country ORDER BY 2 DESC";
    const mended = mend(byCountry);
    expect(mended).toBe(
      "SELECT Country, SUM(Total) FROM Invoice LEFT JOIN Customer ON Customer.CustomerId = Invoice.CustomerId GROUP BY Country ORDER BY 2 DESC",
    );
    expect(() => db.prepare(mended!)).not.toThrow();
    // Asked of the alias of the table holding the key: the column is taken from the table joined in.
    expect(mend("SELECT i.Country FROM Invoice i WHERE i.Total > 5")).toBe(
      "SELECT Customer.Country FROM Invoice i LEFT JOIN Customer ON Customer.CustomerId = i.CustomerId WHERE i.Total > 5",
    );
    // A column both tables have stays the query's own, as it was before the join.
    expect(mend("SELECT CustomerId, Country FROM Invoice")).toBe(
      "SELECT Invoice.CustomerId, Country FROM Invoice LEFT JOIN Customer ON Customer.CustomerId = Invoice.CustomerId",
    );
    // Asked of the table itself, which the query forgot to join; at the end of the query.
    expect(mend("SELECT Customer.Country FROM Invoice")).toBe(
      "SELECT Customer.Country FROM Invoice LEFT JOIN Customer ON Customer.CustomerId = Invoice.CustomerId",
    );
  });

  it("joins in no table that would repeat rows or that two keys lead to", () => {
    // Customer holds no key to Invoice: joining its invoices would repeat each customer.
    expect(mend("SELECT Country, Total FROM Customer")).toBeUndefined();
    const flights = new Database(":memory:");
    flights.exec(`
      CREATE TABLE Airport (AirportId INTEGER PRIMARY KEY, City TEXT);
      CREATE TABLE Flight (FlightId INTEGER PRIMARY KEY, OriginId INTEGER REFERENCES Airport(AirportId), DestId INTEGER REFERENCES Airport(AirportId));
    `);
    expect(
      mendedQuery(introspectSchema(flights), "SELECT City FROM Flight", "no such column: City"),
    ).toBeUndefined();
    flights.close();
    // The join would change what else the query says: `*`, an alias it hides, an ON before it.
    expect(mend("SELECT * FROM Invoice WHERE Country = 'France'")).toBeUndefined();
    expect(mend("SELECT Country, Total AS CustomerId FROM Invoice")).toBeUndefined();
    expect(mend("SELECT i.Total FROM Invoice i LEFT JOIN Artist a ON a.Name = Country")).toBeUndefined();
    // Inside a subquery, the table could be joined at two levels.
    expect(
      mend(
        "SELECT Total FROM Invoice WHERE InvoiceId IN (SELECT InvoiceId FROM Invoice WHERE Country = 'France')",
      ),
    ).toBeUndefined();
  });

  it("leaves what it cannot tell: no such column anywhere, a join on two different columns, a self-comparison", () => {
    expect(
      mend("SELECT T1.Genre FROM Track AS T1 JOIN Album AS T2 ON T1.AlbumId = T2.AlbumId"),
    ).toBeUndefined();
    // Two columns of different names: the model joined two unrelated tables, it did not skip one.
    expect(mend("SELECT a.Name FROM Artist a JOIN Invoice i ON i.InvoiceId = a.AlbumId")).toBeUndefined();
    // Taking CustomerId from T1 would compare T1.CustomerId with itself, written = or ==.
    expect(
      mend("SELECT * FROM Customer AS T1 JOIN Artist AS T2 ON T1.CustomerId = T2.CustomerId"),
    ).toBeUndefined();
    expect(
      mend("SELECT * FROM Customer AS T1 JOIN Artist AS T2 ON T1.CustomerId == T2.CustomerId"),
    ).toBeUndefined();
    // Inside a subquery, the other table is the outer query's: the column would correlate.
    expect(
      mend(
        "SELECT Name FROM Artist WHERE ArtistId IN (SELECT T2.ArtistId FROM PlaylistTrack T2 WHERE T2.PlaylistId = 1)",
      ),
    ).toBeUndefined();
    expect(mendedQuery(schema, "SELECT 1", "SQL error: no such table: Genre")).toBeUndefined();
  });
});

describe("a ranking query without the value it ranks by", () => {
  const db = new Database(":memory:");
  db.exec(`
    CREATE TABLE Invoice (InvoiceId INTEGER PRIMARY KEY, BillingCity TEXT, Total REAL);
    INSERT INTO Invoice VALUES (1, 'Prague', 10), (2, 'Prague', 9), (3, 'Oslo', 12), (4, 'Lyon', 1), (5, 'Lyon', 2);
  `);
  afterAll(() => db.close());
  const rows = (sql: string) => db.prepare(sql).raw(true).all() as unknown[][];

  it.each([
    [
      "by its name",
      "SELECT BillingCity, SUM(Total) AS revenue FROM Invoice GROUP BY BillingCity ORDER BY revenue DESC LIMIT 2",
      "SELECT BillingCity FROM Invoice GROUP BY BillingCity ORDER BY SUM(Total) DESC LIMIT 2",
      0,
    ],
    [
      "by its expression, named without AS",
      "SELECT BillingCity, ROUND(SUM(Total), 1) rounded FROM Invoice GROUP BY 1 ORDER BY ROUND(SUM(Total), 1) ASC LIMIT 1",
      "SELECT BillingCity FROM Invoice GROUP BY 1 ORDER BY ROUND(SUM(Total), 1) ASC LIMIT 1",
      0,
    ],
    [
      "by its position, the positions after it moved",
      "SELECT COUNT(*), BillingCity FROM Invoice GROUP BY 2 ORDER BY 1 DESC, 2 LIMIT 1",
      "SELECT BillingCity FROM Invoice GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1",
      1,
    ],
  ])("drops the value when ORDER BY names it %s, and finds the same rows", (_, ranking, expected, kept) => {
    const trimmed = withoutRankingValue(ranking);
    expect(trimmed).toBe(expected);
    expect(rows(trimmed!)).toEqual(rows(ranking).map((row) => [row[kept]]));
  });

  it.each([
    [
      "no LIMIT: every group is listed",
      "SELECT BillingCity, SUM(Total) AS s FROM Invoice GROUP BY BillingCity ORDER BY s DESC",
    ],
    ["no GROUP BY", "SELECT BillingCity, Total FROM Invoice ORDER BY Total DESC LIMIT 1"],
    [
      "ordered by what it shows",
      "SELECT BillingCity, SUM(Total) FROM Invoice GROUP BY BillingCity ORDER BY BillingCity LIMIT 2",
    ],
    [
      "DISTINCT would merge rows",
      "SELECT DISTINCT BillingCity, SUM(Total) AS s FROM Invoice GROUP BY BillingCity ORDER BY s DESC LIMIT 1",
    ],
    [
      "its name is a column the query reads too",
      "SELECT BillingCity, MAX(Total) AS total FROM Invoice WHERE Total > 1 GROUP BY BillingCity ORDER BY total DESC LIMIT 1",
    ],
    [
      "its name is used in HAVING",
      "SELECT BillingCity, SUM(Total) AS s FROM Invoice GROUP BY BillingCity HAVING s > 5 ORDER BY s DESC LIMIT 1",
    ],
    [
      "only aggregates would stay",
      "SELECT COUNT(*) AS n, SUM(Total) AS s FROM Invoice GROUP BY BillingCity ORDER BY s DESC LIMIT 1",
    ],
    [
      "a subquery",
      "SELECT BillingCity, SUM(Total) AS s FROM (SELECT * FROM Invoice) GROUP BY BillingCity ORDER BY s DESC LIMIT 1",
    ],
  ])("leaves the query alone: %s", (_, sql) => {
    expect(withoutRankingValue(sql)).toBeUndefined();
  });

  it("keeps a value the question asks for", () => {
    const ranking =
      "SELECT BillingCity, COUNT(*) AS invoices, SUM(Total) AS revenue FROM Invoice GROUP BY BillingCity ORDER BY revenue DESC, invoices DESC LIMIT 2";
    expect(withoutRankingValue(ranking, (value) => value.endsWith("revenue"))).toBe(
      "SELECT BillingCity, SUM(Total) AS revenue FROM Invoice GROUP BY BillingCity ORDER BY revenue DESC, COUNT(*) DESC LIMIT 2",
    );
  });
});

describe("a list read through joins, as DISTINCT", () => {
  it("inserts DISTINCT after SELECT", () => {
    expect(
      distinctList(
        "SELECT c.Phone FROM Customer c JOIN Invoice i ON i.CustomerId = c.CustomerId WHERE i.BillingCity = 'Prague'",
      ),
    ).toBe(
      "SELECT DISTINCT c.Phone FROM Customer c JOIN Invoice i ON i.CustomerId = c.CustomerId WHERE i.BillingCity = 'Prague'",
    );
  });

  it.each([
    ["no join", "SELECT Country FROM Customer"],
    [
      "DISTINCT already",
      "SELECT DISTINCT c.Phone FROM Customer c JOIN Invoice i ON i.CustomerId = c.CustomerId",
    ],
    [
      "an aggregate",
      "SELECT c.Phone, COUNT(*) FROM Customer c JOIN Invoice i ON i.CustomerId = c.CustomerId GROUP BY c.Phone",
    ],
    ["LIMIT", "SELECT c.Phone FROM Customer c JOIN Invoice i ON i.CustomerId = c.CustomerId LIMIT 3"],
    [
      "a subquery",
      "SELECT c.Phone FROM Customer c JOIN Invoice i ON i.CustomerId = c.CustomerId WHERE i.Total > (SELECT AVG(Total) FROM Invoice)",
    ],
  ])("leaves the query alone: %s", (_, sql) => {
    expect(distinctList(sql)).toBeUndefined();
  });
});

describe("date functions given columns that hold no dates", () => {
  const db = new Database(":memory:");
  db.exec(`
    CREATE TABLE flights (year INTEGER, month INTEGER, dep_time INTEGER, origin TEXT, time_hour TEXT,
      fare REAL, departed INTEGER, gate TEXT, note TEXT, cancelled_on TEXT, photo BLOB);
    CREATE TABLE weather (origin TEXT, month INTEGER, observed TEXT);
    INSERT INTO flights VALUES
      (2013, 1, 517, 'EWR', '2013-01-01T10:00:00Z', 129.5, 1357034400, NULL, 'late', '', x'00ff'),
      (2013, 12, 2359, 'JFK', '2013-12-31 23:00', 88, 1388530800, NULL, '2013', '0000-00-00 00:00:00', NULL);
    INSERT INTO weather VALUES ('LGA', 7, '05:17');
  `);
  const schema = introspectSchema(db);
  db.close();
  const holds = (table: string, column: string) =>
    schema.tables.find((t) => t.name === table)!.columns.find((c) => c.name === column)!.holdsDates;
  const misread = (sql: string) => {
    const found = dateFunctionOnNonDate(schema, sql);
    return found && `${found.fn} ${found.table.name}.${found.column.name}`;
  };

  it("tells from a table's first rows which columns hold dates", () => {
    expect(["year", "month", "dep_time", "origin", "fare", "note"].map((c) => holds("flights", c))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(holds("flights", "time_hour")).toBe(true);
    expect(holds("flights", "departed")).toBe(true); // unix seconds
    expect(holds("weather", "observed")).toBe(true); // a time of day
    expect(holds("flights", "gate")).toBeUndefined(); // no value to tell by
    expect(holds("flights", "cancelled_on")).toBeUndefined(); // only placeholders for no date
    expect(holds("flights", "photo")).toBeUndefined(); // a blob is not read
  });

  it("finds the column a date function reads, bare or through an alias, whatever the argument's place", () => {
    expect(misread("SELECT strftime('%m', month), COUNT(*) FROM flights GROUP BY 1")).toBe(
      "strftime flights.month",
    );
    expect(misread("SELECT COUNT(*) FROM flights f WHERE STRFTIME('%Y', f.year) = '2013'")).toBe(
      "STRFTIME flights.year",
    );
    expect(misread("SELECT MAX(julianday(w.origin)) FROM weather AS w")).toBe("julianday weather.origin");
    expect(misread("SELECT date(dep_time) FROM flights")).toBe("date flights.dep_time");
  });

  it("accepts dates, expressions, constants, unknown columns and a name two tables share", () => {
    expect(misread("SELECT strftime('%Y-%m', time_hour) FROM flights")).toBeUndefined();
    expect(misread("SELECT datetime(departed, 'unixepoch') FROM flights")).toBeUndefined();
    expect(
      misread("SELECT date(year || '-' || printf('%02d', month) || '-01') FROM flights"),
    ).toBeUndefined();
    expect(misread("SELECT COUNT(*) FROM flights WHERE time_hour > date('now', '-1 year')")).toBeUndefined();
    expect(misread("SELECT strftime('%m', flown) FROM flights")).toBeUndefined();
    expect(
      misread("SELECT strftime('%m', month) FROM flights JOIN weather ON weather.origin = flights.origin"),
    ).toBeUndefined();
    expect(misread("SELECT gate FROM flights WHERE strftime('%H', gate) = '05'")).toBeUndefined();
    expect(misread("SELECT strftime('%m', month) AS month, COUNT(*) FROM flights GROUP BY 1")).toBe(
      "strftime flights.month",
    );
    // Seconds read as such, and a name a CTE gives its own date.
    expect(misread("SELECT time(dep_time, 'unixepoch') FROM flights")).toBeUndefined();
    expect(
      misread(
        "WITH d AS (SELECT date(year || '-' || printf('%02d', month) || '-01') AS month FROM flights) SELECT strftime('%m', month) FROM d",
      ),
    ).toBeUndefined();
  });

  it("says how a table keeps its dates when the query asks a date column it lacks", () => {
    const inJuly = "SELECT COUNT(*) FROM flights WHERE strftime('%m', date) = '07'";
    expect(schemaHintFor(schema, inJuly, "no such column: date")).toContain(
      "flights keeps each date as numbers in year, month: compare those (e.g. month = 7), not a date.",
    );
    expect(schemaHintFor(schema, "SELECT gate_name FROM flights", "no such column: gate_name")).not.toContain(
      "keeps each date",
    );
    expect(
      schemaHintFor(schema, "SELECT updated_by FROM flights", "no such column: updated_by"),
    ).not.toContain("keeps each date");
    expect(schemaHintFor(schema, "SELECT FlightDate FROM flights", "no such column: FlightDate")).toContain(
      "keeps each date",
    );
    // One part alone (weather's month) is not how dates are kept.
    expect(
      schemaHintFor(schema, "SELECT COUNT(*) FROM weather WHERE date = '2013-07-01'", "no such column: date"),
    ).not.toContain("keeps each date");
  });
});

describe("a key compared with a name of the row it refers to", () => {
  const db = new Database(":memory:");
  db.exec(`
    CREATE TABLE airlines (carrier TEXT PRIMARY KEY, name TEXT, alias TEXT);
    CREATE TABLE flights (id INTEGER PRIMARY KEY, carrier TEXT REFERENCES airlines(carrier), dest TEXT);
  `);
  const schema = introspectSchema(db);
  db.close();
  const stored: Record<string, Array<{ table: string; column: string }>> = {
    "JetBlue Airways": [{ table: "airlines", column: "name" }],
    B6: [
      { table: "airlines", column: "carrier" },
      { table: "flights", column: "carrier" },
    ],
    ZZ: [{ table: "airlines", column: "carrier" }],
    Blue: [
      { table: "airlines", column: "name" },
      { table: "airlines", column: "alias" },
    ],
  };
  const relinked = (sql: string) => throughReferencedName(schema, sql, (value) => stored[value] ?? []);

  it("compares the key with the key of the row that has that name", () => {
    expect(relinked("SELECT COUNT(DISTINCT dest) FROM flights WHERE carrier = 'JetBlue Airways'")).toBe(
      `SELECT COUNT(DISTINCT dest) FROM flights WHERE carrier IN (SELECT "carrier" FROM "airlines" WHERE "name" = 'JetBlue Airways')`,
    );
    expect(
      relinked("SELECT COUNT(*) FROM flights AS f WHERE f.carrier = 'JetBlue Airways' AND f.dest = 'BOS'"),
    ).toBe(
      `SELECT COUNT(*) FROM flights AS f WHERE f.carrier IN (SELECT "carrier" FROM "airlines" WHERE "name" = 'JetBlue Airways') AND f.dest = 'BOS'`,
    );
  });

  it("leaves a value the key holds, a column that is no key, a name two columns hold, a value stored nowhere or only as a key", () => {
    expect(relinked("SELECT COUNT(*) FROM flights WHERE carrier = 'B6'")).toBeUndefined();
    expect(relinked("SELECT COUNT(*) FROM flights WHERE dest = 'JetBlue Airways'")).toBeUndefined();
    expect(relinked("SELECT COUNT(*) FROM flights WHERE carrier = 'Blue'")).toBeUndefined();
    expect(relinked("SELECT COUNT(*) FROM flights WHERE carrier = 'Nobody Air'")).toBeUndefined();
    expect(relinked("SELECT COUNT(*) FROM flights WHERE carrier = 'ZZ'")).toBeUndefined();
  });
});

describe("a column of dates and times compared with a day", () => {
  const db = new Database(":memory:");
  db.exec(`
    CREATE TABLE Invoice (InvoiceId INTEGER, InvoiceDate DATETIME, DueDate TEXT, Total REAL);
    CREATE TABLE Payment (InvoiceId INTEGER, paid_at TEXT, sent_at TEXT);
    INSERT INTO Invoice VALUES (1, '2025-03-31 00:00:00', '2025-04-30', 10), (2, '2025-01-01 09:30:00', '2025-01-31', 5);
    INSERT INTO Payment VALUES (1, '2025-04-02 11:00:00', '2025-04-01 21:30:00-05:00');
  `);
  const schema = introspectSchema(db);
  const byDay = (sql: string) => comparedByDay(schema, sql);
  const count = (sql: string) => db.prepare(sql).pluck().get();

  it("compares it by its day where a range ends on that day, or it must equal the day", () => {
    const quarter = "SELECT COUNT(*) FROM Invoice WHERE InvoiceDate BETWEEN '2025-01-01' AND '2025-03-31'";
    expect(count(quarter)).toBe(1);
    expect(byDay(quarter)).toBe(
      "SELECT COUNT(*) FROM Invoice WHERE date(InvoiceDate) BETWEEN '2025-01-01' AND '2025-03-31'",
    );
    expect(count(byDay(quarter)!)).toBe(2);
    expect(
      byDay(
        "SELECT * FROM Invoice AS T1 WHERE T1.InvoiceDate >= '2025-01-01' AND T1.InvoiceDate <= '2025-03-31'",
      ),
    ).toBe(
      "SELECT * FROM Invoice AS T1 WHERE T1.InvoiceDate >= '2025-01-01' AND date(T1.InvoiceDate) <= '2025-03-31'",
    );
    expect(
      byDay(
        "SELECT * FROM Invoice i JOIN Payment p ON p.InvoiceId = i.InvoiceId WHERE p.paid_at = '2025-04-02'",
      ),
    ).toBe(
      "SELECT * FROM Invoice i JOIN Payment p ON p.InvoiceId = i.InvoiceId WHERE date(p.paid_at) = '2025-04-02'",
    );
    expect(byDay(`SELECT * FROM Invoice WHERE "InvoiceDate" NOT BETWEEN '2025-01-01' AND '2025-01-01'`)).toBe(
      `SELECT * FROM Invoice WHERE date("InvoiceDate") NOT BETWEEN '2025-01-01' AND '2025-01-01'`,
    );
  });

  it("leaves comparisons that mean the same either way, days, times and expressions as written", () => {
    for (const sql of [
      "SELECT * FROM Invoice WHERE InvoiceDate < '2025-04-01' AND InvoiceDate >= '2025-01-01'",
      "SELECT * FROM Invoice WHERE InvoiceDate > '2025-01-01'",
      "SELECT * FROM Invoice WHERE DueDate <= '2025-03-31'",
      "SELECT * FROM Invoice WHERE date(InvoiceDate) = '2025-03-31'",
      "SELECT * FROM Invoice WHERE InvoiceDate <= '2025-03-31 12:00:00'",
      "SELECT * FROM Invoice WHERE InvoiceDate BETWEEN '2025-01-01 08:00' AND '2025-03-31'",
      "SELECT * FROM Invoice WHERE InvoiceDate || '' = '2025-03-31'",
      "SELECT * FROM Invoice WHERE InvoiceDate != '2025-03-31'",
      "SELECT * FROM Invoice WHERE Total = '2025-03-31'",
      "SELECT * FROM Invoice WHERE InvoiceDate = '2025-03-31' || ' 10:00:00'",
      // date() would read the day in UTC: 2 April.
      "SELECT * FROM Payment WHERE sent_at <= '2025-04-01'",
    ])
      expect(byDay(sql), sql).toBeUndefined();
  });
});

describe("a join that only repeats the rows a sum or average reads", () => {
  const db = new Database(":memory:");
  db.exec(`
    CREATE TABLE Customer (CustomerId INTEGER PRIMARY KEY, Country TEXT);
    CREATE TABLE Invoice (InvoiceId INTEGER PRIMARY KEY, CustomerId INTEGER REFERENCES Customer(CustomerId), Total REAL);
    CREATE TABLE InvoiceLine (InvoiceLineId INTEGER PRIMARY KEY, InvoiceId INTEGER REFERENCES Invoice(InvoiceId), UnitPrice REAL, Quantity INTEGER);
    CREATE TABLE Employee (EmployeeId INTEGER PRIMARY KEY, ReportsTo INTEGER REFERENCES Employee(EmployeeId), Salary REAL);
    CREATE TABLE Account (CustomerId INTEGER PRIMARY KEY REFERENCES Customer(CustomerId), Balance REAL);
  `);
  const schema = introspectSchema(db);
  db.close();
  const fanOut = (sql: string) => withoutFanOutJoin(schema, sql);

  it("leaves out a table joined by its key to the summed table and used nowhere else, with its join words", () => {
    expect(
      fanOut(
        "SELECT ROUND(AVG(T1.Total), 2) FROM Invoice AS T1 JOIN InvoiceLine AS T2 ON T1.InvoiceId = T2.InvoiceId",
      ),
    ).toBe("SELECT ROUND(AVG(T1.Total), 2) FROM Invoice AS T1");
    expect(
      fanOut(
        "SELECT SUM(Total) * 100 FROM Invoice i INNER JOIN InvoiceLine l ON l.InvoiceId = i.InvoiceId WHERE i.CustomerId = 3",
      ),
    ).toBe("SELECT SUM(Total) * 100 FROM Invoice i WHERE i.CustomerId = 3");
    expect(
      fanOut(
        "SELECT c.Country, SUM(i.Total) FROM Customer c JOIN Invoice i ON i.CustomerId = c.CustomerId LEFT OUTER JOIN InvoiceLine l ON l.InvoiceId = i.InvoiceId GROUP BY c.Country",
      ),
    ).toBe(
      "SELECT c.Country, SUM(i.Total) FROM Customer c JOIN Invoice i ON i.CustomerId = c.CustomerId GROUP BY c.Country",
    );
  });

  it("cuts the join whole: a comment before it, RIGHT and FULL, a table listed after it", () => {
    expect(
      fanOut(
        "SELECT SUM(i.Total) FROM Invoice i -- every invoice\nJOIN InvoiceLine l ON l.InvoiceId = i.InvoiceId\nWHERE i.CustomerId = 3;",
      ),
    ).toBe("SELECT SUM(i.Total) FROM Invoice i WHERE i.CustomerId = 3;");
    expect(
      fanOut(
        "SELECT SUM(i.Total) FROM Invoice i RIGHT JOIN InvoiceLine l ON l.InvoiceId = i.InvoiceId JOIN Customer c ON c.CustomerId = i.CustomerId",
      ),
    ).toBe("SELECT SUM(i.Total) FROM Invoice i JOIN Customer c ON c.CustomerId = i.CustomerId");
    expect(
      fanOut(
        "SELECT SUM(i.Total) FROM Invoice i FULL OUTER JOIN InvoiceLine l ON l.InvoiceId = i.InvoiceId, Customer c WHERE c.CustomerId = i.CustomerId",
      ),
    ).toBe("SELECT SUM(i.Total) FROM Invoice i, Customer c WHERE c.CustomerId = i.CustomerId");
  });

  it("leaves a join whose table the query uses, or that does not repeat rows", () => {
    for (const sql of [
      // The joined table's columns are read: in the sum, the filter, or written bare.
      "SELECT SUM(l.UnitPrice * l.Quantity) FROM Invoice i JOIN InvoiceLine l ON l.InvoiceId = i.InvoiceId",
      "SELECT SUM(i.Total) FROM Invoice i JOIN InvoiceLine l ON l.InvoiceId = i.InvoiceId WHERE l.Quantity > 1",
      "SELECT SUM(Quantity) FROM Invoice i JOIN InvoiceLine l ON l.InvoiceId = i.InvoiceId",
      // Joined also for a filter in its ON clause.
      "SELECT SUM(i.Total) FROM Invoice i JOIN InvoiceLine l ON l.InvoiceId = i.InvoiceId AND l.Quantity > 1",
      // Sums that count the joined rows.
      "SELECT SUM(1) FROM Invoice i JOIN InvoiceLine l ON l.InvoiceId = i.InvoiceId",
      "SELECT SUM(CASE WHEN i.Total > 5 THEN 1 ELSE 0 END) FROM Invoice i JOIN InvoiceLine l ON l.InvoiceId = i.InvoiceId",
      // A key unique in the joined table: one row each.
      "SELECT AVG(c.Country = 'USA') FROM Customer c JOIN Account a ON a.CustomerId = c.CustomerId",
      // Joined to the table its key refers to: one row each, nothing repeated.
      "SELECT SUM(i.Total) FROM Invoice i JOIN Customer c ON c.CustomerId = i.CustomerId",
      // Counting the joined rows may be what was asked, beside a sum too; MIN and MAX do not change with repeats.
      "SELECT COUNT(*) FROM Invoice i JOIN InvoiceLine l ON l.InvoiceId = i.InvoiceId",
      "SELECT COUNT(*), SUM(i.Total) FROM Invoice i JOIN InvoiceLine l ON l.InvoiceId = i.InvoiceId",
      "SELECT i.CustomerId, SUM(i.Total) FROM Invoice i JOIN InvoiceLine l ON l.InvoiceId = i.InvoiceId GROUP BY i.CustomerId HAVING COUNT(*) > 10",
      "SELECT MAX(i.Total) FROM Invoice i JOIN InvoiceLine l ON l.InvoiceId = i.InvoiceId",
      // Shapes not read for sure: DISTINCT, USING, a table read twice, a subquery.
      "SELECT SUM(DISTINCT i.Total) FROM Invoice i JOIN InvoiceLine l ON l.InvoiceId = i.InvoiceId",
      "SELECT SUM(Total) FROM Invoice JOIN InvoiceLine USING (InvoiceId)",
      "SELECT AVG(e.Salary) FROM Employee e JOIN Employee m ON m.ReportsTo = e.EmployeeId",
      "SELECT SUM(Total) FROM Invoice WHERE InvoiceId IN (SELECT InvoiceId FROM InvoiceLine)",
      "SELECT SUM(i.Total) FROM Invoice i, InvoiceLine l WHERE l.InvoiceId = i.InvoiceId",
    ])
      expect(fanOut(sql), sql).toBeUndefined();
  });
});

describe("a join on part of a key of several columns", () => {
  const db = new Database(":memory:");
  db.exec(`
    CREATE TABLE episodes (series INTEGER, episode INTEGER, sb_name TEXT, PRIMARY KEY (series, episode));
    CREATE TABLE ratings (series INTEGER, episode INTEGER, viewers REAL,
      FOREIGN KEY (series, episode) REFERENCES episodes(series, episode));
    CREATE TABLE "Star Bakers" ("Series No" INTEGER, baker TEXT, PRIMARY KEY ("Series No", baker));
    CREATE TABLE challenges (series INTEGER, episode INTEGER, baker TEXT, result TEXT,
      FOREIGN KEY (series, baker) REFERENCES "Star Bakers"("Series No", baker));
    CREATE TABLE takes (id INTEGER, course TEXT, year INTEGER, PRIMARY KEY (id, course, year));
    CREATE TABLE teaches (id INTEGER, course TEXT, year INTEGER, PRIMARY KEY (id, course, year));
  `);
  const schema = introspectSchema(db);
  db.close();
  const keyed = (sql: string) => fullKeyJoin(schema, sql);

  it("joins on the rest of a foreign key of several columns, after the part the query matched", () => {
    expect(
      keyed(
        "SELECT e.sb_name, SUM(r.viewers) FROM ratings AS r JOIN episodes AS e ON r.series = e.series GROUP BY e.sb_name",
      ),
    ).toBe(
      "SELECT e.sb_name, SUM(r.viewers) FROM ratings AS r JOIN episodes AS e ON r.series = e.series AND r.episode = e.episode GROUP BY e.sb_name",
    );
    expect(
      keyed(
        "SELECT COUNT(*) FROM ratings, episodes WHERE episodes.sb_name = 'Jo' AND (episodes.series = ratings.series)",
      ),
    ).toBe(
      "SELECT COUNT(*) FROM ratings, episodes WHERE episodes.sb_name = 'Jo' AND (episodes.series = ratings.series AND ratings.episode = episodes.episode)",
    );
    expect(
      keyed('SELECT COUNT(*) FROM "Star Bakers" JOIN challenges ON challenges.baker = "Star Bakers".baker'),
    ).toBe(
      'SELECT COUNT(*) FROM "Star Bakers" JOIN challenges ON challenges.baker = "Star Bakers".baker AND "Star Bakers"."Series No" = challenges.series',
    );
  });

  it("leaves a whole key, a column of the key the query names, an equality within an expression, an outer join, and columns that only share names", () => {
    const left = [
      "SELECT e.sb_name FROM ratings r JOIN episodes e ON r.series = e.series AND r.episode = e.episode",
      "SELECT e.sb_name FROM ratings r, episodes e WHERE e.series = r.series AND e.episode = r.episode",
      "SELECT r.episode, r.viewers FROM ratings r JOIN episodes e ON r.series = e.series WHERE e.sb_name = 'Rahul'",
      "SELECT COUNT(*) FROM ratings r JOIN episodes e ON r.series = e.series WHERE e.episode = 3",
      "SELECT e.sb_name FROM ratings r JOIN episodes e ON r.series = e.series + 1",
      "SELECT SUM(CASE WHEN r.series = e.series THEN 1 ELSE 0 END) FROM ratings r JOIN episodes e ON r.viewers > 1",
      "SELECT e.series FROM episodes e LEFT JOIN ratings r ON r.series = e.series WHERE r.series IS NULL",
      "SELECT COUNT(*) FROM takes t JOIN teaches s ON t.course = s.course AND t.year = s.year",
      "SELECT b.baker FROM challenges c JOIN \"Star Bakers\" b ON c.baker = b.baker WHERE c.result IN (SELECT 'OUT')",
    ];
    for (const sql of left) expect(keyed(sql), sql).toBeUndefined();
  });
});

describe("one column asked for two values in the same row", () => {
  const db = new Database(":memory:");
  db.exec(`
    CREATE TABLE Customer (CustomerId INTEGER PRIMARY KEY, Name TEXT, City TEXT);
    CREATE TABLE Genre (GenreId INTEGER PRIMARY KEY, Name TEXT);
    CREATE TABLE Sale (SaleId INTEGER PRIMARY KEY, CustomerId INTEGER REFERENCES Customer(CustomerId), GenreId INTEGER REFERENCES Genre(GenreId), Day TEXT, Price REAL);
    INSERT INTO Customer VALUES (1, 'Ann', NULL), (2, 'Bo', 'Oslo'), (3, 'Cy', 'Rome');
    INSERT INTO Genre VALUES (1, 'Rock'), (2, 'Jazz'), (3, 'Pop');
    INSERT INTO Sale VALUES (1, 1, 1, '2025-01-02', 1), (2, 1, 2, '2025-02-03', 1), (3, 2, 1, '2025-01-05', 1),
      (4, 3, 2, '2025-03-01', 1), (5, 3, 1, '2025-06-01', 1), (6, 3, 3, '2025-06-02', 1), (7, 2, 3, '2025-07-01', 1);
  `);
  const schema = introspectSchema(db);
  const both = (sql: string) => intersectedQuery(schema, sql);
  const rows = (sql: string) => db.prepare(sql).raw(true).all();
  const joins =
    "FROM Customer AS T1 JOIN Sale AS T2 ON T1.CustomerId = T2.CustomerId JOIN Genre AS T3 ON T3.GenreId = T2.GenreId";
  afterAll(() => db.close());

  it("lists what has both values as two queries intersected, ORDER BY and LIMIT after both", () => {
    const sql = both(`SELECT T1.Name ${joins} WHERE T3.Name = 'Rock' AND T3.Name = 'Jazz' ORDER BY T1.Name;`);
    expect(sql).toBe(
      `SELECT T1.Name ${joins} WHERE T3.Name = 'Rock' INTERSECT SELECT T1.Name ${joins} WHERE T3.Name = 'Jazz' ORDER BY T1.Name`,
    );
    expect(rows(sql ?? "")).toEqual([["Ann"], ["Cy"]]);
    // The other conditions stay in each query, each value where the first stood; three values make three queries.
    const three = both(
      `SELECT DISTINCT T1.Name ${joins} WHERE 'Rock' = T3.Name AND T2.Day BETWEEN '2025-01-01' AND '2025-12-31' AND T3.Name = 'Jazz' AND T3.Name = 'Pop'`,
    );
    const year = "T2.Day BETWEEN '2025-01-01' AND '2025-12-31'";
    expect(three).toBe(
      [`'Rock' = T3.Name AND ${year}`, `T3.Name = 'Jazz' AND ${year}`, `T3.Name = 'Pop' AND ${year}`]
        .map((conditions) => `SELECT DISTINCT T1.Name ${joins} WHERE ${conditions}`)
        .join(" INTERSECT "),
    );
    expect(rows(three ?? "")).toEqual([["Cy"]]);
  });

  it("counts what both queries find: the counted column, or the first table's key for COUNT(*)", () => {
    const distinct = both(
      `SELECT COUNT(DISTINCT T1.CustomerId) AS buyers ${joins} WHERE T3.Name = 'Rock' AND T3.Name = 'Jazz'`,
    );
    expect(distinct).toBe(
      `SELECT COUNT(counted) AS buyers FROM (SELECT T1.CustomerId AS counted ${joins} WHERE T3.Name = 'Rock' INTERSECT SELECT T1.CustomerId AS counted ${joins} WHERE T3.Name = 'Jazz')`,
    );
    const star = both(`SELECT COUNT(*) ${joins} WHERE T3.Name = 'Rock' AND T3.Name = 'Jazz'`);
    expect(star).toContain(`SELECT "T1"."CustomerId" AS counted ${joins} WHERE T3.Name = 'Rock' INTERSECT`);
    for (const sql of [distinct, star]) expect(rows(sql ?? "")).toEqual([[2]]);
    // Ann and Cy bought both; Ann's city is not known, and the count written leaves NULL out.
    const cities = both(
      `SELECT COUNT(DISTINCT T1.City) ${joins} WHERE T3.Name = 'Rock' AND T3.Name = 'Jazz'`,
    );
    expect(rows(cities ?? "")).toEqual([[1]]);
  });

  it("leaves a query that asks each column for one value, or a shape it cannot split", () => {
    for (const sql of [
      `SELECT T1.Name ${joins} WHERE T3.Name = 'Rock' AND T2.Price = 1`,
      `SELECT T1.Name ${joins} WHERE T3.Name = 'Rock' AND T3.Name = 'rock'`,
      `SELECT T1.Name ${joins} WHERE T3.Name = 'Rock' OR T3.Name = 'Jazz'`,
      `SELECT T1.Name ${joins} WHERE T3.Name = 'Rock' AND (T3.Name = 'Jazz' OR T2.Price > 1)`,
      `SELECT T1.Name ${joins} WHERE T3.Name = 'Rock' AND CASE WHEN T2.Price > 0 THEN T2.Price < 5 AND T3.Name = 'Jazz' AND T2.Day > '2025' END`,
      `SELECT T1.Name ${joins} WHERE T3.Name = 'Rock' AND NOT T3.Name = 'Jazz'`,
      `SELECT T1.Name ${joins} WHERE T3.Name = 'Rock' AND T3.Name != 'Jazz'`,
      `SELECT T1.Name, COUNT(*) ${joins} WHERE T3.Name = 'Rock' AND T3.Name = 'Jazz' GROUP BY T1.Name`,
      `SELECT SUM(T2.Price) ${joins} WHERE T3.Name = 'Rock' AND T3.Name = 'Jazz'`,
      `SELECT Name FROM Customer WHERE CustomerId IN (SELECT CustomerId FROM Sale WHERE GenreId = 1 AND GenreId = 2)`,
      `SELECT T1.Name ${joins} WHERE T3.Name = 'Rock' UNION SELECT Name FROM Genre WHERE Name = 'Jazz'`,
    ])
      expect(both(sql), sql).toBeUndefined();
  });

  it("counts by key what has both values, where a count asks for either of the two values the question names", () => {
    const asked = (sql: string, question: string) => bothAskedQuery(schema, sql, question);
    const count = asked(
      `SELECT COUNT(DISTINCT T1.CustomerId) ${joins} WHERE T3.Name IN ('Rock', 'Jazz')`,
      "How many customers have bought both rock and jazz tracks?",
    );
    expect(count).toBe(
      `SELECT COUNT(counted) FROM (SELECT T1.CustomerId AS counted ${joins} WHERE T3.Name = 'Rock' INTERSECT SELECT T1.CustomerId AS counted ${joins} WHERE T3.Name = 'Jazz')`,
    );
    // The values in the other order, a quoted column, COUNT(*), a key that refers to another table, numbers.
    const quoted = asked(
      `SELECT COUNT(*) ${joins} WHERE T2.Price = 1 AND T3."Name" IN ('Jazz', 'Rock')`,
      "customers with both Rock and the Jazz genre",
    );
    expect(quoted).toContain(
      `WHERE T2.Price = 1 AND T3."Name" = 'Jazz' INTERSECT SELECT "T1"."CustomerId" AS counted`,
    );
    const byReference = asked(
      `SELECT COUNT(DISTINCT T2.CustomerId) ${joins} WHERE T2.GenreId IN (1, 2)`,
      "how many customers bought both genres 1 and 2",
    );
    for (const sql of [count, quoted, byReference]) expect(rows(sql ?? "")).toEqual([[2]]);
    for (const [sql, question] of [
      [`SELECT COUNT(*) ${joins} WHERE T3.Name IN ('Rock', 'Jazz')`, "customers who bought rock and jazz"],
      [
        `SELECT COUNT(*) ${joins} WHERE T3.Name IN ('Rock', 'Jazz')`,
        "customers who bought both rock and pop",
      ],
      [
        `SELECT COUNT(*) ${joins} WHERE T3.Name IN ('Rock', 'Jazz', 'Pop')`,
        "customers who bought both rock and jazz",
      ],
      [
        `SELECT COUNT(*) ${joins} WHERE T3.Name IN ('Rock', 'Jazz')`,
        "both the names and the cities of customers who bought rock or jazz",
      ],
      [
        `SELECT COUNT(*) ${joins} WHERE T3.Name NOT IN ('Rock', 'Jazz')`,
        "customers who bought both rock and jazz",
      ],
      // Shown values, or counted ones that are no key, may be alike in both queries by chance.
      [
        `SELECT T1.Name ${joins} WHERE T3.Name IN ('Rock', 'Jazz')`,
        "customers who bought both rock and jazz",
      ],
      [
        `SELECT COUNT(T1.Name) ${joins} WHERE T3.Name IN ('Rock', 'Jazz')`,
        "customers who bought both rock and jazz",
      ],
    ])
      expect(asked(sql, question), question).toBeUndefined();
  });
});

describe("a count written in the first SELECT of a compound", () => {
  const db = new Database(":memory:");
  db.exec(`
    CREATE TABLE planes (tailnum TEXT PRIMARY KEY, seats INTEGER);
    CREATE TABLE flights (id INTEGER PRIMARY KEY, tailnum TEXT, dest TEXT);
    INSERT INTO planes VALUES ('N1', 100), ('N2', 150);
    INSERT INTO flights VALUES (1, 'N1', 'BOS'), (2, 'N3', 'BOS'), (3, 'N3', 'ATL'), (4, 'N4', 'ATL'), (5, NULL, 'ATL');
  `);
  afterAll(() => db.close());
  const value = (sql: string) => db.prepare(sql).pluck().get();

  it("counts what the compound finds, leaving NULL out as the count written does", () => {
    const missing = countOverCompound(
      "SELECT COUNT(DISTINCT tailnum) FROM flights EXCEPT SELECT tailnum FROM planes;",
    );
    expect(missing).toBe(
      "SELECT COUNT(DISTINCT counted) FROM (SELECT tailnum AS counted FROM flights EXCEPT SELECT tailnum FROM planes)",
    );
    // N3 and N4; as written, the count of the three tail numbers, less nothing.
    expect(value(missing ?? "")).toBe(2);
    expect(value("SELECT COUNT(DISTINCT tailnum) FROM flights EXCEPT SELECT tailnum FROM planes")).toBe(3);
    const both = countOverCompound(
      "SELECT COUNT(f.tailnum) AS n FROM flights f WHERE f.dest = 'BOS' INTERSECT SELECT tailnum FROM flights WHERE dest = 'ATL'",
    );
    expect(both).toBe(
      "SELECT COUNT(counted) AS n FROM (SELECT f.tailnum AS counted FROM flights f WHERE f.dest = 'BOS' INTERSECT SELECT tailnum FROM flights WHERE dest = 'ATL')",
    );
    expect(value(both ?? "")).toBe(1);
    expect(countOverCompound("SELECT COUNT(tailnum) FROM planes UNION ALL SELECT tailnum FROM flights")).toBe(
      "SELECT COUNT(counted) FROM (SELECT tailnum AS counted FROM planes UNION ALL SELECT tailnum FROM flights)",
    );
  });

  it("leaves a count of *, a compound of counts, groups, an ordered compound and a single SELECT", () => {
    for (const sql of [
      "SELECT COUNT(*) FROM flights EXCEPT SELECT tailnum FROM planes",
      "SELECT COUNT(tailnum) FROM flights EXCEPT SELECT COUNT(tailnum) FROM planes",
      "SELECT COUNT(tailnum) FROM flights EXCEPT SELECT tailnum, seats FROM planes",
      "SELECT COUNT(tailnum) FROM flights GROUP BY dest EXCEPT SELECT seats FROM planes",
      "SELECT COUNT(tailnum) FROM flights EXCEPT SELECT tailnum FROM planes ORDER BY 1",
      "SELECT tailnum FROM flights EXCEPT SELECT tailnum FROM planes",
      "SELECT COUNT(tailnum) FROM flights WHERE tailnum NOT IN (SELECT tailnum FROM planes UNION SELECT 'N9')",
    ])
      expect(countOverCompound(sql), sql).toBeUndefined();
  });
});
