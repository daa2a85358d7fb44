"""The data-team report: one self-contained HTML page per version, rendered from
newword/templates/report.html.j2. Nothing is loaded from anywhere else: charts are inline SVG and the
few lines of script that sort and search the tables are in the page. Written next to every published
version as report.html, and on demand by `newword report VERSION`."""

from __future__ import annotations

import json
import math
from pathlib import Path

import duckdb
import jinja2

from newword import sqlfiles

TOP = 50  # rows of the word tables
HISTORY = 300  # words followed across versions
EXAMPLES = 3
MIN_CHANGE_COUNT = 10  # rising and falling: a word's larger count must reach this
MIN_LOG_LIKELIHOOD = 10.83  # and its G2 this (p < 0.001)
FILES = ("lexicon.tsv", "lexicon.parquet", "word_examples.parquet", "ngram_counts.parquet", "vocabulary.parquet")

_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_TEMPLATES.filters["n"] = lambda value: "" if value is None else f"{value:,}"
_TEMPLATES.filters["share"] = lambda value: "" if value is None else f"{value * 100:.4f}%"
_TEMPLATES.filters["score"] = lambda value: "" if value is None or math.isnan(value) else f"{value:,.1f}"


def render(version_dir: Path, versions: list[tuple[str, Path]], links_relative: bool = True) -> str:
    """The report of the version whose files are in `version_dir` (before or after publishing).
    `versions`: (id, folder) of every version up to this one, oldest first (this one may be missing
    while it is being published). Links to the version's files are relative to the page when the
    page sits in `version_dir`, absolute otherwise."""
    manifest = _json(version_dir / "manifest.json")
    validation = _json(version_dir / "validation.json")
    this = manifest["version"]
    lexicon = str(version_dir / "lexicon.parquet")
    examples_file = version_dir / "word_examples.parquet"
    con = duckdb.connect()
    try:
        # a damaged earlier version is left out of the comparisons (and named), not a failed publish
        earlier, skipped = _readable(con, [(vid, path) for vid, path in versions if vid < this])
        every = [*earlier, (this, version_dir)]
        columns = [d[0] for d in con.execute("DESCRIBE SELECT * FROM read_parquet($path)", {"path": lexicon}).fetchall()]
        scores = con.execute("SELECT * FROM read_parquet($path) ORDER BY count DESC, word", {"path": lexicon})
        names = [d[0] for d in scores.description]
        words = {row[0]: dict(zip(names, row)) for row in scores.fetchall()}
        not_known = [w for w in words.values() if not w["is_known"]]
        if earlier:
            values = {"new_path": lexicon, "earlier_paths": [str(p / "lexicon.parquet") for _, p in earlier], "limit": None}
            first = [words[word] for word, *_ in sqlfiles.query(con, "version_new_words", values)]
        else:
            first = not_known
        changes = []
        if earlier:
            changes = sqlfiles.query(
                con,
                "version_changes",
                {
                    "old_path": str(earlier[-1][1] / "lexicon.parquet"),
                    "new_path": lexicon,
                    "min_count": MIN_CHANGE_COUNT,
                    "min_log_likelihood": MIN_LOG_LIKELIHOOD,
                },
            )
        paths = {"paths": [str(p / "lexicon.parquet") for _, p in every], "versions": [vid for vid, _ in every]}
        trends = sqlfiles.query(con, "version_trends", paths)
        followed = _followed(first, not_known, changes)  # after the lists the page shows
        history = sqlfiles.query(con, "word_history", {**paths, "words": followed})
        distribution = sqlfiles.query(con, "lexicon_distribution", {"path": lexicon})
        examples = {}
        if examples_file.exists():
            shown = [w["word"] for w in first[:TOP]] + [w["word"] for w in not_known[:TOP]]
            for word, context, offset in con.execute(
                "SELECT word, context, word_offset FROM read_parquet($path) WHERE list_contains($words, word) "
                "ORDER BY word, example",
                {"path": str(examples_file), "words": shown},
            ).fetchall():
                if len(examples.setdefault(word, [])) < EXAMPLES:
                    left, right = context[: offset - 1], context[offset - 1 + len(word) :]
                    # word_examples keeps up to 20 characters a side: fewer means the document ends there
                    examples[word].append(("…" * (len(left) >= 20) + left, word, right + "…" * (len(right) >= 20)))
    finally:
        con.close()

    manifests = {vid: _json(path / "manifest.json") for vid, path in earlier}
    manifests[this] = manifest
    by_version = {vid: (words_, not_known_, new_) for vid, words_, not_known_, new_ in trends}
    for vid in [vid for vid, _ in every if vid not in by_version]:  # an empty lexicon has no row
        by_version[vid] = (0, 0, 0)
    version_ids = [vid for vid, _ in every]
    series = {
        "words": [by_version[v][0] for v in version_ids],
        "new words (first published, not known)": [by_version[v][2] for v in version_ids],
        "documents": [manifests[v]["corpus"]["documents"] for v in version_ids],
        "characters": [manifests[v]["corpus"]["characters"] for v in version_ids],
    }
    counts_by_word: dict[str, dict[str, int]] = {}
    for word, vid, count in history:
        counts_by_word.setdefault(word, {})[vid] = count
    charts = {name: [(b, n) for chart, b, n in distribution if chart == name] for name in ("length", "count", "cohesion")}
    parameters = manifest["parameters"]
    link = (lambda name: name) if links_relative else (lambda name: (version_dir / name).resolve().as_uri())
    page = _TEMPLATES.get_template("report.html.j2").render(
        manifest=manifest,
        corpus=manifest["corpus"],
        summary=validation["summary"],
        checks=validation["checks"],
        rows=manifest["rows"],
        top=TOP,
        words_total=len(words),
        not_known=not_known[:TOP],
        not_known_total=len(not_known),
        first=first[:TOP],
        first_total=len(first),
        is_first_version=not earlier,
        skipped=skipped,
        previous=earlier[-1][0] if earlier else None,
        has_scores="significance" in columns,
        has_examples=examples_file.exists(),
        examples=examples,
        changes={kind: [c for c in changes if c[0] == kind] for kind in ("rising", "falling", "gone")},
        change_limit=TOP,
        min_change_count=MIN_CHANGE_COUNT,
        min_log_likelihood=MIN_LOG_LIKELIHOOD,
        charts=[_line(name, version_ids, values) for name, values in series.items()],
        versions=version_ids,
        followed=set(followed),
        history=[(word, [counts_by_word.get(word, {}).get(v) for v in version_ids]) for word in followed],
        distributions=[
            _bars("words by length (characters)", [str(b) for b, _ in charts["length"]], [n for _, n in charts["length"]]),
            _bars(
                "words by count (bars start at powers of 2)",
                [_power(b) for b, _ in charts["count"]],
                [n for _, n in charts["count"]],
            ),
            _bars(
                "words by cohesion (bars start at powers of 2)",
                [_power(b) for b, _ in charts["cohesion"]],
                [n for _, n in charts["cohesion"]],
            ),
        ],
        parameters=[(key, _setting(value)) for key, value in parameters.items()],
        known_words=manifest.get("known_words"),
        files=[(name, link(name)) for name in FILES if (version_dir / name).exists()]
        + [("validation.json", link("validation.json")), ("manifest.json", link("manifest.json"))],
    )
    return page


