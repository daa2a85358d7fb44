"""Quality: the README's quality table, held-out new-word precision and the top-100 new words.

    .venv/bin/python tests/quality.py [--top FILE]

For each corpus and each setting (reference mode, the entropy mode's options, the default):
- word-span F1 against a gold segmentation (newword.evaluate's protocol): People's Daily 1998-01
  against its PKU gold; the reviews against jieba's segmentation, a silver standard (agreement with
  a supervised segmenter, not correctness);
- the lexicon's size and the share of its words that are in jieba's dictionary;
- held-out new words: jieba's dictionary is split at random (seed 0) into a known part (80%) given
  as --known-words and a hidden part (20%); among the top K words the lexicon reports as new, the
  share the hidden part confirms, for K = 25, 50, 100. Words in no dictionary count as unconfirmed,
  so this is a lower bound (a real new word like 微信 is not in jieba's 2012 dictionary).
With --top FILE, the top 100 new words (known words: all of jieba's dictionary) of the default and
the reference mode are written there, for reading.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newword import corpora, evaluate, pipeline, sqlfiles, warehouse
from newword.segment import Segmenter
from newword.settings import DEFAULT_MIN_COHESION, Settings

SETTINGS = {
    "reference (algorithm.md), --split-bonus 3.5": Settings(mode="reference", split_bonus=3.5),
    "reference (algorithm.md)": Settings(mode="reference"),
    "entropy, --split-bonus 0": Settings(split_bonus=0.0),
    "entropy, --single-penalty 1.5": Settings(single_penalty=1.5),
    "entropy, --min-cohesion 2:5,3:25,4:125": Settings(min_cohesion=DEFAULT_MIN_COHESION),
    "entropy, --max-edge-alone 1 (no edge filter)": Settings(max_edge_alone=1.0),
    "entropy, --min-neighbour-entropy 0 (no entropy filter)": Settings(min_neighbour_entropy=0.0),
    "entropy (default)": Settings(),
}
DEPTHS = (25, 50, 100)


def gold_lines(name: str) -> list[list[str]]:
    if name == "peoples-daily":
        import unicodedata

        return [[unicodedata.normalize("NFKC", w) for w in line.split()] for line in corpora.peoples_daily_gold()]
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    import unicodedata

    return [list(jieba.cut(unicodedata.normalize("NFKC", line))) for line in corpora.reviews()]


def run(lines: list[list[str]], settings: Settings, known: Path, folder: Path) -> dict:
    raw = folder / "raw.txt"
    raw.write_text("".join("".join(words) + "\n" for words in lines), encoding="utf-8")
    db = folder / "w.duckdb"
    pipeline.discover([str(raw)], db, None, settings, known_words=str(known))
    con = warehouse.connect(db, read_only=True)
    try:
        values = {"mode": settings.mode, "segment_min_count": settings.segment_min_count}
        vocabulary = [(w, c) for w, _, c in sqlfiles.query(con, "vocabulary", values)]
        segmenter = Segmenter(vocabulary, settings.pattern, split_bonus=settings.split_bonus)
    finally:
        con.close()
    _, rows = pipeline.top_words(db)
    output = [list(segmenter.tokens("".join(words))) for words in lines]
    return {"spans": evaluate.score_spans(lines, output, settings.pattern), "lexicon": rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--top", type=Path, help="write the top 100 new words here")
    parser.add_argument("--corpus", action="append", choices=("peoples-daily", "reviews"))
    args = parser.parse_args()
    dictionary = corpora.jieba_words()
    shuffled = dictionary[:]
    random.Random(0).shuffle(shuffled)
    cut = int(len(shuffled) * 0.8)
    known, hidden = shuffled[:cut], set(shuffled[cut:])
    everything = set(dictionary)
    print("| corpus | setting | span P | span R | span F1 | lexicon words | in jieba | new (not in jieba) | "
          + " | ".join(f"held-out @{k}" for k in DEPTHS) + " |")  # fmt: skip
    print("|---" * (8 + len(DEPTHS)) + "|")
    tops = []
    for corpus in args.corpus or ["peoples-daily", "reviews"]:
        lines = gold_lines(corpus)
        for name, settings in SETTINGS.items():
            with tempfile.TemporaryDirectory() as folder:
                known_file = Path(folder) / "known.txt"
                known_file.write_text("\n".join(known) + "\n", encoding="utf-8")
                result = run(lines, settings, known_file, Path(folder))
            words = [row[0] for row in result["lexicon"]]
            new = [row[0] for row in result["lexicon"] if not row[4]]
            confirmed = [sum(1 for w in new[:k] if w in hidden) / max(1, min(k, len(new))) for k in DEPTHS]
            s = result["spans"]
            in_jieba = sum(1 for w in words if w in everything) / max(1, len(words))
            print(
                f"| {corpus} | {name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {len(words):,} | {in_jieba:.1%} | {sum(1 for w in words if w not in everything):,} | "
                + " | ".join(f"{c:.0%}" for c in confirmed)
                + " |",
                flush=True,
            )
            if name in ("reference (algorithm.md)", "entropy (default)"):
                unknown = [(w, c) for w, c, *_ in result["lexicon"] if w not in everything][:100]
                tops.append((corpus, name, unknown))
    if args.top:
        with open(args.top, "w", encoding="utf-8") as out:
            for corpus, name, unknown in tops:
                out.write(f"## {corpus}, {name}: top {len(unknown)} words not in jieba's dictionary\n\n")
                out.write(" ".join(f"{w}({c})" for w, c in unknown) + "\n\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
