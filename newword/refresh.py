"""Refresh: add new documents to a home's corpus, rebuild, validate, and publish a new version.

One code path for the CLI (`newword refresh`) and the Prefect flow (`lexicon-refresh`): both call
`refresh()`; the flow passes a `call` that runs each step as a task. Steps, in order: the build's
(pipeline.STEPS), then run, validate and publish.

A refresh that adds no documents publishes nothing (unless the corpus differs from the current
version's, as after a crash between publishing and adopting the warehouse). A failed check stops
the publish: the report is kept under HOME/reports/, the previous version stays current and the
corpus is as before.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newword import failpoints, ingest, pipeline, publish
from newword.distributed import Mapper
from newword.errors import NewwordError
from newword.home import Home, Version
from newword.progress import Progress
from newword.settings import Settings
from newword.validate import Report, SizeBand, validate

STEPS = (*pipeline.step_names(), "run", "validate", "publish")  # the step names are the same in every mode

# call(step name, function, *args) -> result: how each step is run (directly, or as a flow task)
Call = Callable[..., Any]


class ValidationFailed(NewwordError):
    """The expectation suites failed: nothing was published."""

    def __init__(self, report: Report, saved: Path) -> None:
        self.report = report
        self.saved = saved
        lines = [c.line() for c in report.failures]
        super().__init__(
            f"validation failed: {len(lines)} of {len(report.checks)} expectations; nothing published "
            f"(report: {saved})\n" + "\n".join(lines)
        )


@dataclasses.dataclass
class Outcome:
    version: Version | None  # None: nothing published
    new_documents: int
    message: str
    report: Report | None = None
    set_aside: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (source, reason) quarantined


def _direct(name: str, function: Callable[..., Any], *args: Any) -> Any:
    return function(*args)


def validate_build(home: Home, build: pipeline.Build, band: SizeBand, allow_size_change: bool) -> Report:
    """The gate. On failure the report is kept under HOME/reports/ and ValidationFailed raised."""
    failpoints.reach("validate")
    current = home.current()
    previous_words = None if (current is None or allow_size_change) else current.manifest["rows"]["lexicon"]
    report = validate(build.scratch_db, build.settings, previous_words, band, build.window_start)
    if not report.success:
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        home.reports_dir.mkdir(parents=True, exist_ok=True)
        saved = home.reports_dir / f"{stamp}-failed-validation.json"
        saved.write_text(report.to_json(), encoding="utf-8")
        raise ValidationFailed(report, saved)
    return report


def is_current(home: Home, build: pipeline.Build) -> bool:
    """True when the current version was built from exactly this corpus with these parameters, without
    a window (with one, documents leave the window as time passes, so a windowed refresh rebuilds)."""
    current = home.current()
    if current is None or build.window_days is not None or current.manifest.get("window"):
        return False
    if current.manifest["parameters"] != json.loads(build.settings.to_json()):
        return False  # other parameters: rebuild, even with no new documents
    return current.manifest["corpus"]["content_hash"] == publish.corpus_fingerprint(build.scratch_db)


def check_warehouse(home: Home, current: Version) -> None:
    """The home's warehouse holds at least the current version's documents (a crash between adopting
    the warehouse and renaming the version leaves it ahead, never behind)."""
    published = current.manifest["corpus"]["documents"]
    held = publish.document_count(home.warehouse) if home.warehouse.exists() else 0
    if held < published:
        raise NewwordError(
            f"{home.warehouse}: holds {held:,} documents but {current.id} was built from {published:,}: it was replaced "
            f"or changed outside newword; move it aside and refresh again with every source of the corpus"
        )


def refresh(
    sources: list[str],
    home: Home,
    settings: Settings | None = None,
    options: ingest.IngestOptions | None = None,
    band: SizeBand | None = None,
    allow_size_change: bool = False,
    call: Call = _direct,
    known_words: str | None = None,
    window_days: float | None = None,
    mapper: Mapper | None = None,
    quarantine: bool = False,
) -> Outcome:
    """With `quarantine`, a source that cannot be read is moved to HOME/quarantine/TIME/ with the reason
    beside it and the others are refreshed (for a scheduled refresh of a watched folder)."""
    band = band or SizeBand()
    with home.lock():
        current = home.current()
        if current is not None:  # never build on a version whose files were changed since publishing
            publish.verify(current)
            check_warehouse(home, current)
        build = pipeline.start(
            sources,
            home.warehouse,
            None,
            settings or Settings(),
            options,
            accumulate=True,
            known_words=known_words,
            window_days=window_days,
            quarantine=home.path / "quarantine" / _stamp() if quarantine else None,
        )
        try:
            new_documents = call("documents", pipeline.run_documents, build)
            aside = pipeline.set_aside(build.quarantine)
            published = is_current(home, build)
            current = home.current()
            if published and new_documents == 0:
                return Outcome(
                    None, 0, f"no new documents; {current.id if current else 'nothing'} stays current", set_aside=aside
                )
            pipeline.run_steps(build, call, mapper)
            call("run", pipeline.record_run, build)
            if published:  # a refresh killed after publishing left the warehouse behind its version
                call("publish", publish.adopt_warehouse, home, build)
                message = f"{current.id} already holds these documents; warehouse brought up to date"
                return Outcome(None, new_documents, message, set_aside=aside)
            report = call("validate", validate_build, home, build, band, allow_size_change)
            version = call("publish", publish.publish, home, build, report, new_documents)
        finally:
            pipeline.abort(build)
    return Outcome(version, new_documents, f"published {version.id}", report, aside)


def _stamp() -> str:
    """A quarantine folder's name: the UTC time of the refresh (sortable, no colons)."""
    return datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def progress_call(progress: Progress) -> Call:
    """Run each step directly, with a progress line per step."""

    def call(name: str, function: Callable[..., Any], *args: Any) -> Any:
        with progress.step(name, STEPS.index(name) + 1, len(STEPS)) as info:
            result = function(*args)
            if isinstance(result, int) and not isinstance(result, bool):
                info["rows"] = result
            return result

    return call
