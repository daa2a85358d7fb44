"""The data-team report: one self-contained HTML page per version (no scripts, styles, fonts or
images from anywhere else; charts are inline SVG). Written next to every published version as
report.html, and on demand by `newword report VERSION`."""

from __future__ import annotations

import html
import json
from pathlib import Path

import duckdb

from newword import sqlfiles

TOP = 50
CHANGES = 20
STYLE = """
body{font-family:sans-serif;margin:2em auto;max-width:1100px;color:#222}
h1{margin-bottom:.2em} h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0} td,th{padding:.2em .7em;border-bottom:1px solid #eee;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;gap:1em;flex-wrap:wrap} .card{border:1px solid #ddd;border-radius:6px;padding:.6em 1em}
.card b{display:block;font-size:1.5em} .cols{display:flex;gap:2em;flex-wrap:wrap}
.ok{color:#1a7f37} .bad{color:#c62828;font-weight:bold} svg text{font-size:11px;fill:#333}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _table(headers: list[str], rows: list[list[object]], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    head = "".join(f'<th class="{"n" if i in numeric else ""}">{_e(h)}</th>' for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(f'<td class="{"n" if i in numeric else ""}">{_e(v)}</td>' for i, v in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _bars(title: str, labels: list[str], values: list[int]) -> str:
    """A bar chart as inline SVG."""
    width, height, left, bottom = 520, 200, 40, 40
    peak = max(values) if values else 1
    step = (width - left - 10) / max(len(values), 1)
    bars = []
    for i, (label, value) in enumerate(zip(labels, values)):
        h = (height - bottom - 20) * value / peak
        x = left + i * step
        y = height - bottom - h
        bars.append(
            f'<rect x="{x + 2:.1f}" y="{y:.1f}" width="{max(step - 4, 1):.1f}" height="{h:.1f}" fill="#4a78b5"><title>{_e(label)}: {value:,}</title></rect>'
            f'<text x="{x + step / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle">{_e(label)}</text>'
            f'<text x="{x + step / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">{value:,}</text>'
        )
    return (
        f'<figure><svg width="{width}" height="{height}" role="img" aria-label="{_e(title)}">'
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 5}" y2="{height - bottom}" stroke="#999"/>{"".join(bars)}'
        f"</svg><figcaption>{_e(title)}</figcaption></figure>"
    )


def _power_label(bucket: int) -> str:
    low = 2**bucket
    return f"{low:g}" if bucket < 14 else f"2^{bucket}"


def render(version_dir: Path, previous_dir: Path | None = None) -> str:
    """The report of the version whose files are in `version_dir` (before or after publishing)."""
    manifest = json.loads((version_dir / "manifest.json").read_text(encoding="utf-8"))
    validation = json.loads((version_dir / "validation.json").read_text(encoding="utf-8"))
    lexicon = str(version_dir / "lexicon.parquet")
    con = duckdb.connect()
    try:
        _, unknown = _rows(con, "version_lexicon", {"path": lexicon, "limit": None, "new_only": True})
        new_words = unknown[:TOP]
        distribution = sqlfiles.query(con, "lexicon_distribution", {"path": lexicon})
        changes = []
        if previous_dir is not None:
            changes = sqlfiles.query(
                con, "version_changes", {"old_path": str(previous_dir / "lexicon.parquet"), "new_path": lexicon}
            )
    finally:
        con.close()

    corpus, params, rows = manifest["corpus"], manifest["parameters"], manifest["rows"]
    summary = validation["summary"]
    new_count = sum(1 for c in changes if c[0] == "new")
    cards = [
        ("words", f"{rows['lexicon']:,}"),
        ("new words (not known)", f"{len(unknown):,}"),
        ("documents", f"{corpus['documents']:,}"),
        ("new documents", f"{corpus['new_documents']:,}"),
        ("characters", f"{corpus['characters']:,}"),
        ("checks passed", f"{summary['passed']}/{summary['expectations']}"),
    ]
    parts = [
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">',
        f"<title>newword {_e(manifest['version'])}</title><style>{STYLE}</style></head><body>",
        f"<h1>Lexicon {_e(manifest['version'])}</h1>",
        f"<p>Published {_e(manifest['created_at'])} · previous version {_e(manifest['previous_version'] or 'none')} · code {_e(manifest['code_version'])}</p>",
        '<div class="cards">' + "".join(f'<div class="card"><b>{_e(v)}</b>{_e(k)}</div>' for k, v in cards) + "</div>",
        "<h2>Corpus and parameters</h2>",
        _table(
            ["", ""],
            [
                ["documents", f"{corpus['documents']:,} ({corpus['new_documents']:,} new in this version)"],
                ["characters in sentences", f"{corpus['characters']:,}"],
                ["corpus fingerprint (SHA-256)", corpus["content_hash"]],
                ["max_n", params["max_n"]],
                ["min_count", params["min_count"]],
                ["min_cohesion", ", ".join(f"{k}:{v:g}" for k, v in params["min_cohesion"].items())],
                ["character class", params["chars"]],
                ["n-grams kept", f"{rows['ngram_counts']:,}"],
            ],
        ),
        f"<h2>Top new words</h2><p>The {min(TOP, len(new_words))} most frequent words not in the known-words list.</p>",
        _table(
            ["#", "word", "count", "length", "cohesion"],
            [[i, w, f"{c:,}", n, "" if s is None else f"{s:,.1f}"] for i, (w, c, n, s, _) in enumerate(new_words, 1)],
            numeric={0, 2, 3, 4},
        ),
        "<h2>What changed since the previous version</h2>",
    ]
    if previous_dir is None:
        parts.append("<p>This is the first version.</p>")
    else:
        parts.append(
            f'<p>{new_count:,} new, {sum(1 for c in changes if c[0] == "gone"):,} gone; rising and falling compare each word\'s share of all word occurrences.</p><div class="cols">'
        )
        for kind, title in (("new", "New"), ("gone", "Gone"), ("rising", "Rising"), ("falling", "Falling")):
            picked = [c for c in changes if c[0] == kind]
            if kind in ("rising", "falling"):
                picked.sort(key=lambda c: (c[4] if kind == "falling" else -c[4], c[1]))
            shown = [[c[1], "" if c[2] is None else f"{c[2]:,}", "" if c[3] is None else f"{c[3]:,}"] for c in picked[:CHANGES]]
            parts.append(
                f"<div><h3>{title} ({len(picked):,})</h3>{_table(['word', 'before', 'now'], shown, numeric={1, 2})}</div>"
            )
        parts.append("</div>")
    charts = {name: [(b, n) for chart, b, n in distribution if chart == name] for name in ("length", "count", "cohesion")}
    parts += [
        '<h2>Distributions</h2><div class="cols">',
        _bars("words by length (characters)", [str(b) for b, _ in charts["length"]], [n for _, n in charts["length"]]),
        _bars(
            "words by count (bars start at powers of 2)",
            [_power_label(b) for b, _ in charts["count"]],
            [n for _, n in charts["count"]],
        ),
        _bars(
            "words by cohesion (bars start at powers of 2)",
            [_power_label(b) for b, _ in charts["cohesion"]],
            [n for _, n in charts["cohesion"]],
        ),
        "</div>",
        (
            f"<h2>Validation</h2><p>{summary['passed']} of {summary['expectations']} expectations passed on the full tables "
            f"({', '.join(f'{k} {v:,} rows' for k, v in summary['rows_validated'].items())}).</p>"
        ),
        _table(
            ["suite", "expectation", "result", "rows"],
            [
                [
                    c["suite"],
                    c["description"],
                    "passed" if c["success"] else "FAILED",
                    "" if c["element_count"] is None else f"{c['element_count']:,}",
                ]
                for c in validation["checks"]
            ],
            numeric={3},
        ),
        "</body></html>",
    ]
    return "\n".join(parts)


def _rows(con, name: str, values: dict) -> tuple[list[str], list[tuple]]:
    cursor = con.execute(sqlfiles.text(name), sqlfiles.bind(name, values))
    return [d[0] for d in cursor.description], cursor.fetchall()


def write(version_dir: Path, target: Path, previous_dir: Path | None = None) -> None:
    scratch = target.with_name(f".{target.name}.tmp")
    scratch.write_text(render(version_dir, previous_dir), encoding="utf-8")
    scratch.replace(target)
