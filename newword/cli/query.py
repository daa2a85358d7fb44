"""newword sql: a read-only query on a warehouse or on the published versions; newword steps: the
steps a build runs and the tables they make."""

from __future__ import annotations

import argparse
import os

from newword.cli.common import home_of
from newword.options import OPTIONS
from newword.output import ROW_FORMATS, print_rows

DEFAULT_DB = OPTIONS.db.default


def _sql(args: argparse.Namespace) -> int:
    from newword import adhoc, publish, warehouse

    adhoc.checked(args.query)  # refused before anything is opened
    if args.db is None and (args.home or os.environ.get("NEWWORD_HOME")):
        home = home_of(args)
        con = publish.reader(home)
        readable = [str(home.versions_dir.resolve())]
    else:
        con = warehouse.connect(args.db or DEFAULT_DB, read_only=True)
        readable = []
    try:
        adhoc.lock_down(con, readable)
        result = adhoc.run(con, args.query)
    finally:
        con.close()
    if result is not None:
        print_rows(*result, args.format)
    return 0


def add_sql(commands) -> None:
    sql = commands.add_parser(
        "sql",
        help="run a read-only SQL query on a warehouse or on the published versions",
        description="Run a read-only SQL query and print the result. With --db (default when neither is given: "
        f"{DEFAULT_DB}) it reads a warehouse; with --home (or NEWWORD_HOME set) it reads the published versions "
        "through views: lexicon, ngram_counts and word_examples (the current version), lexicon_versions and ngram_counts_versions "
        "(every version, with a version column) and versions (the manifests). A running refresh never blocks it.",
    )
    sql.add_argument("query", metavar="QUERY", help='for example "SELECT * FROM lexicon LIMIT 10"')
    sql.add_argument("--db", default=None, help=f"warehouse file (default {DEFAULT_DB})")
    sql.add_argument("--home", help="home folder: query the published versions")
    sql.add_argument(
        "--format",
        choices=ROW_FORMATS,
        default="table",
        help="output format (default table; json is one array of objects, as every command's --format json)",
    )
    sql.set_defaults(run=_sql)


def _steps(args: argparse.Namespace) -> int:
    from newword import pipeline

    rows = [
        (number, step.name, ", ".join(step.reads), ", ".join(step.made_by), ", ".join(step.also), ", ".join(step.drops))
        for number, step in enumerate(pipeline.STEPS[args.mode], start=1)
    ]
    print_rows(["step", "table", "reads", "made_by", "also_writes", "drops"], rows, args.format)
    return 0


def add_steps(commands) -> None:
    steps = commands.add_parser(
        "steps",
        help="list the steps of a build, in order, with the tables each reads and makes",
        description="List the steps a build runs in a mode, in order: the table each makes (its name), the tables it "
        "reads, the statements of sql/ (by file name) and the modules that make it, and the other tables it writes "
        "or drops. discover, refresh, the Prefect flows and the cluster all run this table.",
    )
    steps.add_argument(
        "--mode", choices=OPTIONS.mode.choices, default=OPTIONS.mode.default, help="the mode (default %(default)s)"
    )
    steps.add_argument("--format", choices=ROW_FORMATS, default="table", help="output format (default table)")
    steps.set_defaults(run=_steps)
