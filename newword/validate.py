"""The publish gate: the expectation suites in expectations/, run by Great Expectations over full tables.

Each suite guards one table (`meta.guards`) and runs on an audit table that sql/audits/<meta.frame>.sql
builds in the warehouse: the table itself plus the columns a cross-table check needs (a word's own
n-gram count, its non-cohesive parts, recounted totals). GX reads those tables through its SQL
datasource over DuckDB (duckdb-engine), so every row is checked inside DuckDB and nothing is
sampled or copied into Python.

That datasource is broken upstream (GX #10738, #11579): GX returns an unconsumed result from inside
`with engine.connect()`, leaving the block rolls back, and duckdb-engine's cursor is the DuckDB
connection itself, so the rows are gone and every metric fails with an IndexError. GX already keeps
one persisted connection for SQLite, SQL Server, BigQuery and Databricks; `_persist_duckdb_connection`
adds DuckDB to that list, which keeps the results alive. tests/test_validate.py checks that the bug is
still there (so the workaround can go when it is fixed) and that a million-row table is validated
whole. `$PARAMETER`s in a suite come from the run's settings and the previous version's size.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from newword import failpoints, sqlfiles, warehouse
from newword.errors import NewwordError
from newword.settings import Settings

SUITES_DIR = Path(__file__).resolve().parent.parent / "expectations"
EXAMPLES = 3


@dataclasses.dataclass(frozen=True)
class SizeBand:
    """The lexicon size allowed relative to the previous version's (None: no bound)."""

    min_ratio: float | None = 0.5
    max_ratio: float | None = None

    def bounds(self, previous_words: int | None) -> tuple[int | None, int | None]:
        if previous_words is None:
            return None, None
        low = math.ceil(previous_words * self.min_ratio) if self.min_ratio is not None else None
        high = math.floor(previous_words * self.max_ratio) if self.max_ratio is not None else None
        return low, high


@dataclasses.dataclass
class Check:
    suite: str
    expectation: str
    description: str
    success: bool
    element_count: int | None
    unexpected_count: int | None
    observed: Any
    examples: list[str]

    def line(self) -> str:
        if self.success:
            return f"ok      {self.suite}: {self.description}"
        counted = f" on {self.unexpected_count:,} of {self.element_count:,} rows" if self.unexpected_count else ""
        observed = f" (observed {self.observed})" if self.observed is not None and not self.examples else ""
        example = f"; e.g. {' | '.join(self.examples)}" if self.examples else ""
        return f"FAILED  {self.suite}: {self.description} [{self.expectation}]{counted}{observed}{example}"


@dataclasses.dataclass
class Report:
    success: bool
    checks: list[Check]
    rows: dict[str, int]  # rows validated per guarded table
    parameters: dict[str, Any]
    seconds: float

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if not c.success]

    def summary(self) -> dict[str, Any]:
        return {
            "success": self.success,
            "expectations": len(self.checks),
            "passed": len(self.checks) - len(self.failures),
            "failed": len(self.failures),
            "rows_validated": self.rows,
            "seconds": round(self.seconds, 3),
        }

    def to_json(self) -> str:
        body = {
            "summary": self.summary(),
            "parameters": self.parameters,
            "checks": [dataclasses.asdict(c) for c in self.checks],
        }
        return json.dumps(body, ensure_ascii=False, indent=2, default=str)


def load_suites() -> list[dict]:
    """Every suite file in expectations/, sorted by name."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SUITES_DIR.glob("*.json"))]


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _examples(result: dict, key: str | None) -> list[str]:
    examples = []
    for item in (result.get("partial_unexpected_index_list") or [])[:EXAMPLES]:
        if isinstance(item, dict):
            ordered = sorted(item.items(), key=lambda kv: kv[0] != key)  # the key column first
            examples.append(" ".join(f"{k}={_plain(v)}" for k, v in ordered))
    if not examples:
        for item in (result.get("partial_unexpected_list") or [])[:EXAMPLES]:
            examples.append(str(_plain(item) if not isinstance(item, (list, tuple)) else tuple(_plain(v) for v in item)))
    return examples


def _observed(result: dict, expectation: str, parameters: dict) -> Any:
    observed = _plain(result.get("observed_value"))
    if expectation == "expect_table_row_count_to_be_between":
        low, high = parameters["min_word_count"], parameters["max_word_count"]
        return f"{observed} rows; allowed {low if low is not None else 0}..{high if high is not None else 'any'}"
    return observed


def _persist_duckdb_connection() -> None:
    """The workaround for the upstream bug described in the module docstring."""
    from great_expectations.execution_engine import sqlalchemy_execution_engine as engine

    dialects = getattr(engine, "_PERSISTED_CONNECTION_DIALECTS", None)
    if dialects is None:
        raise RuntimeError("great_expectations changed: _PERSISTED_CONNECTION_DIALECTS is gone; revisit newword/validate.py")
    if "duckdb" not in dialects:
        engine._PERSISTED_CONNECTION_DIALECTS = (*dialects, _DuckDBDialect("duckdb"))


class _DuckDBDialect(str):
    """Compares equal to "duckdb" (as GX compares dialect names) and has the `.value` GX reads."""

    value = "duckdb"


def _quiet_gx() -> None:
    for name, logger in list(logging.root.manager.loggerDict.items()):  # GX sets some of its loggers to INFO
        if name.startswith("great_expectations") and isinstance(logger, logging.Logger):
            logger.setLevel(logging.WARNING)


def build_audit_tables(db: Path, settings: Settings, window_start: str | None = None) -> dict[str, int]:
    """Materialise every suite's audit table in the warehouse; return the rows of each guarded table."""
    values = {
        "max_n": settings.max_n,
        "mode": settings.mode,
        "pattern": settings.pattern,
        "non_class_pattern": settings.non_class_pattern,
        "window_start": window_start,
    }
    con = warehouse.connect(db)
    try:
        rows = {}
        for suite in load_suites():
            rows[suite["meta"]["guards"]] = sqlfiles.materialise(con, suite["meta"]["frame"], values)
        return rows
    finally:
        con.close()


