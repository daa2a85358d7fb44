"""One typed settings object for a discovery run, with the defaults of algorithm.md."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Mapping

from newword.errors import UsageError

DEFAULT_MIN_COHESION = {2: 5.0, 3: 25.0, 4: 125.0}  # algorithm.md (reference mode); topwords only reports cohesion

# How the words are found:
# - topwords (default): a unigram word model fitted by EM over every frequent string up to
#   max_word_length characters, words kept by a likelihood-ratio test (newword/topwords.py);
# - reference: exactly algorithm.md (cohesion thresholds, a boundary is cut unless a cohesive n-gram covers it).
MODES = ("topwords", "reference")
DEFAULT_MIN_COUNT = {"topwords": 5, "reference": 25}  # algorithm.md's 25; topwords tests significance, not counts

# The character class of a sentence (algorithm.md step 1): maximal runs of these characters.
CHAR_CLASSES = {
    "cjk": "[\u4e00-\u9fff]+",
    "cjk+alnum": "[\u4e00-\u9fffA-Za-z0-9]+",
}


@dataclasses.dataclass(frozen=True)
class Settings:
    max_n: int = 4
    min_count: int | None = None  # None: the mode's default (DEFAULT_MIN_COUNT)
    min_cohesion: Mapping[int, float] | None = None  # None: algorithm.md's
    chars: str = "cjk"
    mode: str = "topwords"  # see MODES
    segment_min_count: int = 2  # `newword segment`'s vocabulary: pieces of the cut seen at least this often (topwords)
    split_bonus: float = 0.0  # `newword segment`: log-probability bonus per word
    max_word_length: int = 10  # topwords mode: longest candidate word
    min_significance: float = 8.0  # topwords mode: a word's log-likelihood ratio (nats) must exceed this

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise UsageError(f"--mode must be one of {', '.join(MODES)} (got {self.mode!r})")
        if self.min_cohesion is None:
            object.__setattr__(self, "min_cohesion", dict(DEFAULT_MIN_COHESION))
        if self.min_count is None:
            object.__setattr__(self, "min_count", DEFAULT_MIN_COUNT[self.mode])
        if not isinstance(self.split_bonus, (int, float)) or not -1000 <= self.split_bonus <= 1000:
            raise UsageError(f"--split-bonus must be a number between -1000 and 1000 (got {self.split_bonus!r})")
        if (
            not isinstance(self.max_word_length, int)
            or isinstance(self.max_word_length, bool)
            or not 2 <= self.max_word_length <= 64
        ):
            raise UsageError(f"--max-word-length must be an integer between 2 and 64 (got {self.max_word_length!r})")
        if not isinstance(self.min_significance, (int, float)) or not 0 <= self.min_significance < math.inf:
            raise UsageError(f"--min-significance must be a number >= 0 (got {self.min_significance!r})")
        if not isinstance(self.segment_min_count, int) or self.segment_min_count < 1:
            raise UsageError(f"segment_min_count must be an integer >= 1 (got {self.segment_min_count!r})")
        if not isinstance(self.max_n, int) or isinstance(self.max_n, bool) or self.max_n < 2:
            raise UsageError(f"--max-n must be an integer >= 2 (got {self.max_n!r})")
        if self.max_n > 6:  # six 21-bit code points fill a 128-bit n-gram key (sql/intermediate/ngram_level.sql)
            raise UsageError(f"--max-n must be at most 6 (got {self.max_n}): n-grams are counted as 128-bit keys")
        if not isinstance(self.min_count, int) or isinstance(self.min_count, bool) or self.min_count < 1:
            raise UsageError(f"--min-count must be an integer >= 1 (got {self.min_count!r})")
        if self.chars not in CHAR_CLASSES:
            raise UsageError(f"--chars must be one of {', '.join(CHAR_CLASSES)} (got {self.chars!r})")
        for length, value in self.min_cohesion.items():
            if not isinstance(length, int) or length < 2:
                raise UsageError(f"--min-cohesion: length must be an integer >= 2 (got {length!r})")
            if not value >= 0 or value == float("inf"):
                raise UsageError(f"--min-cohesion: threshold for length {length} must be >= 0 (got {value!r})")

    @property
    def pattern(self) -> str:
        """A regex matching one sentence: a maximal run of the class."""
        return CHAR_CLASSES[self.chars]

    @property
    def non_class_pattern(self) -> str:
        """A regex matching one character outside the class."""
        return "[^" + CHAR_CLASSES[self.chars][1:-2] + "]"

    def threshold(self, length: int) -> float:
        """The cohesion an n-gram of this length must exceed: explicit, else 5^(length-1)."""
        return float(self.min_cohesion.get(length, 5 ** (length - 1)))

    def to_json(self) -> str:
        return json.dumps(
            {
                "max_n": self.max_n,
                "min_count": self.min_count,
                "min_cohesion": {str(k): v for k, v in sorted(self.min_cohesion.items())},
                "chars": self.chars,
                "mode": self.mode,
                "split_bonus": self.split_bonus,
                **(
                    {
                        "max_word_length": self.max_word_length,
                        "min_significance": self.min_significance,
                        "segment_min_count": self.segment_min_count,
                    }
                    if self.mode == "topwords"
                    else {}
                ),
            },
            sort_keys=True,
        )


def from_options(
    max_n: int = 4,
    min_count: int | None = None,
    min_cohesion: str | None = None,
    chars: str = "cjk",
    mode: str = "topwords",
    split_bonus: float = 0.0,
    max_word_length: int = 10,
    min_significance: float = 8.0,
) -> Settings:
    """Settings from the options as the command line and the flows name them (--min-cohesion as text;
    min_count None: the mode's default)."""
    thresholds = parse_min_cohesion(min_cohesion)
    for length in sorted(thresholds or ()):
        if isinstance(max_n, int) and length > max_n:
            raise UsageError(f"--min-cohesion: length {length} is never used: n-grams stop at --max-n {max_n}")
    return Settings(
        max_n=max_n,
        min_count=min_count,
        min_cohesion=thresholds,
        chars=chars,
        mode=mode,
        split_bonus=split_bonus,
        max_word_length=max_word_length,
        min_significance=min_significance,
    )


_PAIR = re.compile(r"^\s*(\d+)\s*:\s*([0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)\s*$")


def parse_min_cohesion(text: str | None) -> dict[int, float] | None:
    """Parse '2:5,3:25,4:125' into {2: 5.0, 3: 25.0, 4: 125.0}, with a one-line error (None: the mode's defaults)."""
    if text is None:
        return None
    result: dict[int, float] = {}
    if not text.strip():
        raise UsageError("--min-cohesion is empty: expected LENGTH:VALUE pairs such as 2:5,3:25,4:125")
    for part in text.split(","):
        match = _PAIR.match(part)
        if not match:
            raise UsageError(f"--min-cohesion: cannot read {part.strip()!r}: expected LENGTH:VALUE pairs such as 2:5,3:25,4:125")
        length, value = int(match.group(1)), float(match.group(2))
        if length < 2:
            raise UsageError(f"--min-cohesion: length must be >= 2 (got {length} in {part.strip()!r})")
        if length in result:
            raise UsageError(f"--min-cohesion: length {length} given twice")
        result[length] = value
    return result
