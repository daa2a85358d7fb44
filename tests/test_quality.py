"""Segment and evaluate: the segmenter, the scorer, and the warehouse settings around them.

Quality itself (F1, top-100 new words) is measured by `newword evaluate` and benchmarks/generalisation.py,
and reported in the README, not asserted. The topwords mode's exactness is in test_topwords.py.
"""

from __future__ import annotations

import math
import os

import pytest

from newword import evaluate, pipeline, segment
from newword.settings import CHAR_CLASSES, Settings
from tests.conftest import read_tsv, run_newword, write_lines

CJK = CHAR_CLASSES["cjk"]


def test_most_probable_golden():
    logp = {"中华": math.log(0.1), "人民": math.log(0.1), "中华人民": math.log(0.001), "中": math.log(0.2)}
    assert segment.most_probable("中华人民", logp, math.log(0.01), 4) == ["中华", "人民"]  # 0.01 > 0.001
    logp["中华人民"] = math.log(0.05)
    assert segment.most_probable("中华人民", logp, math.log(0.01), 4) == ["中华人民"]
    assert segment.most_probable("我们", {}, math.log(0.01), 4) == ["我", "们"]


def test_segmenter_keeps_every_character():
    seg = segment.Segmenter([("中华", 10), ("人民", 10), ("中", 1), ("华", 1)], CJK)
    line = "1998年，中华人民 共和国ABC!"
    tokens = list(seg.tokens(line))
    assert "".join(tokens) == line.replace(" ", "")
    assert tokens[:3] == ["1998", "年", "，"]
    assert "中华" in tokens and "人民" in tokens and "ABC!" in tokens


def test_score_spans_counts_class_words_only():
    gold = [["１９９８年", "中华", "人民", "，", "好"]]
    out = [["１９９８", "年", "中华人民", "，", "好"]]
    score = evaluate.score_spans(gold, out, CJK)
    # gold class words: 中华 人民 好 (3); output: 年 中华人民 好 (3); matched: 好
    assert (score.gold, score.output, score.matched) == (3, 3, 1)
    assert score.f1 == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="line 1"):
        evaluate.score_spans(gold, [["中华"]], CJK)


def test_read_gold_strips_pku_tags(tmp_path):
    path = tmp_path / "gold.txt"
    path.write_text("19980101-01-001-001/m  迈向/v  [中国/ns  人民/n]nt  ！/w\n\n中华 人民\n", encoding="utf-8")
    assert evaluate.read_gold(path) == [["19980101-01-001-001", "迈向", "中国", "人民", "!"], [], ["中华", "人民"]]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\xff\xfe bad", "gold.txt:1: invalid UTF-8"), (b"\n\n", "no words"), (b"a\x00b", "binary file")],
)
@pytest.mark.slow
def test_evaluate_bad_gold_is_one_line(tmp_path, content, message):
    path = tmp_path / "gold.txt"
    path.write_bytes(content)
    done = run_newword("evaluate", "--gold", str(path))
    assert done.returncode == 1 and message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


@pytest.mark.slow
def test_evaluate_and_segment_on_real_gold(tmp_path):
    from newword import corpora

    gold = tmp_path / "gold.txt"
    lines = corpora.peoples_daily_gold()[:3000]
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    home = tmp_path / "home"
    done = run_newword("evaluate", "--gold", str(gold), "--home", str(home), "--min-count", "5", "--quiet")
    assert done.returncode == 0, done.stderr
    f1 = float(next(line for line in done.stdout.splitlines() if line.startswith("newword topwords")).split()[-1])
    assert 0.5 < f1 < 1  # a real score, not a placeholder (the full corpus's figures are in the README)
    raw = tmp_path / "raw.txt"
    raw.write_text("\n".join(line.replace(" ", "") for line in lines) + "\n", encoding="utf-8")
    out = tmp_path / "seg.txt"
    done = run_newword("segment", str(raw), "--home", str(home), "--output", str(out), "--quiet")
    assert done.returncode == 0, done.stderr
    segmented = out.read_text(encoding="utf-8").splitlines()
    assert len(segmented) == len(lines)
    assert all(s.replace(" ", "") == r.replace(" ", "") for s, r in zip(segmented, lines))
    score = evaluate.score_spans([line.split() for line in lines], [s.split(" ") for s in segmented], CJK)
    assert f"{score.f1:.4f}" == f"{f1:.4f}"  # segment and evaluate agree
    lexicon = read_tsv(home / "versions" / "version=v000001" / "lexicon.tsv")
    assert lexicon


