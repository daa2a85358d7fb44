"""Invariants (style.md), checked with hypothesis on random documents over a small alphabet:
the pipeline equals the reference in both modes; 1-gram counts add up to the characters of the sentences;
c(ab) <= min(c(a), c(b)); the lexicon does not depend on document order."""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newword import pipeline
from newword.settings import Settings
from tests import reference, reference_topwords

pytestmark = pytest.mark.slow  # each property builds many warehouses

ALPHABET = "中华人民共和国的一是了A1，。 "
documents_strategy = st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=40), min_size=1, max_size=30)
settings_strategy = st.builds(
    Settings,
    max_n=st.integers(2, 5),
    min_count=st.integers(1, 4),
    min_cohesion=st.dictionaries(st.integers(2, 5), st.floats(0, 30, allow_nan=False), max_size=3),
    chars=st.sampled_from(["cjk", "cjk+alnum"]),
    mode=st.just("reference"),
)
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextlib.contextmanager
def build(documents: list[str], setting: Settings) -> Iterator[Path | None]:
    """Run the pipeline; None when the corpus has no text of the class (an error by design)."""
    if not reference.sentences(documents, setting.chars):
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="newword-prop-") as folder:
        source = Path(folder) / "c.jsonl"
        source.write_text("".join(json.dumps({"text": d}, ensure_ascii=False) + "\n" for d in documents), encoding="utf-8")
        pipeline.discover([str(source)], Path(folder) / "w.duckdb", None, setting)
        yield Path(folder) / "w.duckdb"


def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@PROPERTY
@given(documents_strategy, settings_strategy)
def test_pipeline_equals_reference_on_random_text(documents, setting):
    with build(documents, setting) as db:
        if db is None:
            return
        expected = reference.discover(documents, setting.max_n, setting.min_count, dict(setting.min_cohesion), setting.chars)
        assert dict(query(db, "SELECT word, count FROM lexicon")) == expected


@PROPERTY
@given(documents_strategy, st.sampled_from(["cjk", "cjk+alnum"]))
def test_unigram_total_is_characters_in_sentences(documents, chars):
    with build(documents, Settings(min_count=1, chars=chars)) as db:
        if db is None:
            return
        [(unigrams, characters)] = query(
            db, "SELECT (SELECT sum(count) FROM ngram_counts WHERE length = 1), (SELECT sum(length) FROM sentences)"
        )
    assert unigrams == characters == sum(len(s) for s in reference.sentences(reference.distinct(documents), chars))


@PROPERTY
@given(documents_strategy)
def test_longer_ngram_never_more_frequent_than_its_parts(documents):
    with build(documents, Settings(min_count=1, max_n=4)) as db:
        if db is None:
            return
        violations = query(
            db,
            """
            SELECT w.ngram FROM ngram_counts AS w
            JOIN ngram_counts AS a ON a.ngram = w.ngram[:-2]
            JOIN ngram_counts AS b ON b.ngram = w.ngram[2:]
            WHERE w.length >= 2 AND w.count > least(a.count, b.count)
            """,
        )
    assert violations == []


@PROPERTY
@given(documents_strategy, st.randoms(use_true_random=False))
def test_lexicon_independent_of_document_order(documents, random):
    shuffled = list(documents)
    random.shuffle(shuffled)
    setting = Settings(min_count=2)
    lexicon = "SELECT word, count, length, cohesion FROM lexicon ORDER BY word"
    with build(documents, setting) as first, build(shuffled, setting) as second:
        if first is None:
            return
        assert query(first, lexicon) == query(second, lexicon)


@PROPERTY
@given(documents_strategy, st.integers(1, 4), st.integers(2, 6), st.sampled_from([0.0, 2.0, 8.0]))
def test_topwords_mode_equals_its_reference_on_random_text(documents, min_count, max_word_length, min_significance):
    """The default mode's lexicon: the reference's significant words (psi above the threshold, theta
    above 0, used >= min_count times by the Viterbi cut, not always next to the same character), words
    and uses; a word within 1e-6 of the threshold may go either way."""
    setting = Settings(min_count=min_count, max_word_length=max_word_length, min_significance=min_significance)
    with build(documents, setting) as db:
        if db is None:
            return
        got = dict(query(db, "SELECT word, count FROM lexicon"))
    sents = reference_topwords.sentences(reference.distinct(documents))
    counts = reference_topwords.candidates(sents, min_count, max_word_length)
    theta, _, psi, _, _, penalty = reference_topwords.fit(sents, counts)
    logw = {w: reference_topwords._log(t) + penalty[w] for w, t in theta.items()}
    used, fixed = reference_topwords.uses(sents, logw), reference_topwords.fixed_neighbour(sents, logw)
    kept = {w for w in theta if len(w) > 1 and theta[w] > 0 and used[w] >= min_count and w not in fixed}
    expected = {w: used[w] for w in kept if psi[w] > min_significance}
    borderline = {w for w in kept if abs(psi[w] - min_significance) <= 1e-6 * max(1.0, min_significance)}
    assert {w: c for w, c in got.items() if w not in borderline} == {w: c for w, c in expected.items() if w not in borderline}


CUT_ALPHABET = "中华人民共和"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=CUT_ALPHABET, min_size=1, max_size=60), min_size=1, max_size=6), st.integers(2, 6), st.data())
def test_cut_statement_equals_the_reference_cut(sentences, max_n, data):
    """cut.sql's list formulation (bounded look-back, pieces split out of each sentence) against the
    reference's boundary marking. The cohesive n-grams are drawn from the sentences themselves, so
    long chains, overlaps of one character and occurrences of every length up to max_n are common."""
    occurring = sorted({s[i : i + n] for s in sentences for n in range(2, 7) for i in range(len(s) - n + 1)})
    cohesive_set = set(data.draw(st.lists(st.sampled_from(occurring), max_size=30))) if occurring else set()
    from newword import sqlfiles

    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE sentences AS SELECT unnest($s) AS sentence", {"s": sentences})
        con.execute(
            "CREATE TABLE cohesion AS SELECT unnest($n) AS ngram, true AS is_cohesive", {"n": sorted(cohesive_set) or [""]}
        )
        sqlfiles.materialise(con, "sentence_types", {})
        sqlfiles.materialise(con, "cut", {"max_n": max_n})
        got = con.execute(
            "SELECT sentence, piece_start, piece, cut.length, sentence_occurrences FROM cut JOIN sentence_types USING (sentence_id)"
        ).fetchall()
    finally:
        con.close()
    expected = []
    for sentence in set(sentences):
        start = 1
        for piece in reference.cut(sentence, cohesive_set, max_n):
            if len(piece) >= 2:
                expected.append((sentence, start, piece, len(piece), sentences.count(sentence)))
            start += len(piece)
    assert sorted(got) == sorted(expected)