def validate(
    db: Path, settings: Settings, previous_words: int | None = None, band: SizeBand | None = None, window_start: str | None = None
) -> Report:
    """Run every suite over the full tables of the warehouse at `db` (which gains the audit tables).

    GX runs in a child process: it keeps DuckDB connections alive after it is done with them, and a
    process may not reopen a DuckDB file with another configuration while one is open."""
    started = time.perf_counter()
    low, high = (band or SizeBand()).bounds(previous_words)
    parameters = {"min_count": settings.min_count, "max_n": settings.max_n, "min_word_count": low, "max_word_count": high}
    rows = build_audit_tables(db, settings, window_start)
    _remove_stale_folders()
    with tempfile.TemporaryDirectory(prefix=f"newword-gx-{os.getpid()}-") as folder:
        # GX takes a connection URL: a plain link name keeps ?, # or % in a real path out of it
        link = Path(folder) / "warehouse.duckdb"
        link.symlink_to(Path(db).resolve())
        done = subprocess.run(
            [sys.executable, "-m", "newword.validate", str(link), json.dumps(parameters)],
            capture_output=True, text=True, check=False, preexec_fn=_die_with_parent,
        )  # fmt: skip
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise NewwordError(f"{db}: validation could not run: {last}")
    checks = [Check(**c) for c in json.loads(done.stdout)]
    return Report(all(c.success for c in checks), checks, rows, parameters, time.perf_counter() - started)


def _die_with_parent() -> None:
    """In the validation child: SIGKILL it when its parent dies (a killed refresh leaves no GX behind)."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG (Linux)
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


def _remove_stale_folders() -> None:
    """The scratch folders of validations whose process is gone (a refresh killed during validation)."""
    for folder in Path(tempfile.gettempdir()).glob("newword-gx-*"):
        pid = folder.name.removeprefix("newword-gx-").split("-", 1)[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(folder, ignore_errors=True)


def run_suites(db: Path, parameters: dict[str, Any]) -> list[Check]:
    """Every suite over the audit tables of `db`, with GX's SQL datasource (the child process's work)."""

    import great_expectations as gx
    from great_expectations.core import ExpectationSuite
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    _quiet_gx()
    _persist_duckdb_connection()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_sql("warehouse", connection_string=f"duckdb:///{db}?access_mode=read_only")
    checks: list[Check] = []
    try:
        for suite_file in load_suites():
            meta = suite_file["meta"]
            batch = source.add_table_asset(meta["frame"], table_name=meta["frame"]).add_batch_definition_whole_table("full table")
            configurations = [ExpectationConfiguration(**e) for e in suite_file["expectations"]]
            suite = context.suites.add(ExpectationSuite(name=suite_file["name"], expectations=configurations, meta=meta))
            definition = context.validation_definitions.add(
                gx.ValidationDefinition(name=suite_file["name"], data=batch, suite=suite)
            )
            result_format: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": EXAMPLES}
            if meta.get("key"):
                result_format["unexpected_index_column_names"] = [meta["key"]]
            outcome = definition.run(expectation_parameters=parameters, result_format=result_format)
            for result in outcome.results:
                config = result.expectation_config
                error = (result.exception_info or {}).get("exception_message") if result.exception_info else None
                checks.append(
                    Check(
                        suite=suite_file["name"],
                        expectation=config.type,
                        description=config.description or config.type,
                        success=bool(result.success),
                        element_count=_plain(result.result.get("element_count")),
                        unexpected_count=_plain(result.result.get("unexpected_count")),
                        observed=error or _observed(result.result, config.type, parameters),
                        examples=[] if result.success else _examples(result.result, meta.get("key")),
                    )
                )
    finally:
        source.get_execution_engine().close()
    return checks


if __name__ == "__main__":  # the child process of validate()
    failpoints.reach("validate:child")
    results = run_suites(Path(sys.argv[1]), json.loads(sys.argv[2]))
    print(json.dumps([dataclasses.asdict(c) for c in results], ensure_ascii=False, default=str))
