"""Golden rows for every SQL file in sql/: tiny hand-made inputs, exact expected rows.

Each test builds only the tables the statement reads, in an in-memory DuckDB, runs the statement
through the same loader the pipeline uses, and compares rows.
"""

from __future__ import annotations

import hashlib
import json
import math

import duckdb
import numpy as np
import pytest

from newword import distributed, pipeline, sqlfiles
from newword.errors import NewwordError
from newword.settings import CHAR_CLASSES

GOLDEN: set[str] = set()  # statement names covered here; a convention test checks it is all of sql/


def covers(name: str):
    GOLDEN.add(name)
    return lambda fn: fn


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def table(con, name: str, columns: str, rows: list[tuple]) -> None:
    con.execute(f"CREATE OR REPLACE TABLE {name} ({columns})")
    if rows:
        con.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' for _ in rows[0])})", rows)


def rows(con, sql: str, values: dict | None = None) -> list[tuple]:
    return con.execute(sql, values or {}).fetchall()


@covers("documents")
def test_documents_hashes_and_dedupes(con, tmp_path):
    staging = tmp_path / "documents.jsonl"
    records = [
        (1, "a.txt", "line 1", "中华人民", "2026-11-01T00:00:00+00:00"),
        (2, "a.txt", "line 2", "共和国", None),
        (3, "b.txt", "line 1", "中华人民", None),
    ]
    staging.write_text(
        "".join(
            json.dumps(dict(zip(("doc_id", "source", "locator", "text", "date"), r)), ensure_ascii=False) + "\n" for r in records
        ),
        encoding="utf-8",
    )
    for dedupe, expected_ids in ((False, [1, 2, 3]), (True, [1, 2])):
        sqlfiles.materialise(
            con, "documents", {"staging_path": str(staging), "dedupe": dedupe, "started_at": "2026-11-24T08:00:00+00:00"}
        )
        got = rows(con, "SELECT doc_id, source, locator, text, character_count, content_hash FROM documents")
        assert [r[0] for r in got] == expected_ids
        assert got[0][1:5] == ("a.txt", "line 1", "中华人民", 4)
    assert got[0][5] == hashlib.sha256("中华人民".encode()).hexdigest()
    assert rows(con, "SELECT strftime(document_date AT TIME ZONE 'UTC', '%m-%d') FROM documents ORDER BY doc_id") == [
        ("11-01",),
        (None,),
    ]


@covers("cohesion_thresholds")
def test_cohesion_thresholds_explicit_and_power_rule(con):
    sqlfiles.materialise(con, "cohesion_thresholds", {"max_n": 6, "threshold_lengths": [2, 3], "threshold_values": [8.0, 40.0]})
    assert rows(con, "SELECT length, min_cohesion FROM cohesion_thresholds") == [
        (2, 8.0), (3, 40.0), (4, 125.0), (5, 625.0), (6, 3125.0),
    ]  # fmt: skip


@covers("sentences")
@pytest.mark.parametrize(
    ("chars", "expected"),
    [
        ("cjk", ["中华人民", "共和国", "K线图", "A股", "打印"]),
        ("cjk+alnum", ["中华人民", "共和国", "K线图", "A股", "3D打印"]),
    ],
)
def test_sentences_are_runs_and_punctuation_breaks(con, chars, expected):
    # after NFKC (done at ingest) full-width letters are ASCII; punctuation breaks runs, never glued
    table(con, "documents", DOCUMENTS, [(1, "中华人民，共和国！K线图", None, NOW), (2, "A股。3D打印", None, NOW)])
    sqlfiles.materialise(con, "sentences", {"pattern": CHAR_CLASSES[chars], "after_doc_id": 0, "window_start": None})
    got = rows(con, "SELECT doc_id, sentence_no, sentence, length FROM sentences")
    if chars == "cjk":
        assert got == [(1, 1, "中华人民", 4), (1, 2, "共和国", 3), (1, 3, "线图", 2), (2, 1, "股", 1), (2, 2, "打印", 2)]
    else:
        assert [r[2] for r in got] == expected
        assert got[2] == (1, 3, "K线图", 3)


@covers("ngram_counts")
@covers("sentence_codes")
@covers("ngram_levels__characters")
@covers("ngram_level")
def test_ngram_counts_never_cross_sentences(con):
    table(con, "sentences", "sentence VARCHAR", [("中华人民",), ("人民",), ("华人",)])
    sqlfiles.materialise(con, "sentence_types", {})
    pipeline.count_ngrams(con, {"max_n": 3, "min_count": 1})
    got = {(w, n): c for w, n, c in rows(con, "SELECT ngram, length, count FROM ngram_counts")}
    assert got == {
        ("中", 1): 1, ("华", 1): 2, ("人", 1): 3, ("民", 1): 2,
        ("中华", 2): 1, ("华人", 2): 2, ("人民", 2): 2,
        ("中华人", 3): 1, ("华人民", 3): 1,
    }  # fmt: skip
    pipeline.count_ngrams(con, {"max_n": 3, "min_count": 2})
    assert rows(con, "SELECT ngram, count FROM ngram_counts") == [("人", 3), ("人民", 2), ("华", 2), ("华人", 2), ("民", 2)]
    assert not sqlfiles.exists(con, "ngram_levels") and not sqlfiles.exists(con, "sentence_codes")


@covers("sentence_codes")
def test_distinct_sentences_are_code_points(con):
    table(con, "sentences", "sentence VARCHAR", [("中华",), ("中华",), ("𠀀a",)])
    sqlfiles.materialise(con, "sentence_types", {})
    got = rows(con, "SELECT occurrences, codes FROM (" + sqlfiles.text("sentence_codes") + ") ORDER BY codes")
    assert got == [(2, [0x4E2D, 0x534E]), (1, [0x20000, ord("a")])]  # 中华, 𠀀a


@covers("ngram_level")
def test_ngram_level_keeps_only_ngrams_whose_parts_are_kept(con):
    """Apriori: 甲乙丙 (count 2) is not even grouped when its prefix 甲乙 was not kept (the filter
    changes no result on real levels, where the prefix of a kept n-gram is always kept); the key
    round-trips six code points, the largest included."""
    table(con, "ngram_levels", "ngram VARCHAR, length INTEGER, count BIGINT", [("乙丙", 2, 2), ("\U0010ffff𠀀", 2, 2)])
    table(con, "sentence_codes", "sentence VARCHAR, occurrences BIGINT, codes UINTEGER[]", [
        ("甲乙丙", 2, [ord(c) for c in "甲乙丙"]),
        ("甲乙甲乙", 1, [ord(c) for c in "甲乙甲乙"]),
    ])  # fmt: skip
    values = {"n": 3, "min_count": 1}
    assert sqlfiles.query(con, "ngram_level", values) == []
    table(con, "ngram_levels", "ngram VARCHAR, length INTEGER, count BIGINT", [("甲乙", 2, 3), ("乙丙", 2, 2), ("乙甲", 2, 1)])
    got = sorted(sqlfiles.query(con, "ngram_level", values))
    assert got == [("乙甲乙", 3, 1), ("甲乙丙", 3, 2), ("甲乙甲", 3, 1)]
    wide = "\U0010ffff𠀀甲\U0010ffff乙𠀀"
    table(con, "ngram_levels", "ngram VARCHAR, length INTEGER, count BIGINT", [(wide[:5], 5, 1), (wide[1:], 5, 1)])
    table(con, "sentence_codes", "sentence VARCHAR, occurrences BIGINT, codes UINTEGER[]", [(wide, 1, [ord(c) for c in wide])])
    assert sqlfiles.query(con, "ngram_level", {"n": 6, "min_count": 1}) == [(wide, 6, 1)]


