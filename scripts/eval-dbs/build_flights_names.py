"""Builds flights-names.sqlite from flights.sqlite: the same facts under names that only work quoted.

    python3 build_flights_names.py FLIGHTS.sqlite OUT.sqlite

Real-world databases name tables and columns as people speak ("Airline Name", "Altitude (ft)",
"Carrier Stats 2013"), and a small model writes such names bare. This database keeps New York's
flights of 2013 in three tables named so: the airlines, the airports, and a summary per carrier
and origin airport. The standard library only.
"""
import sqlite3
import sys

SCHEMA = """
CREATE TABLE "Airline Directory" ("Carrier Code" TEXT PRIMARY KEY, "Airline Name" TEXT NOT NULL);
CREATE TABLE "Airport Info" ("FAA Code" TEXT PRIMARY KEY, "Airport Name" TEXT,
  "Altitude (ft)" INTEGER, "Time Zone" TEXT);
CREATE TABLE "Carrier Stats 2013" (
  "Carrier Code" TEXT REFERENCES "Airline Directory"("Carrier Code"),
  "Origin Airport" TEXT REFERENCES "Airport Info"("FAA Code"),
  "Flight Count" INTEGER, "Cancelled Flights" INTEGER,
  "Avg Dep Delay (min)" REAL, "Avg Arr Delay (min)" REAL,
  PRIMARY KEY ("Carrier Code", "Origin Airport"));
"""

SUMMARY = """
SELECT carrier, origin, COUNT(*), SUM(dep_time IS NULL), ROUND(AVG(dep_delay), 2),
  ROUND(AVG(arr_delay), 2)
FROM src.flights GROUP BY carrier, origin
"""


def main(flights, out):
    db = sqlite3.connect(out)
    db.executescript(SCHEMA)
    db.execute("ATTACH DATABASE ? AS src", (flights,))
    db.execute('INSERT INTO "Airline Directory" SELECT carrier, name FROM src.airlines')
    db.execute('INSERT INTO "Airport Info" SELECT faa, name, alt, tzone FROM src.airports')
    db.execute('INSERT INTO "Carrier Stats 2013" ' + SUMMARY)
    db.commit()
    db.execute("DETACH DATABASE src")
    db.execute("VACUUM")
    db.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
