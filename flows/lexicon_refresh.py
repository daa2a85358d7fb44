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
# The temporary server Prefect starts without PREFECT_API_URL gets 20 s by default: a busy 2-core machine needs more.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext

from newword import options, refresh
from newword.errors import NewwordError, SourceUnavailable
from newword.home import Home, default_home
from newword.numbers import rounded
from newword.options import OPTIONS as O
from newword.settings import from_values
from newword.validate import SizeBand

SOURCE_RETRIES = 3
SHARD_RETRIES = 2
SOURCE_RETRY_DELAY_SECONDS = 10


class OneLineFailures(logging.Filter):
    """A run that fails for a reason newword names (a NewwordError) is not logged again with Prefect's
    traceback: its reason is already in the "Finished in state Failed(...)" line and the artifact.
    Anything else keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], NewwordError))


for _name in ("prefect.flow_runs", "prefect.task_runs"):  # the loggers of the run engines (and of a served run's process)
    logging.getLogger(_name).addFilter(OneLineFailures())


def _transient(task: Any, task_run: Any, state: Any) -> bool:
    """Retry the documents step only when a source was unavailable (network, timeout, HTTP 5xx)."""
    try:
        state.result()
    except SourceUnavailable:
        return True
    except BaseException:  # noqa: BLE001 - any other failure is final
        return False
    return False


def as_task(name: str, function: Callable[..., Any], *args: Any) -> Any:
    """Run one refresh step as a Prefect task named after the step; fetching sources is retried."""
    if name == "documents":
        retrying = task(
            function,
            name=name,
            cache_policy=NO_CACHE,
            retries=SOURCE_RETRIES,
            retry_delay_seconds=float(os.environ.get("NEWWORD_RETRY_DELAY_SECONDS", SOURCE_RETRY_DELAY_SECONDS)),
            retry_condition_fn=_transient,
        )
        return retrying(*args)
    return task(function, name=name, cache_policy=NO_CACHE)(*args)


def shard_tasks(function: Callable[..., Any], arguments: list[tuple]) -> list:
    """newword.distributed's Mapper in a flow: one Prefect task per shard or partition, submitted to
    the flow's task runner (a DaskTaskRunner on --cluster) and retried if it fails."""
    shard_task = task(function, name=function.__name__.replace("_", "-"), cache_policy=NO_CACHE, retries=SHARD_RETRIES)
    futures = [shard_task.submit(*args) for args in arguments]
    return [future.result() for future in futures]


def on_cluster(flow_function: Any, cluster: str | None) -> Any:
    """The flow, with its tasks sent to the Dask scheduler at `cluster` (prefect-dask) when given;
    an unreachable scheduler or one without workers is a NewwordError here, not in the flow run."""
    if not cluster:
        return flow_function
    from prefect_dask import DaskTaskRunner

    from newword.cluster import connect

    connect(cluster).close()
    return flow_function.with_options(task_runner=DaskTaskRunner(address=cluster))


def publish_artifacts(outcome: refresh.Outcome, home: Home) -> None:
    """The run's summary as Prefect artifacts: markdown, the top words not in the known-words list
    (lexicon-not-known), and the top words first published in this version and not known
    (lexicon-new-this-version)."""
    if outcome.version is None:
        create_markdown_artifact(
            key="lexicon-refresh", markdown=f"# Lexicon refresh\n\n{outcome.message} (`{home.path}`)", description=outcome.message
        )
        return
    from newword import publish

    version = outcome.version
    manifest = version.manifest
    corpus, validation = manifest["corpus"], manifest["validation"]
    earlier = [v for v in home.versions() if v.id < version.id]
    previous = earlier[-1] if earlier else None
    columns, not_known = publish.lexicon_rows(version, limit=20, new_only=True)
    new_here = publish.new_words(version, earlier)
    markdown = "\n".join(
        [
            f"# Lexicon {version.id}",
            "",
            f"- words: {manifest['rows']['lexicon']:,}",
            f"- new in this version and not known: {len(new_here):,}"
            + (f" (since {previous.id})" if previous else " (the first version)"),
            f"- corpus: {corpus['documents']:,} documents ({corpus['new_documents']:,} new), {corpus['characters']:,} characters",
            f"- validation: {validation['passed']}/{validation['expectations']} expectations passed",
            f"- parameters: `{manifest['parameters']}`",
            f"- files: `{version.path}`",
        ]
    )
    create_markdown_artifact(key="lexicon-refresh", markdown=markdown, description=f"published {version.id}")
    create_table_artifact(
        key="lexicon-not-known",
        table=[dict(zip(columns, rounded(row))) for row in not_known],
        description=f"the top words of {version.id} that are not in the known-words list",
    )
    create_table_artifact(
        key="lexicon-new-this-version",
        table=[{"word": w, "count": c, "length": n} for w, c, n in new_here[:20]],
        description=f"the top words first published in {version.id} and not in the known-words list",
    )


