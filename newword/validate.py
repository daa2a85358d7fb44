"""The publish gate: the expectation suites in expectations/, run by Great Expectations over full tables.

Each suite guards one table (`meta.guards`) and runs on a frame that sql/audits/<meta.frame>.sql
builds from the warehouse: the table itself plus the columns a cross-table check needs (a word's own
n-gram count, its non-cohesive parts, recounted totals). The frames go to GX's pandas engine whole;
GX's SQL datasource over DuckDB is broken upstream (see the README). `$PARAMETER`s in a suite come
from the run's settings and the previous version's lexicon size.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import time
from pathlib import Path
from typing import Any

from newword import sqlfiles, warehouse
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


def validate(db: Path, settings: Settings, previous_words: int | None = None, band: SizeBand | None = None) -> Report:
    """Run every suite over the full tables of the warehouse at `db`."""
    started = time.perf_counter()
    low, high = (band or SizeBand()).bounds(previous_words)
    parameters = {
        "min_count": settings.min_count,
        "max_n": settings.max_n,
        "word_pattern": settings.word_pattern,
        "min_word_count": low,
        "max_word_count": high,
    }
    suites = load_suites()
    con = warehouse.connect(db, read_only=True)
    try:
        values = {"max_n": settings.max_n, "non_class_pattern": settings.non_class_pattern}
        frames = {
            s["meta"]["frame"]: con.execute(
                sqlfiles.text(s["meta"]["frame"]), sqlfiles.bind(s["meta"]["frame"], values)
            ).fetchdf()
            for s in suites
        }
    finally:
        con.close()

    import great_expectations as gx
    from great_expectations.core import ExpectationSuite
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    for name, logger in list(logging.root.manager.loggerDict.items()):  # GX sets some of its loggers to INFO
        if name.startswith("great_expectations") and isinstance(logger, logging.Logger):
            logger.setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas("newword")
    checks: list[Check] = []
    for suite_file in suites:
        meta = suite_file["meta"]
        frame = frames[meta["frame"]]
        batch = source.add_dataframe_asset(meta["frame"]).add_batch_definition_whole_dataframe("full table")
        configurations = [ExpectationConfiguration(**e) for e in suite_file["expectations"]]
        suite = context.suites.add(ExpectationSuite(name=suite_file["name"], expectations=configurations, meta=meta))
        definition = context.validation_definitions.add(gx.ValidationDefinition(name=suite_file["name"], data=batch, suite=suite))
        result_format: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": EXAMPLES}
        if meta.get("key"):
            result_format["unexpected_index_column_names"] = [meta["key"]]
        outcome = definition.run(
            batch_parameters={"dataframe": frame}, expectation_parameters=parameters, result_format=result_format
        )
        by_description = {e.get("description"): e for e in suite_file["expectations"]}
        for result in outcome.results:
            config = result.expectation_config
            described = by_description.get(config.description, {})
            checks.append(
                Check(
                    suite=suite_file["name"],
                    expectation=config.type,
                    description=config.description or described.get("type", config.type),
                    success=bool(result.success),
                    element_count=_plain(result.result.get("element_count")),
                    unexpected_count=_plain(result.result.get("unexpected_count")),
                    observed=_observed(result.result, config.type, parameters),
                    examples=[] if result.success else _examples(result.result, meta.get("key")),
                )
            )
    rows = {s["meta"]["guards"]: len(frames[s["meta"]["frame"]]) for s in suites}
    return Report(all(c.success for c in checks), checks, rows, parameters, time.perf_counter() - started)