def test_segment_errors(tmp_path):
    done = run_newword("segment", str(tmp_path / "missing.txt"), "--home", str(tmp_path / "nohome"))
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_read_gold_drops_whitespace_nfkc_creates(tmp_path):
    path = tmp_path / "gold.txt"
    path.write_text("中国 ¨ 人民\n", encoding="utf-8")  # NFKC(¨) is a space and a combining mark
    words = evaluate.read_gold(path)
    assert words == [["中国", "\u0308", "人民"]] and not any(w.isspace() for w in words[0])


@pytest.mark.slow
def test_segment_checks_every_input_before_writing(tmp_path):
    home = tmp_path / "home"
    corpus = write_lines(tmp_path / "c.txt", ["中华人民共和国中华人民共和国"] * 30 + ["人民共和国万岁"] * 30)
    assert run_newword("refresh", str(corpus), "--home", str(home), "--min-count", "5", "--quiet").returncode == 0
    bad = tmp_path / "bad.txt"
    bad.write_bytes("中华\n".encode() + b"\xff\n")
    for later in (str(tmp_path / "missing.txt"), str(bad)):
        done = run_newword("segment", str(corpus), later, "--home", str(home), "--quiet")
        assert done.returncode == 1 and done.stdout == "" and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "bad.txt:2: invalid UTF-8" in done.stderr
    done = run_newword("segment", str(corpus), "--home", str(home), "--output", str(tmp_path / "no" / "out.txt"))
    assert done.returncode == 1 and "out.txt: no such folder" in done.stderr


@pytest.mark.slow
def test_traditional_text_segments_like_simplified(tmp_path):
    """With --to-simplified, discovery sees simplified text; segment and evaluate must look words up the
    same way while keeping the input's own characters."""
    import opencc

    from newword import corpora

    lines = corpora.peoples_daily_gold()[:3000]
    s2t = opencc.OpenCC("s2t")
    gold = {"simplified": lines, "traditional": [" ".join(s2t.convert(w) for w in line.split()) for line in lines]}
    f1 = {}
    for name, text in gold.items():
        path = tmp_path / f"{name}.txt"
        path.write_text("\n".join(text) + "\n", encoding="utf-8")
        done = run_newword("evaluate", "--gold", str(path), "--min-count", "5", "--to-simplified", "--quiet")
        assert done.returncode == 0, done.stderr
        f1[name] = float(next(line for line in done.stdout.splitlines() if line.startswith("newword topwords")).split()[-1])
    assert abs(f1["traditional"] - f1["simplified"]) < 0.02, f1


@pytest.mark.slow
def test_evaluate_refuses_options_it_cannot_use(tmp_path):
    path = tmp_path / "gold.txt"
    path.write_text("中华 人民\n", encoding="utf-8")
    done = run_newword("evaluate", "--gold", str(path), "--format", "jsonl")
    assert done.returncode == 1 and "--format does not apply to evaluate" in done.stderr, done.stderr


@pytest.mark.slow
def test_switching_to_reference_mode_drops_topwords_tables(tmp_path, peoples_daily):
    import duckdb

    corpus = write_lines(tmp_path / "c.txt", peoples_daily[:1500])
    home = tmp_path / "home"
    tables = "SELECT table_name FROM duckdb_tables() WHERE table_name IN ('word_sentences', 'word_scores', 'word_neighbours') ORDER BY 1"
    for mode, expected in (("topwords", [("word_neighbours",), ("word_scores",), ("word_sentences",)]), ("reference", [])):
        done = run_newword("refresh", str(corpus), "--home", str(home), "--min-count", "5", "--mode", mode, "--quiet")
        assert done.returncode == 0, done.stderr
        con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
        assert con.execute(tables).fetchall() == expected
        con.close()
        corpus = write_lines(tmp_path / "c.txt", peoples_daily[1500:1600])  # new text, so that the next refresh builds


def test_duckdb_progress_bar_is_off_and_spilling_is_configurable(tmp_path, monkeypatch):
    from newword import warehouse

    monkeypatch.setenv("NEWWORD_TEMP_DIRECTORY", str(tmp_path / "spill"))
    monkeypatch.setenv("NEWWORD_MEMORY_LIMIT", "500MB")
    con = warehouse.connect(tmp_path / "w.duckdb", create=True)
    assert con.execute("SELECT current_setting('enable_progress_bar')").fetchone()[0] is False
    assert con.execute("SELECT current_setting('temp_directory')").fetchone()[0] == str(tmp_path / "spill")
    assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] in ("476.8 MiB", "500.0 MB")
    from newword.errors import NewwordError

    with pytest.raises(NewwordError, match="database is already open in this process"):
        warehouse.connect(tmp_path / "w.duckdb")  # a second read-write open, while this one is open
    con.close()
    monkeypatch.delenv("NEWWORD_MEMORY_LIMIT")
    monkeypatch.delenv("NEWWORD_TEMP_DIRECTORY")
    con = warehouse.connect(tmp_path / "w.duckdb")
    assert con.execute("SELECT current_setting('temp_directory')").fetchone()[0] == f"{tmp_path / 'w.duckdb'}.tmp"
    half = warehouse.available_memory() / 2
    assert 0 < half <= os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2
    expected = min(4 * 2**30, half)  # the default: half the memory (a container's limit counts), at most 4 GiB
    shown = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]  # e.g. "3.9 GiB"
    number, unit = shown.split()
    assert abs(float(number) * {"MiB": 2**20, "GiB": 2**30}[unit] - expected) < 0.06 * 2**30
    con.close()