def write(version_dir: Path, target: Path, versions: list[tuple[str, Path]], links_relative: bool | None = None) -> None:
    """Render the report to `target` (written under a scratch name, then renamed)."""
    if links_relative is None:
        links_relative = target.resolve().parent == version_dir.resolve()
    scratch = target.with_name(f".{target.name}.tmp")
    scratch.write_text(render(version_dir, versions, links_relative), encoding="utf-8")
    scratch.replace(target)


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _followed(first: list[dict], not_known: list[dict], changes: list[tuple]) -> list[str]:
    """The words whose counts the page follows across versions: every word it lists (the first TOP
    of each table), then the other words not known, most used first, up to HISTORY."""
    listed = [w["word"] for w in first[:TOP]]
    for kind in ("rising", "falling", "gone"):
        listed += [c[1] for c in changes if c[0] == kind][:TOP]
    listed += [w["word"] for w in not_known]
    return list(dict.fromkeys(listed))[:HISTORY]


def _readable(con: duckdb.DuckDBPyConnection, versions: list[tuple[str, Path]]) -> tuple[list[tuple[str, Path]], list[str]]:
    """The versions whose manifest and lexicon can be read, and the ids of those that cannot."""
    readable, skipped = [], []
    for vid, path in versions:
        try:
            _json(path / "manifest.json")["corpus"]["documents"]
            con.execute("SELECT count(*) FROM read_parquet($path)", {"path": str(path / "lexicon.parquet")}).fetchall()
            readable.append((vid, path))
        except (OSError, ValueError, KeyError, TypeError, duckdb.Error):
            skipped.append(vid)
    return readable, skipped


def _setting(value: object) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v:g}" if isinstance(v, float) else f"{k}: {v}" for k, v in value.items())
    return "" if value is None else str(value)


def _power(bucket: int) -> str:
    low = 2**bucket
    return f"{low:g}" if bucket < 14 else f"2^{bucket}"


def _bars(title: str, labels: list[str], values: list[int]) -> dict:
    """A bar chart's geometry (the template draws it as inline SVG)."""
    width, height, left, bottom = 520, 200, 40, 40
    peak = max(values) if values else 1
    step = (width - left - 10) / max(len(values), 1)
    bars = []
    for i, (label, value) in enumerate(zip(labels, values)):
        h = (height - bottom - 20) * value / peak
        x = left + i * step
        bars.append(
            {
                "x": x + 2,
                "y": height - bottom - h,
                "w": max(step - 4, 1),
                "h": h,
                "cx": x + step / 2,
                "label": label,
                "value": value,
            }
        )
    return {"title": title, "width": width, "height": height, "left": left, "base": height - bottom, "bars": bars}


def _line(title: str, labels: list[str], values: list[int]) -> dict:
    """A line chart's geometry: one point per version."""
    width, height, left, bottom, top = 250, 160, 56, 34, 16
    peak = max(values) if values and max(values) > 0 else 1
    step = (width - left - 20) / max(len(values) - 1, 1)
    points = []
    for i, (label, value) in enumerate(zip(labels, values)):
        x = left + (i * step if len(values) > 1 else (width - left - 20) / 2)
        y = height - bottom - (height - bottom - top) * value / peak
        points.append({"x": x, "y": y, "label": label, "value": value})
    return {
        "title": title,
        "width": width,
        "height": height,
        "left": left,
        "base": height - bottom,
        "top": top,
        "peak": peak,
        "points": points,
        "path": " ".join(f"{'M' if i == 0 else 'L'}{p['x']:.1f},{p['y']:.1f}" for i, p in enumerate(points)),
    }
