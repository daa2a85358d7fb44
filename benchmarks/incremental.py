"""Benchmark: a refresh that adds 1% new text to a home holding the rest, against a full rebuild of
the whole corpus, step by step.

    .venv/bin/python benchmarks/incremental.py peoples-daily|reviews [--share 0.01]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import common  # noqa: F401 - puts the checkout on sys.path


def bench_incremental(name: str, share: float) -> None:
    """Time a refresh that adds `share` new text to a home holding the rest, against a full rebuild."""
    from newword import corpora, refresh
    from newword.home import Home
    from newword.progress import Progress

    documents = corpora.lines(name)
    cut = int(len(documents) * (1 - share))
    with tempfile.TemporaryDirectory() as folder:
        base, new, whole = (Path(folder) / f for f in ("base.txt", "new.txt", "whole.txt"))
        base.write_text("\n".join(documents[:cut]) + "\n", encoding="utf-8")
        new.write_text("\n".join(documents[cut:]) + "\n", encoding="utf-8")
        whole.write_text("\n".join(documents) + "\n", encoding="utf-8")

        def timed(home: Path, source: Path) -> dict[str, float]:
            progress = Progress(quiet=True)
            refresh.refresh([str(source)], Home(home), call=refresh.progress_call(progress), allow_size_change=True)
            return dict(progress.timings)

        timed(Path(folder) / "inc", base)
        incremental = timed(Path(folder) / "inc", new)
        full = timed(Path(folder) / "full", whole)
    print(
        f"| step | incremental refresh: +{len(documents) - cut:,} documents ({share:.0%}) s | full rebuild: {len(documents):,} documents s |"
    )
    print("|---|---:|---:|")
    for step in refresh.STEPS:
        print(f"| {step} | {incremental.get(step, 0):.2f} | {full.get(step, 0):.2f} |")
    print(f"| **total** | **{sum(incremental.values()):.2f}** | **{sum(full.values()):.2f}** |")
    counted = ("documents", "sentences", "ngram_counts")
    print(
        f"| documents + sentences + ngram_counts | {sum(incremental[s] for s in counted):.2f} | {sum(full[s] for s in counted):.2f} |"
    )


def main() -> None:
    from newword import corpora

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", choices=corpora.NAMES, metavar="CORPUS", help="peoples-daily or reviews")
    parser.add_argument("--share", type=float, default=0.01, help="the share of the documents that is new (default 0.01)")
    args = parser.parse_args()
    bench_incremental(args.corpus, args.share)


if __name__ == "__main__":
    main()