def quarantine_artifact(outcome: refresh.Outcome, home: Home) -> None:
    """The source files this run set aside, with the reason for each, as a table artifact."""
    if not outcome.set_aside:
        return
    create_table_artifact(
        key="lexicon-quarantine",
        table=[{"source": source, "reason": reason} for source, reason in outcome.set_aside],
        description=f"{len(outcome.set_aside)} source file(s) set aside in {home.path / 'quarantine'}",
    )


def failure_artifact(error: BaseException) -> None:
    """The reason a refresh failed, as a markdown artifact beside the run's log."""
    lines = str(error).splitlines() or [type(error).__name__]
    body = "\n".join(f"    {line}" for line in lines)
    create_markdown_artifact(
        key="lexicon-refresh",
        markdown=f"# Lexicon refresh failed\n\nThe previous version stays current.\n\n{body}",
        description=lines[0],
    )


@flow(name="lexicon-refresh")
def lexicon_refresh(
    sources: list[str],
    home: str | None = None,
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
    min_size_ratio: float | None = O.min_size_ratio.default,
    max_size_ratio: float | None = O.max_size_ratio.default,
    allow_size_change: bool = O.allow_size_change.default,
    known_words: str | None = O.known_words.default,
    date_field: str | None = O.date_field.default,
    window_days: float | None = O.window_days.default,
    cluster: str | None = O.cluster.default,
    quarantine: bool = O.quarantine.default,
) -> dict:
    """Add new documents to the home's corpus, rebuild, validate, publish a new version. With `cluster`
    (run the flow through on_cluster), the counting and the reference-mode cut run as shard tasks."""
    given = dict(locals())  # the parameters by option name (newword/options.py)
    where = Home(Path(home) if home else default_home())
    try:
        runner = FlowRunContext.get().task_runner
        if cluster and type(runner).__name__ != "DaskTaskRunner":  # a run's parameters cannot change the runner
            raise NewwordError("the cluster parameter needs the flow started or served with --cluster (its Dask task runner)")
        outcome = refresh.refresh(
            sources,
            where,
            from_values(given),
            options.ingest_options(given),
            SizeBand(min_size_ratio, max_size_ratio),
            allow_size_change=allow_size_change,
            call=as_task,
            known_words=known_words,
            window_days=window_days,
            mapper=shard_tasks if cluster else None,
            quarantine=quarantine,
        )
    except Exception as error:
        failure_artifact(error)
        raise
    publish_artifacts(outcome, where)
    quarantine_artifact(outcome, where)
    return {
        "version": outcome.version.id if outcome.version else None,
        "path": str(outcome.version.path) if outcome.version else None,
        "new_documents": outcome.new_documents,
        "message": outcome.message,
        "set_aside": [source for source, _ in outcome.set_aside],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.lexicon_refresh", description=lexicon_refresh.description)
    parser.add_argument("sources", nargs="+", metavar="SOURCE")
    parser.add_argument("--home")
    options.add(parser, *options.REFRESH, "cluster")
    options.add_discovery_options(parser)
    args = parser.parse_args(argv)
    try:
        from_values(vars(args))  # fail fast, before a flow run starts
        summary = on_cluster(lexicon_refresh, args.cluster)(
            sources=args.sources,
            home=args.home,
            **options.pick(args, (*options.REFRESH, "cluster", *options.DISCOVERY)),
        )
    except NewwordError as exc:
        print(f"lexicon-refresh: error: {exc}", file=sys.stderr)
        return 1
    for source in summary["set_aside"]:
        print(f"lexicon-refresh: set aside {source} (the reason is beside it in the home's quarantine folder)", file=sys.stderr)
    print(f"lexicon-refresh: {summary['message']}" + (f" ({summary['path']})" if summary["path"] else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