@covers("cohesion")
def test_cohesion_is_min_over_splits(con):
    table(con, "ngram_counts", "ngram VARCHAR, length INTEGER, count BIGINT", [
        ("中", 1, 10), ("华", 1, 10), ("人", 1, 20), ("的", 1, 60), ("中华", 2, 8), ("华人", 2, 2), ("中华人", 3, 2),
    ])  # fmt: skip
    table(con, "cohesion_thresholds", "length INTEGER, min_cohesion DOUBLE", [(2, 5.0), (3, 25.0)])
    sqlfiles.materialise(con, "cohesion", {})
    got = {w: (c, s, t, k) for w, n, c, s, t, k in rows(con, "SELECT * FROM cohesion")}
    # total = 10 + 10 + 20 + 60 = 100 (the kept 1-gram counts)
    assert got["中华"] == (8, 8.0, 5.0, True)  # 100 * 8 / (10 * 10)
    assert got["华人"] == (2, 1.0, 5.0, False)  # 100 * 2 / (10 * 20)
    # 中华人: min(100*2/(10*2) = 10 [中|华人], 100*2/(8*20) = 1.25 [中华|人]) = 1.25
    assert got["中华人"] == (2, 1.25, 25.0, False)


def test_cohesion_threshold_is_strict(con):
    table(con, "ngram_counts", "ngram VARCHAR, length INTEGER, count BIGINT", [("中", 1, 2), ("华", 1, 2), ("中华", 2, 1)])
    table(con, "cohesion_thresholds", "length INTEGER, min_cohesion DOUBLE", [(2, 1.0)])
    sqlfiles.materialise(con, "cohesion", {})
    assert rows(con, "SELECT cohesion, is_cohesive FROM cohesion") == [(1.0, False)]  # 4*1/(2*2) = 1, not > 1


def _cut(con, sentences: list[str], cohesive: list[str], max_n: int = 4) -> list[tuple]:
    table(con, "sentences", "sentence VARCHAR", [(s,) for s in sentences])
    table(con, "cohesion", "ngram VARCHAR, is_cohesive BOOLEAN", [(w, True) for w in cohesive] + [("民共", False)])
    sqlfiles.materialise(con, "sentence_types", {})
    sqlfiles.materialise(con, "cut", {"max_n": max_n})
    return rows(
        con,
        "SELECT sentence, sentence_occurrences, piece_start, piece, cut.length FROM cut"
        " JOIN sentence_types USING (sentence_id) ORDER BY sentence, piece_start",
    )


@covers("cut")
def test_cut_article_example_joined(con):
    # 中华人民 with cohesive {中华, 人民, 中华人民}: every boundary covered, one piece
    assert _cut(con, ["中华人民"], ["中华", "人民", "中华人民"]) == [("中华人民", 1, 1, "中华人民", 4)]


def test_cut_article_example_split(con):
    # only 中华 and 人民 cohesive: 华|人 is cut
    assert _cut(con, ["中华人民", "中华人民"], ["中华", "人民"]) == [("中华人民", 2, 1, "中华", 2), ("中华人民", 2, 3, "人民", 2)]


def test_cut_overlap_by_one_character_chains(con):
    # 各项 and 项目 share 项: both boundaries joined, the cut glues 各项目 (the article's case)
    assert _cut(con, ["各项目进展"], ["各项", "项目", "进展"]) == [
        ("各项目进展", 1, 1, "各项目", 3),
        ("各项目进展", 1, 4, "进展", 2),
    ]


def test_cut_adjacent_occurrences_stay_apart_and_max_n_limits(con):
    assert _cut(con, ["中华人民"], ["中华人民"], max_n=3) == []  # a 4-gram is never an occurrence when max_n is 3
    assert _cut(con, ["中华人民共和国"], ["中华", "人民", "和国"]) == [
        ("中华人民共和国", 1, 1, "中华", 2), ("中华人民共和国", 1, 3, "人民", 2), ("中华人民共和国", 1, 6, "和国", 2),
    ]  # fmt: skip


def test_cut_chain_reached_from_four_occurrences_back(con):
    # 新词发现算法 (6) ends on 法, where 法好 starts; the three occurrences between (词发, 发现, 现算)
    # end before 法, and nothing starts at 算: the chain still joins 法|好, one piece
    assert _cut(con, ["新词发现算法好"], ["新词发现算法", "词发", "发现", "现算", "法好"], max_n=6) == [
        ("新词发现算法好", 1, 1, "新词发现算法好", 7),
    ]


@covers("new_characters")
@covers("shard_sentences")
@covers("sentences__shard")
@covers("shard_ngram_parts")
@covers("partition_totals")
@covers("new_ngram_counts__cluster")
@covers("counted_characters")
def test_sharded_counting_equals_the_local_count(con, tmp_path, monkeypatch):
    """Counting on a cluster, with the tasks run here: the new sentences (documents after 1) sharded
    four ways, counted per shard, partitioned by n-gram and summed: the local new_ngram_counts."""
    monkeypatch.setenv("NEWWORD_SHARD_CHARACTERS", "1")  # a shard per character: 4 shards, 4 partitions
    sentences = [(1, "中华人民"), (2, "人民"), (2, "华人"), (3, "人民"), (3, "中")]
    table(con, "sentences", "doc_id BIGINT, sentence VARCHAR, length BIGINT", [(d, s, len(s)) for d, s in sentences])
    values = {"max_n": 3, "after_doc_id": 1}
    assert sqlfiles.query(con, "new_characters", values) == [(7,)]
    sqlfiles.materialise(con, "new_ngram_counts", values)
    local = rows(con, "SELECT ngram, length, count FROM new_ngram_counts ORDER BY ngram")
    assert local == [("中", 1, 1), ("人", 1, 3), ("人民", 2, 2), ("华", 1, 1), ("华人", 2, 1), ("民", 1, 2)]
    sqlfiles.drop(con, "new_ngram_counts")
    distributed.count_new_ngrams(con, values, tmp_path / "exchange", distributed.local_map)
    assert rows(con, "SELECT ngram, length, count FROM new_ngram_counts ORDER BY ngram") == local
    assert sqlfiles.query(con, "counted_characters") == [(7,)]  # every character came back
    assert not (tmp_path / "exchange").exists()


def test_sharded_counting_fails_when_a_partition_is_lost(con, tmp_path, monkeypatch):
    """Files the reduce never sees (a shared file system hiding them) are an error, not a smaller count."""
    table(con, "sentences", "doc_id BIGINT, sentence VARCHAR, length BIGINT", [(1, "中华人民", 4), (2, "华人", 2)])

    def losing_map(function, arguments):
        results = distributed.local_map(function, arguments)
        return [written[1:] for written in results] if function is distributed.count_shard else results

    with pytest.raises(NewwordError, match=r"cluster counting is incomplete: \d+ of 6 characters came back"):
        distributed.count_new_ngrams(con, {"max_n": 2, "after_doc_id": 0}, tmp_path / "exchange", losing_map)


