"""Segmentation: cutting sentences into words with scores, as dictionary segmenters do.

One dynamic programme over the lattice of every n-gram of a sentence, `most_probable`: the path of
highest total score. It serves twice:
- with unigram log probabilities (a published vocabulary's counts), for `newword segment` and
  `newword evaluate`, as dictionary segmenters do;
- with `piece_scores` (autonomy x length), for the entropy mode's cut while discovering (Magistry &
  Sagot's nVBE segmentation).
Plain Python: the lattice of one sentence is small, and a dict lookup per n-gram is cheap. The
entropy mode's cut runs the same programme over many sentences at once (`best_autonomy_paths`, numpy,
on the lattice that sql/intermediate/piece_lattice.sql reads): 0.43 s on People's Daily, where calling
`most_probable` per distinct sentence took 4.7 s.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping

import numpy as np

NEGATIVE = -math.inf


def piece_scores(autonomy: Mapping[str, float], single_penalty: float) -> dict[str, float]:
    """The entropy mode's cut as a path score: a piece w scores autonomy(w) * len(w), a single
    character `single_penalty` less. With these scores, and -single_penalty for a character that
    has no autonomy, `most_probable` finds the pieces of highest total (nVBE segmentation)."""
    return {w: piece_score(a, len(w), single_penalty) for w, a in autonomy.items()}


def piece_score(autonomy, length: int, single_penalty: float):
    """One piece's score from its autonomy (a float, or a numpy array of pieces of one length)."""
    return autonomy * length - (single_penalty if length == 1 else 0.0)


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


def best_autonomy_paths(
    lengths: np.ndarray, rows: np.ndarray, scores: np.ndarray, unknown: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`most_probable` for many sentences at once, over their lattice as arrays: the same pieces.

    Sentence s has lengths[s] characters; scores[rows[s] + i, k - 1] is the score of its piece of k
    characters starting at its character i (from 0), NaN where there is no such piece (an unknown
    single character scores `unknown` instead). Returns (sentence, start, length) of every piece,
    start counted from 0, in no particular order.

    The programme runs over the sentences side by side, one end position j at a time (longest
    sentences first, so the sentences still going are a prefix): numpy operations over all of them
    per step, not Python per character. It takes as many steps as the longest sentence has
    characters: give it short sentences and cut long ones with `most_probable`. Each path value is
    computed with the same additions in the same order, and ties keep the earliest start, as there."""
    max_len = scores.shape[1]
    order = np.argsort(-lengths, kind="stable")
    size = lengths[order].astype(np.int64)
    first = rows[order].astype(np.int64)
    base = np.concatenate(([0], np.cumsum(size + 1)[:-1])).astype(np.int64)  # best[base + j]: a path to j
    best = np.full(int((size + 1).sum()), NEGATIVE)
    back = np.full(best.size, -1, dtype=np.int64)
    best[base] = 0.0
    singles = scores[:, 0].copy()
    singles[np.isnan(singles)] = unknown
    longest = int(size[0]) if size.size else 0
    for j in range(1, longest + 1):
        going = int(np.searchsorted(-size, -j, side="right"))  # sentences of j characters or more
        at, row = base[:going], first[:going]
        best_j = np.full(going, NEGATIVE)
        back_j = np.full(going, -1, dtype=np.int64)
        for k in range(min(j, max_len), 0, -1):  # the start i = j - k ascending, as most_probable
            i = j - k
            score = singles[row + i] if k == 1 else scores[row + i, k - 1]
            value = best[at + i] + score
            take = (back_j < 0) | (value > best_j)
            if k > 1:
                take &= ~np.isnan(score)
            best_j = np.where(take, value, best_j)
            back_j = np.where(take, i, back_j)
        best[at + j] = best_j
        back[at + j] = back_j
    sentences, starts, ends = [], [], []
    going = np.flatnonzero(size > 0)
    end = size.copy()
    while going.size:  # walk back from every end at once
        start = back[base[going] + end[going]]
        sentences.append(order[going])
        starts.append(start)
        ends.append(end[going])
        end[going] = start
        going = going[start > 0]
    if not sentences:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    start, stop = np.concatenate(starts), np.concatenate(ends)
    return np.concatenate(sentences), start, stop - start


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
