"""Builds chinook-flights.sqlite: Chinook's eleven tables with the five of flights.sqlite beside them.

    python3 build_chinook_flights.py CHINOOK.sqlite FLIGHTS.sqlite OUT.sqlite

A real-world database is often wider than a prompt holds with every column's sample values. The
questions of demo/eval/chinook.json run unchanged on this one (their tables are Chinook's), and its
schema, about 1,200 tokens with sample values, does not fit a 2,048-token window's stable prompt
with them: `askdb config set engine.contextSize 2048` then measures how askdb does when the schema
is wider than the window allows (docs/accuracy.md). The standard library only.
"""
import sqlite3
import sys


def main(chinook, flights, out):
    db = sqlite3.connect(out)
    source = sqlite3.connect(chinook)
    source.backup(db)
    source.close()
    db.execute("ATTACH DATABASE ? AS src", (flights,))
    tables = db.execute("SELECT name, sql FROM src.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()
    for name, create in tables:
        db.execute(create)
        db.execute(f'INSERT INTO main."{name}" SELECT * FROM src."{name}"')
    db.commit()
    db.execute("DETACH DATABASE src")
    db.close()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: build_chinook_flights.py CHINOOK.sqlite FLIGHTS.sqlite OUT.sqlite")
    main(*sys.argv[1:])
