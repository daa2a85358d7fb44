"""lexicon-build: the discover pipeline as a Prefect flow, one task per step (newword.pipeline.STEPS).

Each task is a thin call into newword.pipeline (the library never imports prefect). Run it with
    python -m flows.lexicon_build SOURCE... [--db FILE] [--output FILE.tsv] [parameters]
It needs no Prefect server: without PREFECT_API_URL, Prefect starts a temporary local one.
"""

from __future__ import annotations

import os

# Quiet offline: no telemetry, no analytics (set before prefect is imported).
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_UI_ENABLED", "false")
# The temporary server Prefect starts without PREFECT_API_URL gets 20 s by default: a busy 2-core machine needs more.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

import argparse
import sys
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from newword import options, pipeline
from newword.errors import NewwordError
from newword.options import OPTIONS as O
from newword.output import print_rows
from newword.settings import from_values


def as_task(name: str, function, *args):
    """Run one step as a Prefect task named after it."""
    return task(function, name=name, cache_policy=NO_CACHE)(*args)


@flow(name="lexicon-build")
def lexicon_build(
    sources: list[str],
    db: str = O.db.default,
    output: str | None = O.output.default,
    max_n: int = O.max_n.default,
    min_count: int | None = O.min_count.default,
    min_cohesion: str | None = O.min_cohesion.default,
    chars: str = O.chars.default,
    mode: str = O.mode.default,
    split_bonus: float = O.split_bonus.default,
    max_word_length: int = O.max_word_length.default,
    min_significance: float = O.min_significance.default,
    format: str | None = O.format.default,
    text_field: str = O.text_field.default,
    doc_per_file: bool = O.doc_per_file.default,
    to_simplified: bool = O.to_simplified.default,
    max_doc_chars: int = O.max_doc_chars.default,
    dedupe: bool = not O.keep_duplicates.default,
    known_words: str | None = O.known_words.default,
    date_field: str | None = O.date_field.default,
    window_days: float | None = O.window_days.default,
) -> dict:
    """Build the warehouse and the lexicon from SOURCE documents; outputs change only on success."""
    given = dict(locals())  # the parameters by option name (newword/options.py)
    build = pipeline.start(
        sources,
        db,
        output,
        from_values(given),
        options.ingest_options(given),
        dedupe,
        known_words=known_words,
        window_days=window_days,
    )
    try:
        as_task("documents", pipeline.run_documents, build)
        pipeline.run_steps(build, as_task)
        result = as_task("write", pipeline.finish, build)
    except BaseException:
        pipeline.abort(build)
        raise
    return {
        "db": str(result.db),
        "output": str(result.output) if result.output else None,
        "documents": result.documents,
        "characters": result.characters,
        "words": result.words,
        "message": result.message,
    }


def _newword_command() -> str:
    """How to run newword from here: the environment's own script (.venv/bin/newword), relative when it is below."""
    script = Path(sys.executable).parent / "newword"
    if not script.exists():
        return "newword"
    try:
        return str(script.relative_to(Path.cwd()))
    except ValueError:
        return str(script)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.lexicon_build", description=lexicon_build.description)
    parser.add_argument("sources", nargs="+", metavar="SOURCE")
    options.add(parser, "db", "output")
    parser.add_argument("--top", type=int, default=20, help="print the top N words of the lexicon (default 20)")
    options.add(parser, "keep_duplicates")
    options.add_discovery_options(parser)
    args = parser.parse_args(argv)
    try:
        from_values(vars(args))  # fail fast, before a flow run starts
        summary = lexicon_build(
            sources=args.sources,
            db=args.db,
            output=args.output or None,
            dedupe=not args.keep_duplicates,
            **options.pick(args, options.DISCOVERY),
        )
    except NewwordError as exc:
        print(f"lexicon-build: error: {exc}", file=sys.stderr)
        return 1
    if summary["message"]:
        print(f"empty lexicon: {summary['message']}")

    def show(title: str, min_length: int, new_only: bool = False) -> None:
        columns, rows = pipeline.top_words(summary["db"], args.top, min_length, new_only)
        print(f"\n{title} ({len(rows)} shown):")
        print_rows(columns, [(w, c, n, None if s is None else round(s, 1), k) for w, c, n, s, k in rows], "table")

    print(
        f"\nlexicon-build: {summary['words']:,} words from {summary['documents']:,} documents ({summary['characters']:,} characters)"
    )
    show("Top words by count", 1)
    show("Top words of 3 or more characters", 3)
    if args.known_words:
        show(f"Top new words (not in the known words, {args.known_words})", 2, new_only=True)
    print("\nOutputs:")
    print(f"  warehouse  {os.path.abspath(summary['db'])}  (tables: {', '.join(pipeline.tables(summary['db']))})")
    if summary["output"]:
        print(f"  lexicon    {os.path.abspath(summary['output'])}")
    print(f'  query it:  {_newword_command()} sql "SELECT * FROM lexicon LIMIT 10" --db {summary["db"]}')
    return 0


if __name__ == "__main__":
    sys.exit(main())