@pytest.mark.slow
def test_text_columns_are_plain_and_row_groups_small(tmp_path, monkeypatch, peoples_daily):
    import duckdb

    from newword import warehouse

    corpus = write_lines(tmp_path / "c.txt", peoples_daily[:3000])
    storage = "SELECT DISTINCT compression FROM pragma_storage_info('sentences') WHERE column_name = 'sentence'"
    methods = {}
    for compact in ("0", "1"):
        monkeypatch.setenv("NEWWORD_COMPACT_TEXT", compact)
        db = tmp_path / f"w{compact}.duckdb"
        done = run_newword("discover", str(corpus), "--db", str(db), "--output", str(tmp_path / f"l{compact}.tsv"), "--quiet")
        assert done.returncode == 0, done.stderr
        con = duckdb.connect(str(db), read_only=True)
        methods[compact] = {row[0].upper() for row in con.execute(storage).fetchall()}
        con.close()
    assert "FSST" not in " ".join(methods["0"]) and "FSST" in " ".join(methods["1"]), methods
    con = duckdb.connect(str(tmp_path / "w0.duckdb"), read_only=True)
    groups = con.execute("SELECT count(DISTINCT row_group_id), max(count) FROM pragma_storage_info('sentences')").fetchone()
    con.close()
    assert groups[0] > 1 and groups[1] <= warehouse.ROW_GROUP_SIZE, groups  # small row groups: parallel scans
    assert (tmp_path / "l0.tsv").read_bytes() == (tmp_path / "l1.tsv").read_bytes()
    monkeypatch.setenv("NEWWORD_COMPACT_TEXT", "yes")
    done = run_newword("discover", str(corpus), "--db", str(tmp_path / "w2.duckdb"), "--quiet")
    assert done.returncode == 1 and done.stderr.strip().splitlines() == [
        "newword: error: NEWWORD_COMPACT_TEXT must be 0 or 1 (got 'yes')"
    ], done.stderr
    assert not (tmp_path / "w2.duckdb").exists()


def test_split_bonus_prefers_more_words():
    counts = [("中华人民", 5), ("中华", 10), ("人民", 10), ("中", 1), ("华", 1), ("人", 1), ("民", 1)]
    # total 29: P(中华人民) = 5/29 beats P(中华) P(人民) = (10/29)^2; with a bonus of 1 per word it does not
    assert list(segment.Segmenter(counts, CJK).tokens("中华人民")) == ["中华人民"]
    assert list(segment.Segmenter(counts, CJK, split_bonus=1.0).tokens("中华人民")) == ["中华", "人民"]
    assert math.log(5 / 29) > 2 * math.log(10 / 29)  # -1.76 > -2.13: whole without the bonus
    assert math.log(5 / 29) - 3 < 2 * (math.log(10 / 29) - 1)  # -4.76 < -4.13: split with it


@pytest.mark.slow
def test_a_huge_sentence_is_cut_into_pieces_that_make_it_up(peoples_daily, tmp_path):
    """A 150,000-character run: the model reads it in pieces of topwords.MAX_SENTENCE characters, and
    the cut's pieces of each, in order, put back together are that piece; the pieces make up the run."""
    import re

    import duckdb

    text = "".join(re.findall("[\u4e00-\u9fff]+", "".join(peoples_daily)))[:150_000]
    path = write_lines(tmp_path / "huge.txt", [text])
    pipeline.discover([str(path)], tmp_path / "w.duckdb", None, Settings())
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        joined = con.execute(
            "SELECT bool_and(pieces.text = word_sentences.sentence), sum(word_sentences.length * word_sentences.occurrences) "
            "FROM (SELECT sentence_id, string_agg(piece, '' ORDER BY piece_start) AS text FROM cut GROUP BY sentence_id) AS pieces "
            "JOIN word_sentences USING (sentence_id)"
        ).fetchall()
        sentences = con.execute("SELECT sentence FROM sentence_types").fetchall()
    finally:
        con.close()
    assert joined == [(True, len(text))] and sentences == [(text,)]
