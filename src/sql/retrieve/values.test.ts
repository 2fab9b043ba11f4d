import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { introspectSchema } from "../schema/index.js";
import { buildValueIndex, findValues, type ValueIndex } from "./values.js";

describe("value linking", () => {
  const db = new Database(":memory:");
  let index: ValueIndex;
  beforeAll(() => {
    db.exec(`
      CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, city TEXT, kind TEXT);
      INSERT INTO customers (name, city, kind) VALUES
        ('Pooja Sharma', 'Pune', 'retail'), ('Ravi Traders', 'Mumbai', 'business'),
        ('Anil Mehta', 'Pune', 'retail'), ('Sunita Rao', 'Nagpur', 'business'), ('Robert', 'Nagpur', 'retail');
      CREATE TABLE degrees (id INTEGER PRIMARY KEY, degree_summary_name TEXT, customer_id INTEGER);
      INSERT INTO degrees (degree_summary_name) VALUES ('Bachelor'), ('Master'), ('Doctorate');
      CREATE TABLE staff (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT);
      INSERT INTO staff (first_name, last_name) VALUES ('Marc', 'Edward'), ('Nancy', 'Edwards'), ('Robert', 'King');
      CREATE TABLE songs (id INTEGER PRIMARY KEY, composer TEXT, genre TEXT, title TEXT);
      INSERT INTO songs (composer, genre, title) VALUES ('Steve Harris', 'Rock', 'Let There Be Rock'), ('Harris', 'Metal', 'Steve');
      CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
      INSERT INTO notes (body) VALUES ('${"long text ".repeat(20)}');
    `);
    index = buildValueIndex(db, introspectSchema(db));
  });
  afterAll(() => db.close());

  it("finds a person from part of their name, and a value from a plural or a typo", () => {
    expect(findValues(index, "how much did Pooja bill?")).toContainEqual({
      table: "customers",
      column: "name",
      value: "Pooja Sharma",
    });
    expect(findValues(index, "students in a Bachelors program")[0]).toEqual({
      table: "degrees",
      column: "degree_summary_name",
      value: "Bachelor",
    });
    expect(findValues(index, "customers in Nagpor")[0]).toMatchObject({ column: "city", value: "Nagpur" });
  });

  it("puts whole values first and gives nothing for words that name the schema or nothing at all", () => {
    const hints = findValues(index, "orders of ravi traders from Mumbai");
    expect(hints.slice(0, 2).map((h) => h.value)).toEqual(["Ravi Traders", "Mumbai"]);
    expect(findValues(index, "how many customers are there")).toEqual([]);
    expect(findValues(index, "what is the weather like")).toEqual([]);
    // A one-word value counts only when the question writes it as a name.
    expect(findValues(index, "retail customers in pune")).toEqual([]);
    expect(findValues(index, "retail customers in Pune")).toEqual([
      { table: "customers", column: "city", value: "Pune" },
    ]);
  });

  it("keeps the most specific values: the longer match, the value as written, no month for a name", () => {
    const hint = (question: string) =>
      findValues(index, question)
        .map((h) => `${h.column}=${h.value}`)
        .sort();
    expect(hint("tracks by Steve Harris longer than 7 minutes")).toEqual(["composer=Steve Harris"]);
    expect(hint("songs on Let There Be Rock")).toEqual(["title=Let There Be Rock"]);
    expect(hint("who reports to Nancy Edwards")).toEqual(["first_name=Nancy", "last_name=Edwards"]);
    expect(hint("who is Robert King's manager")).toEqual(["first_name=Robert", "last_name=King"]);
    expect(findValues(index, "who is Robert King's manager").map((h) => h.table)).toEqual(["staff", "staff"]);
    expect(hint("invoices issued in March 2024")).toEqual([]);
  });

  it("lists a value stored in several tables from the smallest table first", () => {
    db.exec(`
      CREATE TABLE albums (id INTEGER PRIMARY KEY, title TEXT, performer_id INTEGER);
      INSERT INTO albums (title, performer_id) VALUES ('Iron Maiden', 1), ('Killers', 1), ('Jazz', 2);
      CREATE TABLE performers (id INTEGER PRIMARY KEY, name TEXT);
      INSERT INTO performers (name) VALUES ('Iron Maiden'), ('Queen');
    `);
    const withAlbums = buildValueIndex(db, introspectSchema(db));
    expect(findValues(withAlbums, "How many records does Iron Maiden have?").map((h) => h.table)).toEqual([
      "performers",
      "albums",
    ]);
  });

  it("leaves long free text out of the index", () => {
    expect(findValues(index, "long text")).toEqual([]);
  });
});