def test_shard_size_comes_from_the_environment(monkeypatch):
    assert distributed.shard_count(5_000_000) == 3  # 2 million characters a shard by default
    assert distributed.shard_count(10) == 2  # never fewer than two
    monkeypatch.setenv("NEWWORD_SHARD_CHARACTERS", "1000")
    assert distributed.shard_count(5_000) == 5
    for bad in ("abc", "0", "-5", "1.5"):
        monkeypatch.setenv("NEWWORD_SHARD_CHARACTERS", bad)
        with pytest.raises(NewwordError, match=r"NEWWORD_SHARD_CHARACTERS must be a whole number of characters > 0"):
            distributed.shard_count(10)


@covers("cohesive_broadcast")
@covers("cohesion__shard")
@covers("shard_piece_parts")
@covers("cut__cluster")
@covers("empty_totals")
def test_sharded_cut_keeps_the_local_cut_per_piece(con, tmp_path, monkeypatch):
    """The cut on a cluster: the same pieces with the same total occurrences, one row per piece."""
    monkeypatch.setenv("NEWWORD_SHARD_CHARACTERS", "3")
    local = _cut(con, ["中华人民", "中华人民", "人民", "各项目进展", "人民"], ["中华", "人民", "各项", "项目"])
    per_piece: dict[tuple, int] = {}
    for _, occurrences, _, piece, length in local:
        per_piece[(piece, length)] = per_piece.get((piece, length), 0) + occurrences
    table(con, "sentences", "doc_id BIGINT, sentence VARCHAR, length BIGINT", [
        (1, "中华人民", 4), (2, "中华人民", 4), (2, "人民", 2), (3, "各项目进展", 5), (3, "人民", 2),
    ])  # fmt: skip
    distributed.cut_pieces(con, {"max_n": 4}, tmp_path / "exchange", distributed.local_map)
    got = rows(con, "SELECT sentence_id, sentence_occurrences, piece_start, piece, length FROM cut")
    assert got == [(None, c, None, piece, n) for (piece, n), c in sorted(per_piece.items())]
    assert got == [(None, 2, None, "中华", 2), (None, 4, None, "人民", 2), (None, 1, None, "各项目", 3)]
    assert not (tmp_path / "exchange").exists()
    con.execute("UPDATE cohesion SET is_cohesive = false")  # nothing cohesive: no piece anywhere, an empty cut
    distributed.cut_pieces(con, {"max_n": 4}, tmp_path / "exchange", distributed.local_map)
    assert rows(con, "SELECT count(*) FROM cut") == [(0,)]


@covers("candidates")
def test_candidates_sum_pieces_over_sentences(con):
    table(con, "cut", "sentence VARCHAR, sentence_occurrences BIGINT, piece_start BIGINT, piece VARCHAR, length BIGINT", [
        ("中华人民", 3, 1, "中华人民", 4), ("中华", 2, 1, "中华", 2), ("中华人民共和国", 1, 1, "中华人民", 4), ("共和", 1, 1, "共和", 2),
    ])  # fmt: skip
    sqlfiles.materialise(con, "candidates", {"min_count": 2})
    assert rows(con, "SELECT word, length, count FROM candidates") == [("中华人民", 4, 4), ("中华", 2, 2)]


@covers("lexicon")
def test_lexicon_drops_glued_non_cohesive_words(con):
    table(con, "candidates", "word VARCHAR, length BIGINT, count BIGINT", [
        ("各项目", 3, 30), ("项目", 2, 90), ("中华人民", 4, 50), ("中华人民共和国", 7, 26),
    ])  # fmt: skip
    table(con, "cohesion", "ngram VARCHAR, length INTEGER, cohesion DOUBLE, is_cohesive BOOLEAN", [
        ("各项", 2, 9.0, True), ("项目", 2, 80.0, True), ("各项目", 3, 3.0, False), ("中华人民", 4, 900.0, True),
        ("中华人", 3, 300.0, True), ("华人民", 3, 300.0, True), ("人民共", 3, 30.0, True), ("民共和", 3, 30.0, True),
        ("共和国", 3, 500.0, True), ("华人民共", 4, 200.0, True), ("人民共和", 4, 200.0, True), ("民共和国", 4, 100.0, False),
    ])  # fmt: skip
    table(con, "known_words", "word VARCHAR", [("项目",)])
    sqlfiles.materialise(con, "lexicon", {"max_n": 4})
    # 各项目 is not cohesive itself; 中华人民共和国 has 民共和国 (length 4) not cohesive
    assert rows(con, "SELECT word, count, length, cohesion, is_known FROM lexicon") == [
        ("项目", 90, 2, 80.0, True), ("中华人民", 50, 4, 900.0, False),
    ]  # fmt: skip
    con.execute("UPDATE cohesion SET is_cohesive = TRUE WHERE ngram = '民共和国'")
    sqlfiles.materialise(con, "lexicon", {"max_n": 4})
    assert ("中华人民共和国", 26, 7, None) in rows(con, "SELECT word, count, length, cohesion FROM lexicon")


@covers("run")
def test_run_records_parameters_and_totals(con):
    table(con, "documents", "doc_id BIGINT", [(1,), (2,)])
    table(con, "sentences", "sentence VARCHAR, length BIGINT", [("中华", 2), ("人民", 2), ("国", 1)])
    table(con, "ngram_counts", "ngram VARCHAR, length INTEGER, count BIGINT", [("中", 1, 1), ("人", 1, 1)])
    table(con, "lexicon", "word VARCHAR", [("中华",)])
    params = {"version": "9.9", "parameters": '{"max_n": 4}', "started_at": "2026-01-01T00:00:00+00:00"}
    sqlfiles.materialise(con, "run", params)
    got = rows(
        con,
        "SELECT newword_version, parameters->>'max_n', document_count, sentence_count, character_count, kept_unigram_total, word_count FROM run",
    )
    assert got == [("9.9", "4", 2, 3, 5, 2, 1)]


@covers("parquet_texts")
def test_parquet_texts_picks_the_named_column(con, tmp_path):
    path = tmp_path / "t.parquet"
    con.execute(f"COPY (SELECT * FROM (VALUES (1, '中华'), (2, NULL)) AS t(id, body)) TO '{path}' (FORMAT parquet)")
    assert sqlfiles.query(con, "parquet_texts", {"path": str(path), "text_field": "body"}) == [("中华",), (None,)]


@covers("lexicon_funnel")
def test_stage_counts(con):
    table(con, "ngram_counts", "ngram VARCHAR, length INTEGER", [("中", 1), ("中华", 2), ("华人", 2)])
    table(con, "cohesion", "ngram VARCHAR, is_cohesive BOOLEAN", [("中华", True), ("华人", False)])
    table(con, "candidates", "word VARCHAR", [("中华",)])
    table(con, "lexicon", "word VARCHAR", [])
    assert sqlfiles.query(con, "lexicon_funnel") == [(2, 1, 1, 0)]


@covers("lexicon_funnel__topwords")
def test_word_stage_counts(con):
    table(con, "word_scores", "word VARCHAR, length INTEGER, count BIGINT, is_significant BOOLEAN",
          [("中", 1, 9, False), ("中华", 2, 5, True), ("华人", 2, 4, False), ("人民", 2, 6, False)])  # fmt: skip
    table(con, "lexicon", "word VARCHAR", [("中华",)])
    assert sqlfiles.query(con, "lexicon_funnel__topwords", {"min_count": 5}) == [(2, 1)]  # 中华 and 人民 are frequent


