"""Benchmark: newword discover and the plain-Python reference on the same real corpora, step by step.

    .venv/bin/python benchmarks/steps.py [--corpus peoples-daily|reviews|FILE ...] [--mode reference|topwords] [--times N]

Each side runs in its own fresh process (so peak memory is its own), N times (best time kept).
Per step: wall time and the peak resident memory of the process during the step. The table
ends with the whole run and the ratio reference / newword (above 1: newword is faster). In reference
mode the two lexicons must be identical; the topwords mode is timed against the reference mode.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from common import best

ROWS = [  # (newword steps, reference step)
    (["documents"], "documents"),
    (["sentences"], "sentences"),
    (["ngram_counts"], "ngram_counts"),
    (["cohesion"], "cohesion"),
    (["cut", "candidates"], "cut+candidates"),
    (["lexicon"], "lexicon"),
    (["write"], None),
]


def table(name: str, size_mb: float, characters: int, ours: dict, ref: dict) -> list[str]:
    lines = []
    for steps, ref_step in ROWS:
        secs = sum(ours["steps"][s]["seconds"] for s in steps)
        mem = max(ours["steps"][s]["peak_mb"] for s in steps)
        label = "+".join(steps)
        if ref_step in ref["steps"]:
            r = ref["steps"][ref_step]
            lines.append(
                f"| {name} | {label} | {secs:.2f} | {mem:,.0f} | {r['seconds']:.2f} | {r['peak_mb']:,.0f} | {r['seconds'] / secs:.1f}x |"
            )
        else:
            lines.append(f"| {name} | {label} | {secs:.2f} | {mem:,.0f} | - | - | - |")
    lines.append(
        f"| **{name}** ({size_mb:.1f} MB, {characters / 1e6:.2f} M chars) | **total** | **{ours['seconds']:.2f}** | **{ours['peak_mb']:,.0f}** "
        f"| **{ref['seconds']:.2f}** | **{ref['peak_mb']:,.0f}** | **{ref['seconds'] / ours['seconds']:.1f}x** |"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", help="peoples-daily, reviews or a text file (default: both real corpora)")
    parser.add_argument("--times", type=int, default=1, help="runs per side; the fastest is kept (default 1)")
    parser.add_argument(
        "--mode",
        choices=("reference", "topwords"),
        default="reference",
        help="newword's mode (default reference, against its plain-Python reference; topwords against the reference mode)",
    )
    args = parser.parse_args()
    from newword import corpora

    print("| corpus | step | newword s | newword peak MB | reference s | reference peak MB | speed-up |")
    print("|---|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for name in args.corpus or ["peoples-daily", "reviews"]:
            if name in corpora.NAMES:
                path = Path(folder) / f"{name}.txt"
                corpora.write(name, path)
            else:
                path = Path(name)
            text = path.read_text(encoding="utf-8")
            ours = best("newword", str(path), args.times, args.mode)
            # the topwords mode's plain-Python reference takes hours at this size: it is timed against the reference mode
            ref = (
                best("newword", str(path), args.times, "reference")
                if args.mode == "topwords"
                else best("reference", str(path), args.times)
            )
            if args.mode == "reference" and ours["lexicon"] != ref["lexicon"]:
                raise SystemExit(f"bench: the lexicons differ on {name}: newword {ours['words']} words, reference {ref['words']}")
            for line in table(Path(name).name, path.stat().st_size / 1e6, len(text), ours, ref):
                print(line, flush=True)
    if args.mode == "reference":
        print(
            f"\nnewword {os.cpu_count()} cores, best of {args.times}; --mode reference with its defaults "
            "(max_n 4, min_count 25, min_cohesion 2:5,3:25,4:125); identical lexicons (word and count) checked."
        )
    else:
        print(
            f"\nnewword {os.cpu_count()} cores, best of {args.times}; --mode topwords with its defaults (min_count 5, "
            "max_word_length 10, min_significance 8); the reference side is newword --mode reference, not a plain-Python reference."
        )


if __name__ == "__main__":
    main()
