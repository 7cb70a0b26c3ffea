"""National totals per cell over several provinces' Parquet exports, with DuckDB.

    python3 scripts/national-totals.py anhui.parquet fujian.parquet ...

Prints one line per cell id: the cell, its total over every report (blanks left out, never
counted as 0), how many reports gave it a value, and how many left it blank. Needs the `duckdb`
package (`bash scripts/setup-debian.sh duckdb`).
"""

import sys

import duckdb

files = sys.argv[1:]
if not files:
    sys.exit(__doc__)
query = """
    SELECT cell,
           sum(value)              AS total,
           count(value)            AS counted,
           count(*) - count(value) AS blank
    FROM read_parquet($files)
    GROUP BY cell
    ORDER BY cell
"""
for cell, total, counted, blank in duckdb.execute(query, {"files": files}).fetchall():
    print(f"{cell}\t{'' if total is None else total}\t{counted}\t{blank}")
