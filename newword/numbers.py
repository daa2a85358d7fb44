"""How newword writes numbers: one rounding for every printed or exported value."""

from __future__ import annotations

import math

# Every printed or exported number with a fraction has at most this many decimals (JSON, CSV, TSV,
# tables and the lexicon TSV alike); Parquet files and the warehouse keep full precision.
DECIMALS = 4


def rounded(value):
    """A value as newword writes it: floats to DECIMALS places, recursively in lists, tuples and dicts."""
    if isinstance(value, float):
        return value if math.isnan(value) or math.isinf(value) else round(value, DECIMALS)
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [rounded(item) for item in value]
    return value
