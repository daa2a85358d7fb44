"""Write a synthetic corpus for measuring the topwords mode at scale, then time and measure discover on it.

    .venv/bin/python benchmarks/scale_topwords.py corpus OUT.txt --mb 100 [--seed 0]
    .venv/bin/python benchmarks/scale_topwords.py run FILE... [--keep-output DIR]

corpus: text in the shape of benchmarks/common.py's synthetic corpora (words drawn by frequency from jieba's
dictionary, 2..24 words a clause, clauses ended by ， or 。, 20 clauses a line), drawn with numpy so
that a gigabyte takes a minute, not an hour; every line is distinct (discover counts a repeated
document once). run: `/usr/bin/time -v newword discover FILE --known-words jieba --quiet --output OUT --db DB`
(DB in a temporary folder)
on each file, one after the other, printing MB, seconds, seconds per MB and peak RSS (MB).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def synthetic_corpus(path: Path, size_bytes: int, seed: int = 0) -> None:
    from newword import corpora

    entries = [line.split(" ") for line in corpora._package_file(corpora.FILES["jieba-dict"]).decode("utf-8").splitlines()]
    entries = [e for e in entries if len(e) >= 2 and e[1].isdigit()]
    words = np.array([e[0] for e in entries], dtype=object)
    cumulative = np.cumsum([int(e[1]) for e in entries], dtype=np.float64)
    rng = np.random.default_rng(seed)
    ends = np.array(["，", "，", "，", "。"], dtype=object)
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < size_bytes:
            block = []
            lengths = rng.integers(2, 25, size=20 * 1000)  # 1000 lines of 20 clauses
            drawn = np.searchsorted(cumulative, rng.random(int(lengths.sum())) * cumulative[-1], side="right")
            text = words[drawn]
            stops = ends[rng.integers(0, 4, size=lengths.size)]
            bounds = np.concatenate(([0], np.cumsum(lengths)))
            for line in range(1000):
                clauses = ["".join(text[bounds[c] : bounds[c + 1]]) + stops[c] for c in range(20 * line, 20 * line + 20)]
                block.append("".join(clauses))
            chunk = "\n".join(block) + "\n"
            out.write(chunk)
            written += len(chunk.encode("utf-8"))


def run(path: Path, output: Path, db: Path) -> dict:
    newword = Path(sys.executable).with_name("newword")
    start = time.perf_counter()
    done = subprocess.run(
        [
            "/usr/bin/time",
            "-v",
            str(newword),
            "discover",
            str(path),
            "--known-words",
            "jieba",
            "--quiet",
            "--output",
            str(output),
            "--db",
            str(db),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{path}: discover failed:\n{done.stderr}")
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))
    mb = path.stat().st_size / 1e6
    return {"mb": mb, "seconds": seconds, "per_mb": seconds / mb, "peak_mb": peak_kb / 1024}


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    corpus = sub.add_parser("corpus")
    corpus.add_argument("out", type=Path)
    corpus.add_argument("--mb", type=float, required=True)
    corpus.add_argument("--seed", type=int, default=0)
    runs = sub.add_parser("run")
    runs.add_argument("files", type=Path, nargs="+")
    runs.add_argument("--keep-output", type=Path, help="keep each lexicon TSV here (NAME.tsv)")
    args = parser.parse_args()
    if args.command == "corpus":
        synthetic_corpus(args.out, int(args.mb * 1e6), args.seed)
        return
    print("| file | MB | seconds | s/MB | peak MB |\n|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as scratch:
        for path in args.files:
            folder = args.keep_output or Path(scratch)
            folder.mkdir(parents=True, exist_ok=True)
            r = run(path, folder / f"{path.stem}.tsv", Path(scratch) / "warehouse.duckdb")
            print(f"| {path.name} | {r['mb']:.1f} | {r['seconds']:.1f} | {r['per_mb']:.2f} | {r['peak_mb']:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
