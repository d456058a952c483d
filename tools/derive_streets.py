"""Derive matching/resources/tianjin_streets.tsv from ../shared/data/divisions/streets.csv.

Run: python tools/derive_streets.py [SHARED_DATA_DIR]
The derived list (code, name, district code) is shipped so the engine runs without ../shared;
DOMAIN.md and the data README allow "a list the project derives and ships".
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

shared = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
src = shared / "divisions" / "streets.csv"
out = Path(__file__).resolve().parent.parent / "matching" / "resources" / "tianjin_streets.tsv"
with src.open(encoding="utf-8") as f, out.open("w", encoding="utf-8", newline="") as g:
    g.write("code\tname\tdistrict_code\n")
    n = 0
    for row in csv.DictReader(f):
        if row["cityCode"] == "1201":
            g.write(f"{row['code']}\t{row['name']}\t{row['areaCode']}\n")
            n += 1
sys.stderr.write(f"wrote {n} streets to {out}\n")
