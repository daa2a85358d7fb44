"""One typed settings object for a discovery run, with the defaults of algorithm.md."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping

from newword.errors import NewwordError

DEFAULT_MIN_COHESION = {2: 5.0, 3: 25.0, 4: 125.0}

# The character class of a sentence (algorithm.md step 1): maximal runs of these characters.
CHAR_CLASSES = {
    "cjk": "[\u4e00-\u9fff]+",
    "cjk+alnum": "[\u4e00-\u9fffA-Za-z0-9]+",
}


@dataclasses.dataclass(frozen=True)
class Settings:
    max_n: int = 4
    min_count: int = 25
    min_cohesion: Mapping[int, float] = dataclasses.field(default_factory=lambda: dict(DEFAULT_MIN_COHESION))
    chars: str = "cjk"

    def __post_init__(self) -> None:
        if not isinstance(self.max_n, int) or isinstance(self.max_n, bool) or self.max_n < 2:
            raise NewwordError(f"--max-n must be an integer >= 2 (got {self.max_n!r})")
        if self.max_n > 16:
            raise NewwordError(f"--max-n must be at most 16 (got {self.max_n})")
        if not isinstance(self.min_count, int) or isinstance(self.min_count, bool) or self.min_count < 1:
            raise NewwordError(f"--min-count must be an integer >= 1 (got {self.min_count!r})")
        if self.chars not in CHAR_CLASSES:
            raise NewwordError(f"--chars must be one of {', '.join(CHAR_CLASSES)} (got {self.chars!r})")
        for length, value in self.min_cohesion.items():
            if not isinstance(length, int) or length < 2:
                raise NewwordError(f"--min-cohesion: length must be an integer >= 2 (got {length!r})")
            if not value >= 0 or value == float("inf"):
                raise NewwordError(f"--min-cohesion: threshold for length {length} must be >= 0 (got {value!r})")

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
            },
            sort_keys=True,
        )


_PAIR = re.compile(r"^\s*(\d+)\s*:\s*([0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)\s*$")


def parse_min_cohesion(text: str) -> dict[int, float]:
    """Parse '2:5,3:25,4:125' into {2: 5.0, 3: 25.0, 4: 125.0}, with a one-line error."""
    result: dict[int, float] = {}
    if not text.strip():
        raise NewwordError("--min-cohesion is empty: expected LENGTH:VALUE pairs such as 2:5,3:25,4:125")
    for part in text.split(","):
        match = _PAIR.match(part)
        if not match:
            raise NewwordError(
                f"--min-cohesion: cannot read {part.strip()!r}: expected LENGTH:VALUE pairs such as 2:5,3:25,4:125"
            )
        length, value = int(match.group(1)), float(match.group(2))
        if length < 2:
            raise NewwordError(f"--min-cohesion: length must be >= 2 (got {length} in {part.strip()!r})")
        if length in result:
            raise NewwordError(f"--min-cohesion: length {length} given twice")
        result[length] = value
    return result
