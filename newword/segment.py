"""Segmentation: cutting sentences into words with a published vocabulary, as dictionary segmenters do.

One dynamic programme over the lattice of every n-gram of a sentence, `most_probable`: the path of
highest total unigram log probability (a published vocabulary's counts), for `newword segment` and
`newword evaluate`. Plain Python: the lattice of one sentence is small, and a dict lookup per n-gram
is cheap.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping

NEGATIVE = -math.inf


def most_probable(sentence: str, log_probability: Mapping[str, float], unknown: float, max_len: int) -> list[str]:
    """The pieces maximising the sum of their scores (log P(w) for a unigram model); an unknown single
    character scores `unknown`, an unknown longer n-gram is no piece. Ties keep the earliest start
    (the longer last piece); the first option is taken even at -inf."""
    n = len(sentence)
    best = [0.0] + [NEGATIVE] * n
    back = [0] + [-1] * n
    get = log_probability.get
    for j in range(1, n + 1):
        for i in range(max(0, j - max_len), j):
            score = get(sentence[i:j])
            if score is None:
                if j - i > 1:
                    continue
                score = unknown
            value = best[i] + score
            if back[j] < 0 or value > best[j]:
                best[j] = value
                back[j] = i
    return _walk_back(sentence, back)


def _walk_back(sentence: str, back: list[int]) -> list[str]:
    pieces = []
    j = len(sentence)
    while j > 0:
        i = back[j]
        pieces.append(sentence[i:j])
        j = i
    pieces.reverse()
    return pieces


class Segmenter:
    """Segments lines with a vocabulary of word counts (a published version's vocabulary).

    Words are looked up in the text as discovery saw it (NFKC, and traditional to simplified when the
    version was built with --to-simplified), but the tokens keep the input's own characters."""

    def __init__(self, counts: Iterable[tuple[str, int]], pattern: str, to_simplified: bool = False, split_bonus: float = 0.0):
        counts = list(counts)
        total = sum(count for _, count in counts) or 1
        # log P(w), less split_bonus per extra character: each word of a path earns the bonus, so a
        # word is kept whole only when it is e^bonus times likelier than its parts together.
        self.log_probability = {word: math.log(count / total) - split_bonus * (len(word) - 1) for word, count in counts}
        self.unknown = math.log(0.5 / total)
        self.max_len = max((len(word) for word, _ in counts), default=1)
        self.run = re.compile(pattern)
        self.t2s = None
        if to_simplified:
            import opencc

            self.t2s = opencc.OpenCC("t2s")

    def lookup(self, line: str) -> str:
        """The line as discovery normalised it, character for character (same length as `line`)."""
        key = unicodedata.normalize("NFKC", line)
        if len(key) != len(line):  # some character expands (㈱) or composes: normalise one by one
            key = "".join(n if len(n := unicodedata.normalize("NFKC", c)) == 1 else c for c in line)
        if self.t2s is not None:
            simplified = self.t2s.convert(key)
            key = simplified if len(simplified) == len(key) else key
        return key

    def tokens(self, line: str) -> Iterator[str]:
        """Every character of the line, in order: runs of the class segmented, the rest as runs."""
        key = self.lookup(line)
        position = 0
        for match in self.run.finditer(key):
            if match.start() > position:
                yield from _other(line[position : match.start()])
            start = match.start()
            for piece in most_probable(match.group(), self.log_probability, self.unknown, self.max_len):
                yield line[start : start + len(piece)]
                start += len(piece)
            position = match.end()
        if position < len(line):
            yield from _other(line[position:])


_SPACE = re.compile(r"(\s+)")


def _other(text: str) -> Iterator[str]:
    """A run outside the class: its non-space parts are tokens; spaces only separate tokens."""
    for part in _SPACE.split(text):
        if part and not part.isspace():
            yield part