@covers("warehouse_tables")
def test_warehouse_tables_by_name(con):
    for name in ("documents", "cut", "lexicon"):
        table(con, name, "x INTEGER", [])
    assert sqlfiles.query(con, "warehouse_tables") == [("cut",), ("documents",), ("lexicon",)]


@covers("run_totals")
def test_run_totals(con):
    con.execute(
        "CREATE TABLE run AS SELECT 3 AS document_count, 4 AS sentence_count, 9 AS character_count, 1 AS word_count, 'x' AS other"
    )
    assert sqlfiles.query(con, "run_totals") == [(3, 4, 9, 1)]


@covers("lexicon_export")
def test_lexicon_export_order_and_limit(con):
    table(con, "lexicon", "word VARCHAR, count BIGINT, length BIGINT, cohesion DOUBLE, is_known BOOLEAN", [
        ("人民", 5, 2, 9.0, True), ("中华", 5, 2, 8.0, True), ("中华人民共和国", 7, 7, None, False), ("国家", 1, 2, 6.0, True),
    ])  # fmt: skip
    assert [r[0] for r in sqlfiles.query(con, "lexicon_export", {"limit": None, "min_length": 1, "new_only": False})] == [
        "中华人民共和国",
        "中华",
        "人民",
        "国家",
    ]
    assert len(sqlfiles.query(con, "lexicon_export", {"limit": 2, "min_length": 1, "new_only": False})) == 2
    assert sqlfiles.query(con, "lexicon_export", {"limit": None, "min_length": 3, "new_only": False}) == [
        ("中华人民共和国", 7, 7, None, False)
    ]
    assert sqlfiles.query(con, "lexicon_export", {"limit": None, "min_length": 1, "new_only": True}) == [
        ("中华人民共和国", 7, 7, None, False)
    ]


def _staging(tmp_path, texts: list[str]):
    staging = tmp_path / "documents.jsonl"
    staging.write_text(
        "".join(
            json.dumps({"doc_id": i, "source": "s.txt", "locator": f"line {i}", "text": t}, ensure_ascii=False) + "\n"
            for i, t in enumerate(texts, 1)
        ),
        encoding="utf-8",
    )
    return str(staging)


@covers("new_documents")
def test_new_documents_skips_known_content_and_numbers_after_the_corpus(con, tmp_path):
    started = "2026-11-24T08:00:00+00:00"
    sqlfiles.materialise(
        con, "documents", {"staging_path": _staging(tmp_path, ["中华", "人民"]), "dedupe": True, "started_at": started}
    )
    staged = _staging(tmp_path, ["人民", "共和国", "共和国", "中华人民"])
    added = sqlfiles.append(
        con, "documents", "new_documents", {"staging_path": staged, "started_at": "2026-11-25T08:00:00+00:00"}
    )
    assert added == 2
    assert rows(con, "SELECT doc_id, text, locator, strftime(ingested_at AT TIME ZONE 'UTC', '%d') FROM documents ORDER BY doc_id") == [
        (1, "中华", "line 1", "24"), (2, "人民", "line 2", "24"), (3, "共和国", "line 2", "25"), (4, "中华人民", "line 4", "25"),
    ]  # fmt: skip


@covers("corpus_fingerprint")
def test_corpus_fingerprint_ignores_order(con):
    table(con, "sentences", "length BIGINT", [(2,), (3,)])
    fingerprints = []
    for order in (["a", "b"], ["b", "a"]):
        table(
            con,
            "documents",
            "doc_id BIGINT, character_count BIGINT, content_hash VARCHAR",
            [(i, 4, h) for i, h in enumerate(order)],
        )
        fingerprints.append(sqlfiles.query(con, "corpus_fingerprint")[0])
    assert fingerprints[0] == fingerprints[1]
    assert fingerprints[0][:3] == (2, 8, 5)
    assert fingerprints[0][3] == hashlib.sha256(b"a,b").hexdigest()


@covers("lexicon_checked")
def test_lexicon_checked_columns(con):
    table(con, "lexicon", "word VARCHAR, count BIGINT, length BIGINT, cohesion DOUBLE, is_known BOOLEAN", [
        ("各项目", 30, 3, 3.0, False), ("中华", 40, 2, 9.0, True), ("人民", 40, 2, 9.0, False), ("中华人民共和国", 26, 7, None, False),
    ])  # fmt: skip
    table(con, "ngram_counts", "ngram VARCHAR, length INTEGER, count BIGINT", [("各项目", 3, 31), ("中华", 2, 39)])
    table(con, "cohesion", "ngram VARCHAR, is_cohesive BOOLEAN", [("各项目", False), ("中华人", True), ("华人民", True)])
    got = {
        r[0]: r[4:]
        for r in sqlfiles.query(con, "lexicon_checked", {"max_n": 3, "mode": "reference", "pattern": CHAR_CLASSES["cjk"]})
    }
    topwords = {
        r[0]: r[8]
        for r in sqlfiles.query(con, "lexicon_checked", {"max_n": 3, "mode": "topwords", "pattern": CHAR_CLASSES["cjk"]})
    }
    assert topwords["中华人民共和国"] == 0  # kept by significance, not by cohesive parts
    # (has_only_class_characters, cohesion, is_known, ngram_count, non_cohesive_part_count, missing_own_ngram)
    assert got["各项目"] == (True, 3.0, False, 31, 1, False)
    assert got["中华"] == (True, 9.0, True, 39, 0, False)
    assert got["人民"] == (True, 9.0, False, None, 0, True)
    assert got["中华人民共和国"] == (True, None, False, None, 3, False)  # 人民共, 民共和, 共和国 are not cohesive


@covers("ngram_counts_checked")
def test_ngram_counts_checked(con):
    table(con, "ngram_counts", "ngram VARCHAR, length INTEGER, count BIGINT", [("中华", 3, 5), ("A股", 2, 5)])
    assert sqlfiles.query(con, "ngram_counts_checked", {"pattern": CHAR_CLASSES["cjk"]}) == [
        ("中华", 3, 2, True, 5),
        ("A股", 2, 2, False, 5),
    ]


@covers("run_checked")
def test_run_checked_recounts_from_the_documents(con):
    table(con, "documents", DOCUMENTS, [(1, "中华,人民 ab", None, NOW), (2, "国", "2020-01-01T00:00:00+00:00", NOW)])
    table(con, "sentences", "length BIGINT", [(2,), (2,)])
    table(con, "lexicon", "word VARCHAR", [("中华",)])
    con.execute("CREATE TABLE run AS SELECT 4::BIGINT AS character_count, 2::BIGINT AS document_count, 1::BIGINT AS word_count")
    values = {"non_class_pattern": "[^\u4e00-\u9fff]", "window_start": None}
    assert sqlfiles.query(con, "run_checked", values) == [(4, 4, 5, 2, 2, 1, 1)]
    values["window_start"] = "2026-01-01T00:00:00+00:00"  # the second document is older than the window
    assert sqlfiles.query(con, "run_checked", values)[0][2] == 4


@covers("run_parameters")
def test_run_parameters(con):
    con.execute("""CREATE TABLE run AS SELECT '{"max_n": 4}'::JSON AS parameters""")
    assert json.loads(sqlfiles.query(con, "run_parameters")[0][0]) == {"max_n": 4}


