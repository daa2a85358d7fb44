"""Score discovery and segmentation against a gold segmentation (newword evaluate).

Protocol (docs/quality.md):
1. Read the gold file: one line per line of text, words separated by whitespace, each either a
   plain word or PKU `word/POS` (People's Daily style, `[...]`/`]nt` brackets allowed). Each word
   is NFKC-normalised, as the pipeline normalises documents.
2. The raw text of line i is its words joined without spaces. Only this raw text is given to
   discovery (a refresh); the gold boundaries are used for scoring only.
3. The published version segments each raw line (`newword segment`).
4. Word spans: a word is a span (start, end) of its line, whitespace left out; only words made entirely of the
   character class (cjk: U+4E00..U+9FFF) are scored, in the gold and in the output alike.
   precision = matching spans / output spans, recall = matching spans / gold spans, F1 their
   harmonic mean.
5. Lexicon: the gold word types of length >= 2 made of the class; recall by how often the word
   occurs in the gold (bands), precision = lexicon words that are gold types / lexicon words.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from newword.errors import NewwordError

_TAG = re.compile(r"^\[?(.+?)/[A-Za-z][A-Za-z0-9]*(?:\][A-Za-z0-9]+)?$")
BANDS = ((100, None), (25, 99), (5, 24), (1, 4))


def read_gold(path: Path) -> list[list[str]]:
    """The gold words of every line (empty lines kept as empty lists), tags stripped; unreadable,
    binary or non-UTF-8 files give ingest's one-line errors."""
    from newword.ingest import text_lines

    lines = [[word for token in line.split() if (word := _word(token))] for line in text_lines(str(path))]
    if not any(lines):
        raise NewwordError(f"{path}: no words: a gold file has one line of space-separated words per line")
    return lines


def _word(token: str) -> str:
    """The word of a token, NFKC-normalised like documents; whitespace NFKC creates (¨) is dropped."""
    match = _TAG.match(token)
    return "".join(unicodedata.normalize("NFKC", match.group(1) if match else token).split())


@dataclasses.dataclass
class SpanScore:
    gold: int = 0
    output: int = 0
    matched: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.output if self.output else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def spans(words: Sequence[str], is_class: Callable[[str], bool]) -> set[tuple[int, int]]:
    """The (start, end) spans of the words made entirely of the class."""
    found = set()
    position = 0
    for word in words:
        if is_class(word):
            found.add((position, position + len(word)))
        position += len(word)
    return found


def score_spans(gold: Iterable[Sequence[str]], output: Iterable[Sequence[str]], pattern: str) -> SpanScore:
    run = re.compile(pattern)
    is_class = run.fullmatch
    score = SpanScore()
    for number, (expected, got) in enumerate(zip(gold, output, strict=True), start=1):
        expected = [word for word in expected if word and not word.isspace()]  # whitespace only separates words
        got = [word for word in got if word and not word.isspace()]
        if "".join(expected) != "".join(got):
            raise ValueError(f"line {number}: the segmentation changed the text")
        a, b = spans(expected, is_class), spans(got, is_class)
        score.gold += len(a)
        score.output += len(b)
        score.matched += len(a & b)
    return score


@dataclasses.dataclass
class LexiconScore:
    words: int
    gold_types: int
    correct: int
    bands: list[tuple[str, int, int]]  # (band, gold types in band, found in lexicon)

    @property
    def precision(self) -> float:
        return self.correct / self.words if self.words else 0.0


def score_lexicon(gold: Iterable[Sequence[str]], lexicon: Iterable[str], pattern: str) -> LexiconScore:
    run = re.compile(pattern)
    counts = Counter(word for line in gold for word in line if len(word) >= 2 and run.fullmatch(word))
    words = set(lexicon)
    bands = []
    for low, high in BANDS:
        band = [w for w, c in counts.items() if c >= low and (high is None or c <= high)]
        name = f">= {low}" if high is None else f"{low}-{high}"
        bands.append((name, len(band), sum(1 for w in band if w in words)))
    return LexiconScore(len(words), len(counts), len(words & counts.keys()), bands)
