"""One typed settings object for a discovery run: what a version's manifest records. Its fields, their
defaults and checks are the build options of newword/options.py."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from typing import Any

from newword.errors import UsageError
from newword.options import CHAR_CLASSES, DEFAULT_MIN_COHESION, DEFAULT_MIN_COUNT, MODES, OPTIONS, SETTINGS

__all__ = ["CHAR_CLASSES", "DEFAULT_MIN_COHESION", "DEFAULT_MIN_COUNT", "MODES", "Settings", "from_values", "parse_min_cohesion"]


@dataclasses.dataclass(frozen=True)
class Settings:
    max_n: int = OPTIONS.max_n.default
    min_count: int | None = OPTIONS.min_count.default  # None: the mode's default (DEFAULT_MIN_COUNT)
    min_cohesion: Mapping[int, float] | None = OPTIONS.min_cohesion.default  # None: algorithm.md's
    chars: str = OPTIONS.chars.default
    mode: str = OPTIONS.mode.default
    segment_min_count: int = OPTIONS.segment_min_count.default
    split_bonus: float = OPTIONS.split_bonus.default
    max_word_length: int = OPTIONS.max_word_length.default
    min_significance: float = OPTIONS.min_significance.default

    def __post_init__(self) -> None:
        OPTIONS.mode.validate(self.mode)  # first: the defaults below depend on it
        if self.min_cohesion is None:
            object.__setattr__(self, "min_cohesion", dict(DEFAULT_MIN_COHESION))
        if self.min_count is None:
            object.__setattr__(self, "min_count", DEFAULT_MIN_COUNT[self.mode])
        for name in SETTINGS:
            OPTIONS[name].validate(getattr(self, name))

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
        """The settings as the manifest and the run table record them (the topwords mode's own only in that mode)."""
        recorded: dict[str, Any] = {}
        for name in SETTINGS:
            if OPTIONS[name].topwords_only and self.mode != "topwords":
                continue
            value = getattr(self, name)
            recorded[name] = {str(k): v for k, v in sorted(value.items())} if name == "min_cohesion" else value
        return json.dumps(recorded, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | Mapping[str, Any]) -> Settings:
        """The settings to_json recorded (a manifest's parameters, a run table's); a record without a mode is
        from before the topwords mode, so reference."""
        recorded = json.loads(text) if isinstance(text, str) else dict(text)
        values = {name: recorded[name] for name in SETTINGS if name in recorded}
        values.setdefault("mode", "reference")
        if "min_cohesion" in values:
            values["min_cohesion"] = {int(k): v for k, v in values["min_cohesion"].items()}
        return cls(**values)


def from_values(values: Mapping[str, Any]) -> Settings:
    """Settings from the options as the command line and the flows give them, by name (--min-cohesion as
    text; min_count None: the mode's default)."""
    thresholds = parse_min_cohesion(values["min_cohesion"])
    max_n = values["max_n"]
    for length in sorted(thresholds or ()):
        if isinstance(max_n, int) and length > max_n:
            raise UsageError(f"--min-cohesion: length {length} is never used: n-grams stop at --max-n {max_n}")
    given = {name: values[name] for name in SETTINGS if name in values and name != "min_cohesion"}
    return Settings(**given, min_cohesion=thresholds)


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
