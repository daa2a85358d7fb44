"""lexicon-refresh: `newword refresh` as a Prefect flow, one task per step.

The same code path as the CLI: the flow calls newword.refresh.refresh() and only changes how each
step runs (as a task). Run it with
    python -m flows.lexicon_refresh SOURCE... [--home DIR] [parameters]
"""

from __future__ import annotations

import os

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_UI_ENABLED", "false")

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from newword import cli, refresh
from newword.errors import NewwordError
from newword.home import Home, default_home
from newword.ingest import IngestOptions
from newword.settings import Settings, parse_min_cohesion
from newword.validate import SizeBand


def as_task(name: str, function: Callable[..., Any], *args: Any) -> Any:
    """Run one refresh step as a Prefect task named after the step."""
    return task(function, name=name, cache_policy=NO_CACHE)(*args)


@flow(name="lexicon-refresh")
def lexicon_refresh(
    sources: list[str],
    home: str | None = None,
    max_n: int = 4,
    min_count: int = 25,
    min_cohesion: str = "2:5,3:25,4:125",
    chars: str = "cjk",
    format: str | None = None,
    text_field: str = "text",
    doc_per_file: bool = False,
    to_simplified: bool = False,
    min_size_ratio: float | None = 0.5,
    max_size_ratio: float | None = None,
    allow_size_change: bool = False,
    known_words: str | None = None,
) -> dict:
    """Add new documents to the home's corpus, rebuild, validate, publish a new version."""
    outcome = refresh.refresh(
        sources,
        Home(Path(home) if home else default_home()),
        Settings(max_n=max_n, min_count=min_count, min_cohesion=parse_min_cohesion(min_cohesion), chars=chars),
        IngestOptions(format=format, text_field=text_field, doc_per_file=doc_per_file, to_simplified=to_simplified),
        SizeBand(min_size_ratio, max_size_ratio),
        allow_size_change=allow_size_change,
        call=as_task,
        known_words=known_words,
    )
    return {
        "version": outcome.version.id if outcome.version else None,
        "path": str(outcome.version.path) if outcome.version else None,
        "new_documents": outcome.new_documents,
        "message": outcome.message,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.lexicon_refresh", description=lexicon_refresh.description)
    parser.add_argument("sources", nargs="+", metavar="SOURCE")
    parser.add_argument("--home")
    parser.add_argument("--min-size-ratio", type=cli._ratio, default=0.5)
    parser.add_argument("--max-size-ratio", type=cli._ratio, default=None)
    parser.add_argument("--allow-size-change", action="store_true")
    cli.add_discovery_options(parser)
    args = parser.parse_args(argv)
    try:
        parse_min_cohesion(args.min_cohesion)
        summary = lexicon_refresh(
            sources=args.sources,
            home=args.home,
            max_n=args.max_n,
            min_count=args.min_count,
            min_cohesion=args.min_cohesion,
            chars=args.chars,
            format=args.format,
            text_field=args.text_field,
            doc_per_file=args.doc_per_file,
            to_simplified=args.to_simplified,
            min_size_ratio=args.min_size_ratio,
            max_size_ratio=args.max_size_ratio,
            allow_size_change=args.allow_size_change,
            known_words=args.known_words,
        )
    except NewwordError as exc:
        print(f"lexicon-refresh: error: {exc}", file=sys.stderr)
        return 1
    print(f"lexicon-refresh: {summary['message']}" + (f" ({summary['path']})" if summary["path"] else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
