"""How commands print rows and documents: an aligned table, CSV, TSV or JSON, numbers rounded."""

from __future__ import annotations

import csv
import json
import sys
import unicodedata

from newword.numbers import rounded


def write_json(value, out=None) -> None:
    """The one JSON shape of every command: one document (an array of objects for rows), numbers rounded."""
    out = out or sys.stdout
    out.write(json.dumps(rounded(value), ensure_ascii=False, indent=1, default=str) + "\n")


ROW_FORMATS = ("table", "csv", "tsv", "json")  # what print_rows writes


def print_rows(columns: list[str], rows: list[tuple], fmt: str, out=None) -> None:
    out = out or sys.stdout
    rows = [rounded(row) for row in rows]
    if fmt == "json":
        write_json([dict(zip(columns, row)) for row in rows], out)
    elif fmt in ("csv", "tsv"):
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([["" if v is None else v for v in row] for row in rows])
    else:
        cells = [columns] + [["NULL" if v is None else str(v) for v in row] for row in rows]
        widths = [max(_width(row[i]) for row in cells) for i in range(len(columns))]
        for number, row in enumerate(cells):
            out.write("  ".join(_pad(v, w) for v, w in zip(row, widths)).rstrip() + "\n")
            if number == 0:
                out.write("  ".join("-" * w for w in widths) + "\n")
        out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