@covers("ngram_counts_export")
def test_ngram_counts_export_order(con):
    table(con, "ngram_counts", "ngram VARCHAR, length INTEGER, count BIGINT", [("人", 1, 5), ("中华", 2, 9), ("中", 1, 5)])
    assert sqlfiles.query(con, "ngram_counts_export") == [("中华", 2, 9), ("中", 1, 5), ("人", 1, 5)]


def _parquet(con, path, rows):
    table(
        con,
        "t",
        "word VARCHAR, count BIGINT, length BIGINT, cohesion DOUBLE, is_known BOOLEAN",
        [(*r, r[0] == "中华") for r in rows],
    )
    con.execute(f"COPY t TO '{path}' (FORMAT parquet)")
    return str(path)


@covers("version_lexicon")
def test_version_lexicon_reads_a_version(con, tmp_path):
    path = _parquet(con, tmp_path / "l.parquet", [("人民", 3, 2, 8.0), ("中华", 9, 2, 7.0)])
    assert sqlfiles.query(con, "version_lexicon", {"path": path, "limit": None, "new_only": False}) == [
        ("中华", 9, 2, 7.0, True), ("人民", 3, 2, 8.0, False),
    ]  # fmt: skip
    assert sqlfiles.query(con, "version_lexicon", {"path": path, "limit": 1, "new_only": False}) == [("中华", 9, 2, 7.0, True)]
    assert sqlfiles.query(con, "version_lexicon", {"path": path, "limit": None, "new_only": True}) == [("人民", 3, 2, 8.0, False)]


