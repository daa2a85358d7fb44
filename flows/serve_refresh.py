"""Serve the lexicon-refresh flow on a schedule (a Prefect deployment with a cron schedule).

    python -m flows.serve_refresh SOURCE... --home DIR [--cron "0 3 * * *"] [--timezone Asia/Shanghai]
                                  [--interval SECONDS] [parameters of newword refresh]

Needs a Prefect server: start one with `prefect server start --host 127.0.0.1` and point this process
at it with PREFECT_API_URL=http://127.0.0.1:4200/api. Each scheduled run refreshes from the same
SOURCE folders, globs or URLs: the documents already in the corpus are skipped by content hash, so
a run publishes a version only when new text has arrived. Runs never overlap: one that comes due
while another runs waits for it (deployment concurrency 1). Stop it with Ctrl-C (the schedule is
then paused, as `serve` does).
"""

from __future__ import annotations

import os

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

import argparse
import datetime
import sys

from prefect import serve
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.schedules import Cron, Interval

from flows.lexicon_refresh import lexicon_refresh, on_cluster
from newword import options
from newword.errors import NewwordError
from newword.home import default_home
from newword.settings import from_values

DEPLOYMENT = "scheduled-refresh"
DEFAULT_CRON = "0 3 * * *"
DEFAULT_TIMEZONE = "Asia/Shanghai"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m flows.serve_refresh", description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help="folders, globs or http(s) URLs to refresh from")
    parser.add_argument("--home", help="home folder (default $NEWWORD_HOME, else ~/.local/share/newword)")
    parser.add_argument("--cron", default=DEFAULT_CRON, help=f"cron schedule (default {DEFAULT_CRON!r}: every day at 03:00)")
    parser.add_argument(
        "--timezone", default=DEFAULT_TIMEZONE, help=f"time zone of the cron schedule (default {DEFAULT_TIMEZONE})"
    )
    parser.add_argument("--interval", type=float, help="also run every SECONDS (for example 3600)")
    parser.add_argument("--name", default=DEPLOYMENT, help=f"deployment name (default {DEPLOYMENT})")
    options.add(parser, "min_size_ratio", "max_size_ratio", "cluster", "quarantine")
    options.add_discovery_options(parser)
    return parser


def _server_problem(api_url: str) -> str:
    """Why the Prefect server at api_url cannot be used ("" when it answers): one line, not httpx's traceback."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(api_url.rstrip("/") + "/health", timeout=10) as answer:
            if answer.status == 200:
                return ""
            reason = f"HTTP {answer.status}"
    except urllib.error.HTTPError as exc:
        reason = f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        reason = str(getattr(exc, "reason", exc))
    return f"no Prefect server answers at PREFECT_API_URL={api_url} ({reason}): start one with `prefect server start --host 127.0.0.1`"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        from_values(vars(args))  # a bad value fails here, not in every scheduled run
        flow_function = on_cluster(lexicon_refresh, args.cluster)  # an unreachable scheduler too
    except NewwordError as exc:
        print(f"serve_refresh: error: {exc}", file=sys.stderr)
        return 2
    if not os.environ.get("PREFECT_API_URL"):
        print("serve_refresh: error: set PREFECT_API_URL to a running Prefect server (see --help)", file=sys.stderr)
        return 2
    if problem := _server_problem(os.environ["PREFECT_API_URL"]):
        print(f"serve_refresh: error: {problem}", file=sys.stderr)
        return 1
    schedules = [Cron(args.cron, timezone=args.timezone)]
    if args.interval:
        schedules.append(Interval(datetime.timedelta(seconds=args.interval)))
    deployment = flow_function.to_deployment(
        name=args.name,
        schedules=schedules,
        parameters={
            "sources": [os.path.abspath(s) if "://" not in s else s for s in args.sources],
            "home": os.path.abspath(args.home) if args.home else str(default_home()),
            **options.pick(args, ("min_size_ratio", "max_size_ratio", "cluster", "quarantine", *options.DISCOVERY)),
        },
        description="newword: refresh the lexicon from new documents on a schedule",
        concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE),
    )
    serve(deployment)
    return 0


if __name__ == "__main__":
    sys.exit(main())
