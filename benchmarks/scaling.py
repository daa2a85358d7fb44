"""Benchmark: newword discover from ingest to the validation gate on corpora of growing size, against
the plain-Python reference where it can run, with the lexicons checked identical.

    .venv/bin/python benchmarks/scaling.py MB,... [--source synthetic|real|real,synthetic] [--mode MODE] [--times N] [--chart FILE.svg]

One table: per corpus and size, newword's per-step time and peak memory, total, seconds per MB and
peak memory, and the reference's time and peak memory (up to --reference-max-mb). Each side runs in
a fresh process, `--times` times, alternately; the fastest run of each is kept.
"""

from __future__ import annotations

import argparse
import math
import os
import tempfile
from pathlib import Path

from common import characters_of, real_corpus, run_child, synthetic_corpus

SCALE_STEPS = [
    ("documents",),
    ("sentences",),
    ("ngram_counts",),
    ("cohesion",),
    ("cut", "candidates"),
    ("lexicon",),
    ("write",),
    ("validate",),
]


def bench_scale(
    sizes_mb: list[float], sources: list[str], mode: str, reference_max_mb: float, chart: Path | None, times: int = 1
) -> None:
    heads = " | ".join("+".join(s) + " s (MB)" for s in SCALE_STEPS)
    print(
        f"| corpus | MB | M chars | {heads} | discover s | s/MB | discover peak MB | reference s | reference peak MB "
        "| speed-up | end to end s | end to end peak MB |"
    )
    print("|---" * (11 + len(SCALE_STEPS)) + "|")
    points: dict[str, list] = {}
    with tempfile.TemporaryDirectory() as folder:
        for source in sources:
            for size in sizes_mb:
                path = Path(folder) / f"{source}-{size:g}MB.txt"
                (synthetic_corpus if source == "synthetic" else real_corpus)(path, int(size * 1e6))
                mb = path.stat().st_size / 1e6
                characters = characters_of(path)
                with_reference = mode == "reference" and mb <= reference_max_mb
                ours_runs, ref_runs = [], []
                for _ in range(times):  # alternately, so that a slow spell of the machine hits both sides
                    ours_runs.append(run_child("newword", str(path), mode, validate=True))
                    if with_reference:
                        ref_runs.append(run_child("reference", str(path)))
                ours = min(ours_runs, key=lambda run: run["seconds"])
                ref = min(ref_runs, key=lambda run: run["seconds"]) if with_reference else None
                if ref is not None and ref["lexicon"] != ours["lexicon"]:
                    raise SystemExit(
                        f"bench: the lexicons differ at {mb:.0f} MB: newword {ours['words']} words, reference {ref['words']}"
                    )
                path.unlink()
                cells = []
                for group in SCALE_STEPS:
                    seconds = sum(ours["steps"][s]["seconds"] for s in group)
                    peak = max(ours["steps"][s]["peak_mb"] for s in group)
                    cells.append(f"{seconds:.1f} ({peak:,.0f})")
                ref_cells = (
                    f"{ref['seconds']:.1f} | {ref['peak_mb']:,.0f} | {ref['seconds'] / ours['seconds']:.1f}x"
                    if ref
                    else "- | - | -"
                )
                print(
                    f"| {source} | {mb:.1f} | {characters / 1e6:.1f} | {' | '.join(cells)} | {ours['seconds']:.1f} "
                    f"| {ours['seconds'] / mb:.2f} | {ours['peak_mb']:,.0f} | {ref_cells} "
                    f"| {ours['end_to_end_seconds']:.1f} | {ours['end_to_end_peak_mb']:,.0f} |",
                    flush=True,
                )
                points.setdefault(source, []).append((mb, ours["seconds"] / mb, ref["seconds"] / mb if ref else None))
    print(
        f"\nbest of {times} run{'s' if times > 1 else ''} a side; newword {os.cpu_count()} cores, DuckDB memory limit "
        f"{os.environ.get('NEWWORD_MEMORY_LIMIT') or 'default'}; --mode {mode}; "
        "discover: ingest to the published warehouse and TSV, as `newword discover`; end to end: then the validation gate "
        "(GX, in its own process); (MB): peak resident memory in the step; lexicons identical where the reference ran."
    )
    if chart:
        for source, series in points.items():
            target = chart if len(points) == 1 else chart.with_name(f"{chart.stem}-{source}{chart.suffix}")
            target.write_text(scaling_svg(series, f"{source} corpus, --mode {mode}"), encoding="utf-8")
            print(f"chart: {target}")


def scaling_svg(points: list[tuple[float, float, float | None]], title: str) -> str:
    """Seconds per MB against corpus size (log scale), newword and reference: a small standalone SVG."""
    width, height, left, bottom, top, right = 640, 360, 60, 40, 30, 20
    xs = [math.log10(p[0]) for p in points]
    ys = [v for p in points for v in p[1:] if v is not None]
    x0, x1 = min(xs) - 0.1, max(xs) + 0.1
    y1 = max(ys) * 1.15

    def at(mb: float, value: float) -> tuple[float, float]:
        x = left + (math.log10(mb) - x0) / (x1 - x0) * (width - left - right)
        y = height - bottom - value / y1 * (height - bottom - top)
        return x, y

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
        f'<text x="{left}" y="18">{title}: seconds per MB (lower is better; flat is linear)</text>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#444"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#444"/>',
    ]
    for mb, _, _ in points:
        x, _ = at(mb, 0)
        parts.append(f'<text x="{x:.0f}" y="{height - bottom + 16}" text-anchor="middle">{mb:.0f} MB</text>')
    for i in range(5):
        value = y1 * i / 4
        _, y = at(points[0][0], value)
        parts.append(f'<text x="{left - 6}" y="{y + 4:.0f}" text-anchor="end">{value:.2f}</text>')
    for index, (colour, name) in enumerate((("#1f77b4", "newword"), ("#d62728", "reference"))):
        series = [at(p[0], p[1 + index]) for p in points if p[1 + index] is not None]
        if not series:
            continue
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in series)}"/>'
        )
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in series]
        parts.append(f'<text x="{width - right - 90}" y="{top + 16 * (index + 1)}" fill="{colour}">{name}</text>')
    parts.append("</svg>\n")
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", metavar="MB,...", help="corpus sizes in MB, for example 5,10,25")
    parser.add_argument("--source", default="synthetic", help="synthetic, real or both as real,synthetic (default synthetic)")
    parser.add_argument(
        "--mode",
        choices=("reference", "topwords"),
        default="reference",
        help="newword's mode (default reference; the plain-Python reference runs only against it)",
    )
    parser.add_argument("--times", type=int, default=1, help="runs per side; the fastest is kept (default 1)")
    parser.add_argument("--reference-max-mb", type=float, default=30, help="run the reference up to this size (default 30)")
    parser.add_argument("--chart", type=Path, help="write the scaling chart (SVG) here")
    args = parser.parse_args()
    sources = args.source.split(",")
    if not set(sources) <= {"synthetic", "real"}:
        parser.error(f"--source: synthetic, real or real,synthetic (got {args.source})")
    bench_scale([float(n) for n in args.sizes.split(",")], sources, args.mode, args.reference_max_mb, args.chart, args.times)


if __name__ == "__main__":
    main()