@covers("known_words")
def test_known_words_distinct_non_empty(con, tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("中华\n人民\n\n中华\nA股\n", encoding="utf-8")
    assert sorted(sqlfiles.query(con, "known_words", {"known_words_path": str(path)})) == [("A股",), ("中华",), ("人民",)]


@covers("version_diff")
def test_version_diff(con, tmp_path):
    old = _parquet(con, tmp_path / "old.parquet", [("中华", 9, 2, 7.0), ("人民", 3, 2, 8.0), ("国家", 5, 2, 6.0)])
    new = _parquet(
        con, tmp_path / "new.parquet", [("中华", 9, 2, 7.0), ("人民", 4, 2, 8.0), ("微信", 30, 2, 60.0), ("点赞", 30, 2, 50.0)]
    )
    values = {"old_path": old, "new_path": new, "include_changed": False}
    assert sqlfiles.query(con, "version_diff", values) == [
        ("+", "微信", None, 30),
        ("+", "点赞", None, 30),
        ("-", "国家", 5, None),
    ]
    values["include_changed"] = True
    assert sqlfiles.query(con, "version_diff", values)[-1] == ("~", "人民", 3, 4)


def test_sentences_after_a_document(con):
    table(con, "documents", DOCUMENTS, [(1, "中华", None, NOW), (2, "人民，共和", None, NOW)])
    sqlfiles.materialise(con, "sentences", {"pattern": CHAR_CLASSES["cjk"], "after_doc_id": 1, "window_start": None})
    assert rows(con, "SELECT doc_id, sentence_no, sentence FROM sentences") == [(2, 1, "人民"), (2, 2, "共和")]


def test_sentences_in_a_window_by_own_date_else_ingestion(con):
    old, recent = "2026-01-01T00:00:00+00:00", "2026-11-20T00:00:00+00:00"
    table(
        con,
        "documents",
        DOCUMENTS,
        [(1, "中华", old, NOW), (2, "人民", recent, NOW), (3, "共和", None, old), (4, "国家", None, NOW)],
    )
    sqlfiles.materialise(
        con, "sentences", {"pattern": CHAR_CLASSES["cjk"], "after_doc_id": 0, "window_start": "2026-11-01T00:00:00+00:00"}
    )
    assert rows(con, "SELECT sentence FROM sentences") == [("人民",), ("国家",)]


DOCUMENTS = "doc_id BIGINT, text VARCHAR, document_date TIMESTAMPTZ, ingested_at TIMESTAMPTZ"
NOW = "2026-11-24T08:00:00+00:00"


@covers("new_ngram_counts")
def test_new_ngram_counts_keeps_every_count_of_new_sentences(con):
    table(con, "sentences", "doc_id BIGINT, sentence VARCHAR", [(1, "中华"), (2, "中华人"), (2, "人")])
    assert sorted(sqlfiles.query(con, "new_ngram_counts", {"max_n": 2, "after_doc_id": 1})) == [
        ("中", 1, 1), ("中华", 2, 1), ("人", 1, 2), ("华", 1, 1), ("华人", 2, 1),
    ]  # fmt: skip


@covers("merge_ngram_totals")
@covers("unseen_ngrams")
def test_merging_new_counts_into_totals(con):
    table(con, "ngram_totals", "ngram VARCHAR, length BIGINT, count BIGINT", [("中", 1, 3), ("华", 1, 1)])
    table(con, "new_ngram_counts", "ngram VARCHAR, length BIGINT, count BIGINT", [("中", 1, 2), ("人", 1, 5)])
    assert sqlfiles.query(con, "unseen_ngrams") == [("人", 1, 5)]
    sqlfiles.execute(con, "merge_ngram_totals")
    sqlfiles.append(con, "ngram_totals", "unseen_ngrams")
    assert sorted(rows(con, "SELECT * FROM ngram_totals")) == [("中", 1, 5), ("人", 1, 5), ("华", 1, 1)]


@covers("ngram_counts__incremental")
def test_kept_ngram_counts(con):
    table(con, "ngram_totals", "ngram VARCHAR, length BIGINT, count BIGINT", [("中", 1, 5), ("人", 1, 4), ("华", 1, 9)])
    assert sqlfiles.query(con, "ngram_counts__incremental", {"min_count": 5}) == [("华", 1, 9), ("中", 1, 5)]


@covers("counting_state")
@covers("counted_through")
def test_counting_state_and_counted_through(con):
    table(con, "documents", "doc_id BIGINT", [(1,), (7,)])
    sqlfiles.materialise(con, "counting_state", {"max_n": 4, "pattern": "[a]+", "window_start": None})
    assert rows(con, "SELECT * FROM counting_state") == [(4, "[a]+", 7, False)]
    assert sqlfiles.query(con, "counted_through", {"max_n": 4, "pattern": "[a]+"}) == [(7,)]
    assert sqlfiles.query(con, "counted_through", {"max_n": 5, "pattern": "[a]+"}) == []  # other settings: recount
    sqlfiles.materialise(con, "counting_state", {"max_n": 4, "pattern": "[a]+", "window_start": NOW})
    assert sqlfiles.query(con, "counted_through", {"max_n": 4, "pattern": "[a]+"}) == []  # a windowed count: recount


@covers("lexicon_distribution")
def test_lexicon_distribution_buckets(con, tmp_path):
    path = _parquet(con, tmp_path / "l.parquet", [("中华", 9, 2, 7.0), ("人民", 3, 2, 8.0), ("中华人民", 40, 4, None)])
    got = sqlfiles.query(con, "lexicon_distribution", {"path": path})
    assert got == [
        ("cohesion", 2, 1),
        ("cohesion", 3, 1),
        ("count", 1, 1),
        ("count", 3, 1),
        ("count", 5, 1),
        ("length", 2, 2),
        ("length", 4, 1),
    ]


def _words(con, path, rows):
    table(con, "l", "word VARCHAR, count BIGINT, length INTEGER, is_known BOOLEAN", rows)
    con.execute(f"COPY l TO '{path}' (FORMAT parquet)")
    return str(path)


@covers("version_new_words")
def test_version_new_words_are_first_published_and_not_known(con, tmp_path):
    first = _words(con, tmp_path / "1.parquet", [("中华", 10, 2, False), ("微信", 3, 2, False)])
    second = _words(con, tmp_path / "2.parquet", [("中华", 10, 2, False), ("人民", 9, 2, True)])
    new = _words(
        con,
        tmp_path / "3.parquet",
        [("中华", 12, 2, False), ("微信", 5, 2, False), ("朋友圈", 7, 3, False), ("支付", 20, 2, True)],
    )
    values = {"earlier_paths": [first, second], "new_path": new, "limit": None}
    # 微信 is back after missing from the second version: not first published here
    assert sqlfiles.query(con, "version_new_words", values) == [("朋友圈", 7, 3)]
    assert sqlfiles.query(con, "version_new_words", {**values, "earlier_paths": [second]}) == [("朋友圈", 7, 3), ("微信", 5, 2)]
    assert sqlfiles.query(con, "version_new_words", {**values, "earlier_paths": [second], "limit": 1}) == [("朋友圈", 7, 3)]


@covers("version_changes")
def test_version_changes_are_significant_share_changes(con, tmp_path):
    old = _words(con, tmp_path / "old.parquet", [("中华", 100, 2, False), ("人民", 100, 2, False), ("国家", 50, 2, False),
                                                  ("北京", 300, 2, False), ("上海", 450, 2, False), ("稀有", 3, 2, False)])  # fmt: skip
    new = _words(con, tmp_path / "new.parquet", [("中华", 400, 2, False), ("人民", 100, 2, False), ("微信", 10, 2, False),
                                                  ("北京", 600, 2, False), ("上海", 880, 2, False), ("稀有", 9, 2, False)])  # fmt: skip
    values = {"old_path": old, "new_path": new, "min_count": 10, "min_log_likelihood": 10.83}
    got = {w: (c, o, n) for c, w, o, n, *_ in sqlfiles.query(con, "version_changes", values)}
    # totals 1,003 -> 1,999: 中华 quadruples (rising); 北京 and 上海 about double (not significant);
    # 人民 stays at 100 (its share halves, but an unchanged count is not listed); 稀有 3 -> 9 is under min_count
    assert got == {"中华": ("rising", 100, 400), "国家": ("gone", 50, None)}
    falling = _words(con, tmp_path / "falling.parquet", [("中华", 100, 2, False), ("人民", 60, 2, False), ("北京", 900, 2, False),
                                                          ("上海", 940, 2, False)])  # fmt: skip
    rows_ = sqlfiles.query(con, "version_changes", {**values, "new_path": falling})
    row = next(r for r in rows_ if r[1] == "人民")
    old_share, new_share = 100 / 1003, 60 / 2000
    expected_old, expected_new = 1003 * 160 / 3003, 2000 * 160 / 3003
    g2 = 2 * (100 * math.log(100 / expected_old) + 60 * math.log(60 / expected_new))
    assert row[0] == "falling" and row[2:6] == (100, 60, old_share, new_share) and row[6] == pytest.approx(g2)
    stricter = sqlfiles.query(con, "version_changes", {**values, "new_path": falling, "min_log_likelihood": g2 + 1})
    assert "人民" not in {r[1] for r in stricter}
    # a count of 0 contributes 0 (x ln x -> 0), not NaN
    zero = _words(con, tmp_path / "zero.parquet", [("中华", 0, 2, False), ("人民", 1000, 2, False)])
    rows_ = sqlfiles.query(con, "version_changes", {**values, "old_path": zero, "new_path": falling})
    row = next(r for r in rows_ if r[1] == "中华")
    assert row[0] == "rising" and row[6] == pytest.approx(2 * 100 * math.log(100 / (2000 * 100 / 3000)))


@covers("version_trends")
def test_version_trends_count_words_first_published(con, tmp_path):
    first = _words(con, tmp_path / "1.parquet", [("中华", 10, 2, False), ("人民", 9, 2, True)])
    second = _words(con, tmp_path / "2.parquet", [("中华", 12, 2, False), ("微信", 5, 2, False), ("人民", 9, 2, True)])
    third = _words(con, tmp_path / "3.parquet", [("中华", 12, 2, False), ("朋友圈", 7, 3, False), ("支付", 2, 2, False)])
    got = sqlfiles.query(con, "version_trends", {"paths": [first, second, third], "versions": ["v000001", "v000002", "v000003"]})
    assert got == [("v000001", 2, 1, 1), ("v000002", 3, 2, 1), ("v000003", 3, 3, 2)]


@covers("word_history")
def test_word_history_follows_words_across_versions(con, tmp_path):
    first = _words(con, tmp_path / "1.parquet", [("中华", 10, 2, False), ("人民", 9, 2, True)])
    second = _words(con, tmp_path / "2.parquet", [("中华", 12, 2, False), ("微信", 5, 2, False)])
    values = {"paths": [first, second], "versions": ["v000001", "v000002"], "words": ["中华", "微信", "没有"]}
    assert sqlfiles.query(con, "word_history", values) == [
        ("中华", "v000001", 10),
        ("中华", "v000002", 12),
        ("微信", "v000002", 5),
    ]


@covers("lexicon_file")
def test_lexicon_file_keeps_every_column(con):
    table(con, "lexicon", "word VARCHAR, count BIGINT, length BIGINT, cohesion DOUBLE, is_known BOOLEAN, significance DOUBLE",
          [("人民", 3, 2, 8.0, False, 12.5), ("中华", 9, 2, 7.0, True, 30.0), ("华人", 3, 2, None, False, 9.0)])  # fmt: skip
    got = con.execute(sqlfiles.text("lexicon_file"))
    assert [d[0] for d in got.description] == ["word", "count", "length", "cohesion", "is_known", "significance"]
    assert got.fetchall() == [("中华", 9, 2, 7.0, True, 30.0), ("人民", 3, 2, 8.0, False, 12.5), ("华人", 3, 2, None, False, 9.0)]


@covers("word_examples_file")
def test_word_examples_file(con):
    table(con, "word_examples", "word VARCHAR, example INTEGER, sentence_occurrences BIGINT, doc_id BIGINT, source VARCHAR, "
          "locator VARCHAR, context VARCHAR, word_offset INTEGER",
          [("微信", 2, 1, 7, "b.txt", "line 3", "用微信", 2), ("微信", 1, 4, 2, "a.txt", "line 1", "微信支付", 1)])  # fmt: skip
    assert sqlfiles.query(con, "word_examples_file") == [
        ("微信", 1, "微信支付", 1, 4, "a.txt", "line 1"),
        ("微信", 2, "用微信", 2, 1, "b.txt", "line 3"),
    ]


@covers("sentence_types")
def test_sentence_types(con):
    table(con, "sentences", "doc_id BIGINT, sentence_no INTEGER, sentence VARCHAR, length BIGINT",
          [(1, 1, "中华", 2), (2, 1, "中华", 2), (3, 1, "华人", 2)])  # fmt: skip
    sqlfiles.materialise(con, "sentence_types", {})
    got = rows(con, "SELECT sentence, occurrences, length FROM sentence_types ORDER BY sentence")
    assert got == [("中华", 2, 2), ("华人", 1, 2)]
    assert rows(con, "SELECT list_sort(list(sentence_id)) FROM sentence_types") == [([1, 2],)]


@covers("vocabulary")
def test_vocabulary_per_mode(con):
    table(con, "cut", "sentence VARCHAR, sentence_occurrences BIGINT, piece_start BIGINT, piece VARCHAR, length BIGINT", [
        ("中华人", 3, 1, "中华", 2), ("中华人", 3, 3, "人", 1), ("华人", 1, 1, "华人", 2),
    ])  # fmt: skip
    table(
        con,
        "lexicon",
        "word VARCHAR, count BIGINT, length BIGINT, cohesion DOUBLE, is_known BOOLEAN",
        [("中华", 30, 2, 9.0, False)],
    )
    table(con, "ngram_counts", "ngram VARCHAR, length BIGINT, count BIGINT", [("中", 1, 40), ("中华", 2, 30)])
    assert sqlfiles.query(con, "vocabulary", {"mode": "topwords", "segment_min_count": 2}) == [("中华", 2, 3), ("人", 1, 3)]
    assert sqlfiles.query(con, "vocabulary", {"mode": "reference", "segment_min_count": 2}) == [("中", 1, 40), ("中华", 2, 30)]


@covers("version_vocabulary")
def test_version_vocabulary(con, tmp_path):
    path = tmp_path / "vocabulary.parquet"
    con.execute(
        f"COPY (SELECT * FROM (VALUES ('人', 1, 3), ('中华', 2, 5)) AS v(word, length, count)) TO '{path}' (FORMAT parquet)"
    )
    assert sqlfiles.query(con, "version_vocabulary", {"path": str(path)}) == [("中华", 5), ("人", 3)]


# --- topwords mode -------------------------------------------------------------------------------


@covers("word_sentences")
def test_word_sentences_cuts_long_runs(con):
    table(con, "sentence_types", "sentence_id BIGINT, sentence VARCHAR, occurrences BIGINT, length BIGINT",
          [(1, "中华人民", 2, 4), (2, "共和国", 1, 3), (3, "人民共和国中华", 1, 7)])  # fmt: skip
    sqlfiles.materialise(con, "word_sentences", {"max_sentence": 4})
    got = dict(rows(con, "SELECT sentence, occurrences FROM word_sentences"))
    assert got == {"中华人民": 2, "共和国": 1, "人民共和": 1, "国中华": 1}
    assert sorted(r[0] for r in rows(con, "SELECT sentence_id FROM word_sentences")) == [1, 2, 3, 4]


@covers("known_prefixes")
def test_known_prefixes(con):
    table(con, "known_words", "word VARCHAR", [("中华",), ("中华人民",), ("A股",)])
    sqlfiles.materialise(con, "known_prefixes", {"pattern": CHAR_CLASSES["cjk"]})
    assert rows(con, "SELECT word, known, proper FROM known_prefixes ORDER BY length(word)") == [
        ("中", False, True), ("中华", True, True), ("中华人", False, True), ("中华人民", True, False),
    ]  # fmt: skip


@covers("candidate_shards")
@covers("candidate_tallies")
@covers("candidate_ngrams")
@covers("word_candidates")
@covers("candidate_grams")
@pytest.mark.parametrize("shard_characters", [100, 4])  # one shard; two (sentences 1 | 2, 3: 4 | 2 + 4 characters)
def test_candidate_counting_levels(con, shard_characters):
    table(con, "word_sentences", "sentence_id BIGINT, sentence VARCHAR, occurrences BIGINT, length BIGINT",
          [(1, "中华中华", 2, 4), (2, "华人", 1, 2), (3, "中华人民", 1, 4)])  # fmt: skip
    table(con, "known_prefixes", "word VARCHAR, known BOOLEAN, proper BOOLEAN", [("华", False, True), ("华人", True, False)])
    from newword import topwords

    shards = sqlfiles.query(con, "candidate_shards", {"shard_characters": shard_characters})
    assert shards == ([(0, 1, 3)] if shard_characters == 100 else [(0, 1, 1), (1, 2, 3)])
    # level 3 (中华中, twice; 华中华, twice; 中华人, once) keeps nothing
    assert topwords.count_candidates(con, min_count=3, max_len=4, shard_characters=shard_characters) == 3
    got = rows(con, "SELECT ngram, count, known, candidate, extend, word_id FROM candidate_ngrams ORDER BY length, ngram")
    assert got == [
        ("中", 5, False, True, True, 0),
        ("人", 2, False, True, False, 1),  # every character is a candidate
        ("华", 6, False, True, True, 2),  # a prefix of a known word: extended
        ("民", 1, False, True, False, 3),
        ("中华", 5, False, True, True, 4),
        ("华人", 2, True, True, False, 5),  # known: a candidate however rare; 华中 (2), 人民 (1) are not kept
    ]  # fmt: skip
    places = rows(con, "SELECT length, word_id, flatten(list(positions)) FROM word_candidates GROUP BY ALL ORDER BY word_id")
    key = lambda sentence, position: (sentence << 24) + position
    assert [(n, w, sorted(p)) for n, w, p in places] == [
        (2, 4, [key(1, 1), key(1, 3), key(3, 1)]),
        (2, 5, [key(2, 1), key(3, 2)]),
    ]  # the characters' places are not stored (word_places reads the sentences)
    assert not sqlfiles.exists(con, "candidate_tallies")


@covers("candidate_words")
def test_candidate_words(con):
    table(con, "candidate_ngrams", "ngram VARCHAR, length INTEGER, count BIGINT, known BOOLEAN, candidate BOOLEAN, extend BOOLEAN, word_id BIGINT",
          [("中", 1, 4, False, True, True, 0), ("中华", 2, 2, False, False, True, None)])  # fmt: skip
    sqlfiles.materialise(con, "candidate_words")
    assert rows(con, "SELECT word_id, word, length, count, is_known FROM candidate_words") == [(0, "中", 1, 4, False)]


@covers("word_places")
def test_word_places_unpack_keys(con):
    table(con, "word_sentences", "sentence_id BIGINT, sentence VARCHAR, occurrences BIGINT, length BIGINT",
          [(1, "中华", 1, 2), (7, "华", 1, 1)])  # fmt: skip
    table(con, "candidate_ngrams", "ngram VARCHAR, length INTEGER, count BIGINT, known BOOLEAN, candidate BOOLEAN, extend BOOLEAN, word_id BIGINT",
          [("中", 1, 1, False, True, True, 0), ("华", 1, 2, False, True, True, 1), ("中华", 2, 1, True, True, False, 2),
           ("华中", 2, 5, False, False, True, None)])  # fmt: skip
    table(con, "word_candidates", "shard INTEGER, length INTEGER, word_id BIGINT, extend BOOLEAN, positions BIGINT[]",
          [(0, 2, 2, False, [(1 << 24) + 1]), (0, 2, None, True, [(7 << 24) + 3])])  # fmt: skip
    assert sorted(sqlfiles.query(con, "word_places")) == [(0, 1, 0), (1, 1, 1), (1, 7, 0), (2, 1, 0)]


@covers("word_scores")
def test_word_scores_significance(con):
    table(con, "candidate_words", "word_id BIGINT, word VARCHAR, length INTEGER, count BIGINT, is_known BOOLEAN",
          [(0, "中", 1, 9, False), (1, "中华", 2, 5, False), (2, "华人", 2, 5, True), (3, "人民", 2, 5, False)])  # fmt: skip
    con.register("word_fit", {"word_id": np.arange(4), "theta": np.array([0.5, 0.2, 0.3, 0.0]),
                              "expected_count": np.array([9.0, 5.0, 4.0, 0.0]), "significance": np.array([50.0, 9.0, 7.0, 0.0])})  # fmt: skip
    sqlfiles.materialise(con, "word_scores", {"min_significance": 8.0})
    assert rows(con, "SELECT word, is_significant FROM word_scores ORDER BY word") == [
        ("中", False), ("中华", True), ("人民", False), ("华人", False),  # 中: one character; 华人: 7 <= 8; 人民: pruned
    ]  # fmt: skip


@covers("cut__topwords")
def test_word_cut_gives_pieces_their_text(con):
    table(
        con, "word_sentences", "sentence_id BIGINT, sentence VARCHAR, occurrences BIGINT, length BIGINT", [(5, "中华人民", 3, 4)]
    )
    con.register(
        "word_pieces", {"sentence_id": np.array([5, 5, 5]), "piece_start": np.array([1, 3, 4]), "length": np.array([2, 1, 1])}
    )
    sqlfiles.materialise(con, "cut__topwords")
    assert rows(con, "SELECT * FROM cut ORDER BY piece_start") == [(5, 3, 1, "中华", 2), (5, 3, 3, "人", 1), (5, 3, 4, "民", 1)]


@covers("word_examples")
def test_word_examples_show_the_word_in_its_document(con):
    table(con, "lexicon", "word VARCHAR", [("微信",)])
    table(con, "word_sentences", "sentence_id BIGINT, sentence VARCHAR, occurrences BIGINT, length BIGINT",
          [(1, "我用微信付款", 2, 6), (2, "微信", 1, 2), (3, "他不用微信", 1, 5), (4, "微信好", 1, 3), (5, "长微信", 1, 3)])  # fmt: skip
    table(con, "cut", "sentence_id BIGINT, sentence_occurrences BIGINT, piece_start BIGINT, piece VARCHAR, length BIGINT",
          [(1, 2, 3, "微信", 2), (2, 1, 1, "微信", 2), (3, 1, 4, "微信", 2), (4, 1, 1, "微信", 2), (5, 1, 2, "微信", 2)])  # fmt: skip
    table(
        con,
        "sentences",
        "doc_id BIGINT, sentence VARCHAR",
        [(7, "我用微信付款"), (8, "我用微信付款"), (9, "微信"), (9, "他不用微信")],
    )
    table(con, "documents", "doc_id BIGINT, source VARCHAR, locator VARCHAR, text VARCHAR", [
        (7, "a.txt", "line 1", "今天，我用微信付款。"), (8, "a.txt", "line 2", "我用微信付款"), (9, "b.txt", "line 1", "微信！他不用微信"),
    ])  # fmt: skip
    sqlfiles.materialise(con, "word_examples")
    got = rows(con, "SELECT word, example, doc_id, locator, context, word_offset FROM word_examples ORDER BY example")
    # the most frequent sentence first, in its first document; then by sentence_id; three at most
    assert got == [
        ("微信", 1, 7, "line 1", "今天，我用微信付款。", 6),
        ("微信", 2, 9, "line 1", "微信！他不用微信", 1),
        ("微信", 3, 9, "line 1", "微信！他不用微信", 7),
    ]  # fmt: skip
    assert all(context[offset - 1 : offset + 1] == "微信" for *_, context, offset in got)


@covers("word_neighbours")
def test_word_neighbours_name_the_words_of_the_counts(con):
    table(con, "candidate_words", "word_id BIGINT, word VARCHAR", [(0, "中"), (1, "华"), (2, "中华"), (3, "华人")])
    table(con, "neighbour_counts", "word_id BIGINT, left_variety BIGINT, right_variety BIGINT, has_fixed_neighbour BOOLEAN",
          [(2, 3, 1, True), (3, 2, 5, False)])  # fmt: skip
    sqlfiles.materialise(con, "word_neighbours")
    got = rows(con, "SELECT word, left_variety, right_variety, has_fixed_neighbour FROM word_neighbours ORDER BY word")
    assert got == [("中华", 3, 1, True), ("华人", 2, 5, False)]


@covers("lexicon__topwords")
def test_word_lexicon_keeps_significant_words_the_cut_uses(con):
    table(con, "word_scores", "word VARCHAR, length INTEGER, count BIGINT, is_known BOOLEAN, theta DOUBLE, expected_count DOUBLE, significance DOUBLE, is_significant BOOLEAN",
          [("中华", 2, 30, False, 0.1, 20.0, 90.0, True), ("华人", 2, 30, False, 0.1, 3.0, 20.0, True),
           ("人民", 2, 40, False, 0.1, 30.0, 5.0, False), ("共和国", 3, 10, False, 0.1, 9.0, 12.0, True),
           ("副总", 2, 9, False, 0.1, 9.0, 30.0, True)])  # fmt: skip
    # candidates: the pieces of the cut used min_count times; 华人 occurs 30 times but is seldom used
    table(con, "candidates", "word VARCHAR, length INTEGER, count BIGINT",
          [("中华", 2, 21), ("人民", 2, 30), ("共和国", 3, 9), ("副总", 2, 9)])  # fmt: skip
    # 中华: before 共 and at the end; 共和国: always after 华, but known; 副总: always before 理, a fragment
    table(con, "word_neighbours", "word VARCHAR, left_variety BIGINT, right_variety BIGINT, has_fixed_neighbour BOOLEAN",
          [("中华", 2, 2, False), ("共和国", 1, 1, True), ("副总", 1, 1, True)])  # fmt: skip
    table(con, "cohesion", "ngram VARCHAR, cohesion DOUBLE", [("中华", 9.0)])
    table(con, "known_words", "word VARCHAR", [("共和国",)])
    sqlfiles.materialise(con, "lexicon__topwords", {})
    got = rows(
        con, "SELECT word, count, length, cohesion, is_known, significance, occurrences, left_variety, right_variety FROM lexicon"
    )
    assert got == [("中华", 21, 2, 9.0, False, 90.0, 30, 2, 2), ("共和国", 9, 3, None, True, 12.0, 10, 1, 1)]


@covers("ngram_key")
@covers("ngram_text")
@covers("next_key")
@covers("codes_key")
def test_ngram_key_macros_pack_21_bits_a_character(con):
    for macro in ("ngram_key", "ngram_text", "next_key", "codes_key"):
        con.execute(sqlfiles.text(macro))
    for ngram in ("中华", "中华人民", "𠀀中华人民共", "ab"):  # 𠀀 (U+20000) needs all 21 bits
        codes = [ord(c) for c in ngram]
        key = sum(code << (21 * (len(codes) - 1 - j)) for j, code in enumerate(codes))
        got = rows(con, "SELECT ngram_key($t), ngram_text(ngram_key($t), $n), ngram_key($t) >> 21", {"t": ngram, "n": len(ngram)})
        assert got == [(key, ngram, key >> 21)]
        padded = codes + [None] * (6 - len(codes))
        assert rows(con, "SELECT codes_key($a, $b, $c, $d, $e, $f, $n)", dict(zip("abcdef", padded), n=len(codes))) == [(key,)]
        if len(ngram) < 6:  # six characters fill the key
            extended = rows(con, "SELECT next_key(ngram_key($t)::HUGEINT, unicode('国'))", {"t": ngram})
            assert extended == [((key << 21) + ord("国"),)]
