"""Writes an evaluation database: its schema, then each table's rows, compacted. Shared by the builders."""
import os
import sqlite3


def write_database(out, schema, tables):
    """`tables`: (name, column names, rows) for each table, in the order they are filled."""
    if os.path.exists(out):
        os.remove(out)
    db = sqlite3.connect(out)
    db.executescript(schema)
    for table, columns, rows in tables:
        marks = ", ".join("?" * len(columns))
        db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
    db.commit()
    db.execute("VACUUM")
    db.close()
