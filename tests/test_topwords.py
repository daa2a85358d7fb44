"""The topwords mode: the numpy model equals its plain-Python reference (tests/reference_topwords.py),
and `newword discover --mode topwords` publishes exactly the reference's significant words."""

from __future__ import annotations

import duckdb
import pytest

from tests import reference_topwords as reference
from tests.conftest import run_newword, write_lines
from tests.reference import distinct

KNOWN = ["中国", "经济", "发展", "人民", "北京", "国家", "世界", "中华人民共和国", "我们", "工作"]


@pytest.mark.slow
def test_numpy_model_equals_the_reference_on_toy_corpora():
    reference.test_parity_with_numpy()


@pytest.mark.slow
def test_numpy_model_equals_the_reference_on_real_text():
    reference.test_parity_on_real_text()


@pytest.fixture(scope="module")
def discovered(tmp_path_factory, peoples_daily):
    folder = tmp_path_factory.mktemp("topwords")
    lines = peoples_daily[:600]
    corpus = write_lines(folder / "corpus.txt", lines)
    known = write_lines(folder / "known.txt", KNOWN)
    done = run_newword(
        "discover", str(corpus), "--mode", "topwords", "--min-count", "4", "--max-word-length", "8",
        "--known-words", str(known), "--db", "w.duckdb", "--output", "lexicon.tsv", "--quiet", cwd=folder,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return folder, lines


@pytest.mark.slow
def test_discover_publishes_the_references_significant_words(discovered):
    folder, lines = discovered
    sents = reference.sentences(distinct(lines))
    counts = reference.candidates(sents, 4, 8, frozenset(KNOWN))
    theta, expected, psi, _, _, penalty = reference.fit(sents, counts, frozenset(KNOWN))
    logw = {w: reference._log(t) + penalty[w] for w, t in theta.items()}
    used, fixed = reference.uses(sents, logw), reference.fixed_neighbour(sents, logw)
    sides = reference.neighbour_sides(sents, logw)
    wanted = {
        w: used[w]
        for w in theta
        if len(w) > 1 and theta[w] > 0 and psi[w] > 8.0 and used[w] >= 4 and (w in KNOWN or w not in fixed)
    }
    con = duckdb.connect(str(folder / "w.duckdb"), read_only=True)
    try:
        got = dict(con.execute("SELECT word, count FROM lexicon").fetchall())
        varieties = {w: (a, b) for w, a, b in con.execute("SELECT word, left_variety, right_variety FROM lexicon").fetchall()}
        scores = {w: (t, e) for w, t, e in con.execute("SELECT word, theta, expected_count FROM word_scores").fetchall()}
        known = dict(con.execute("SELECT word, is_known FROM lexicon").fetchall())
    finally:
        con.close()
    assert got == wanted
    assert len(got) > 50
    assert varieties == {w: (len(sides[w][0]), len(sides[w][1])) for w in wanted}
    for word, t in theta.items():
        assert reference._close(scores[word][0], t), word
        if t > 0:
            assert reference._close(scores[word][1], expected[word]), word
    assert known["中国"] is True and not any(known[w] for w in got if w not in KNOWN)


@pytest.mark.slow
def test_cut_is_the_references_viterbi_segmentation(discovered):
    folder, lines = discovered
    sents = reference.sentences(distinct(lines))
    counts = reference.candidates(sents, 4, 8, frozenset(KNOWN))
    theta, _, _, _, _, penalty = reference.fit(sents, counts, frozenset(KNOWN))
    logw = {w: reference._log(t) + penalty[w] for w, t in theta.items()}
    con = duckdb.connect(str(folder / "w.duckdb"), read_only=True)
    try:
        cut = con.execute(
            "SELECT s.sentence, list(c.piece ORDER BY c.piece_start) FROM cut AS c "
            "JOIN word_sentences AS s USING (sentence_id) GROUP BY s.sentence"
        ).fetchall()
    finally:
        con.close()
    assert len(cut) == len(sents)
    differ = 0
    for sentence, pieces in cut:
        best = reference.viterbi(sentence, logw)
        assert "".join(pieces) == sentence
        if pieces != best:  # only a tie in floating point: the same score, summed in another order
            differ += 1
            assert reference._close(sum(logw[p] for p in pieces), sum(logw[p] for p in best), 1e-12), (sentence, pieces, best)
    assert differ <= len(cut) // 1000


def test_chunk_file_reads_back_the_same_lattice(tmp_path):
    """A chunk's file keeps only some of its lattice's arrays (topwords._STORED); what is recomputed on
    reading (the multi edges' start nodes and ranks, the last nodes) equals what build_lattice made,
    and the chunks come back in order when read ahead."""
    import dataclasses

    import numpy as np

    from newword import topwords

    lengths = np.array([4, 2, 7, 3])
    sentence, start, word = [], [], []
    for s, n in enumerate(lengths):
        for i in range(n):  # every character (word 0..6 by position), then the words of 2 and 3
            sentence.append(s), start.append(i), word.append(i)
            if i + 2 <= n:
                sentence.append(s), start.append(i), word.append(7 + (i % 2))
            if i + 3 <= n and s != 1:
                sentence.append(s), start.append(i), word.append(9)
    word_lengths = np.array([1] * 7 + [2, 2, 3])
    lattice = topwords.build_lattice(
        lengths, np.array([3, 1, 2, 5]), np.array(sentence), np.array(start), np.array(word), word_lengths
    )
    chunks = topwords.Chunks(word_lengths, tmp_path)
    for i in range(3):
        chunks.add(lattice, np.arange(4) + 10 * i)
    assert len(list(tmp_path.glob("chunk-*.pickle"))) == 3
    for read in list(chunks) + [chunks[1], topwords.load_chunk(chunks.path(2))]:
        for field in dataclasses.fields(lattice):
            a, b = getattr(lattice, field.name), getattr(read, field.name)
            if isinstance(a, np.ndarray):
                assert a.dtype == b.dtype and np.array_equal(a, b), field.name
            else:
                assert a == b, field.name
    assert [ids.tolist() for ids in chunks.ids] == [[0, 1, 2, 3], [10, 11, 12, 13], [20, 21, 22, 23]]


@pytest.mark.slow
def test_lattice_in_chunks_on_disk_equals_one_lattice(tmp_path, peoples_daily, monkeypatch):
    """A corpus of more than topwords.CHUNK_CHARACTERS is fitted and cut chunk by chunk, each chunk's
    lattice in a file, and on a cluster each chunk's E-step is a task: on real text (here in chunks of
    10,000 characters) the scores are the one lattice's within floating point, and the cut and the
    lexicon are the same."""
    from newword import distributed, pipeline, settings, topwords

    corpus = write_lines(tmp_path / "c.txt", peoples_daily[:1500])
    known = write_lines(tmp_path / "known.txt", KNOWN)

    def discover(name: str) -> tuple[dict, dict, str]:
        pipeline.discover(
            [str(corpus)],
            tmp_path / f"{name}.duckdb",
            tmp_path / f"{name}.tsv",
            settings.Settings(min_count=4),
            known_words=str(known),
        )
        return read(tmp_path / name)

    def read(stem) -> tuple[dict, dict, str]:
        db, tsv = stem.with_suffix(".duckdb"), stem.with_suffix(".tsv")
        con = duckdb.connect(str(db), read_only=True)
        try:
            characters = con.execute("SELECT sum(length) FROM word_sentences").fetchall()[0][0]
            scores = {
                r[0]: r[1:] for r in con.execute("SELECT word, theta, expected_count, significance FROM word_scores").fetchall()
            }
            cut = dict(
                con.execute(
                    "SELECT s.sentence, list(c.piece ORDER BY c.piece_start) FROM cut AS c "
                    "JOIN word_sentences AS s USING (sentence_id) GROUP BY s.sentence"
                ).fetchall()
            )
        finally:
            con.close()
        assert characters > 10 * 10_000  # the chunked run has more than ten chunks
        return scores, cut, tsv.read_text(encoding="utf-8")

    whole = discover("whole")
    monkeypatch.setattr(topwords, "CHUNK_CHARACTERS", 10_000)
    chunked = discover("chunked")
    # on a cluster: chunks of a shard's characters, each E-step a task of the mapper (here run in turn)
    monkeypatch.setenv("NEWWORD_SHARD_CHARACTERS", "10000")
    tasks = []

    def mapper(function, arguments):
        tasks.append((function.__name__, len(arguments)))
        return distributed.local_map(function, arguments)

    build = pipeline.start([str(corpus)], tmp_path / "mapped.duckdb", tmp_path / "mapped.tsv", settings.Settings(min_count=4),
                           known_words=str(known))  # fmt: skip
    pipeline.run_documents(build)
    pipeline.run_steps(build, lambda name, function, *args: function(*args), mapper)
    pipeline.finish(build)
    assert tasks and {name for name, _ in tasks} == {"chunk_e_step_file"} and min(n for _, n in tasks) > 10
    mapped = read(tmp_path / "mapped")
    for got in (chunked, mapped):
        assert got[0].keys() == whole[0].keys()
        for word, (theta, expected, psi) in whole[0].items():
            assert reference._close(got[0][word][0], theta) and reference._close(got[0][word][1], expected), (word, got[0][word])
            assert reference._close(got[0][word][2], psi, 1e-6), (word, got[0][word][2], psi)
        assert got[1] == whole[1]
        assert got[2] == whole[2]
    assert len(whole[2].splitlines()) > 100
    assert not list(tmp_path.glob(".mapped.duckdb.build-*")), "the chunk files and e-step results are removed"


@pytest.mark.slow
def test_words_longer_than_the_ngram_keys_are_found(tmp_path, peoples_daily):
    """A 10-character name, in 40 documents of real text, is one word (the n-gram keys stop at 6)."""
    term = "阿卜杜勒阿齐兹贝卢夫"
    lines = list(peoples_daily[:1000])
    for k in range(40):
        lines[k * 20] += f"，{term}{'说表示认为指出'[k % 7]}"
    corpus = write_lines(tmp_path / "c.txt", lines)
    done = run_newword(
        "discover", str(corpus), "--mode", "topwords", "--db", "w.duckdb", "--output", "l.tsv", "--quiet", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    words = [line.split("\t")[0] for line in (tmp_path / "l.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    assert term in words


@pytest.mark.slow
def test_known_words_are_known_in_both_scripts(tmp_path):
    """服務 is 服务 in traditional script: a known word's other spelling is never new for that alone."""
    lines = [f"{a}的服務{b}，服務很好" for a in ("酒店", "商場", "銀行", "餐廳") for b in ("周到", "一般", "熱情")] * 3
    corpus = write_lines(tmp_path / "c.txt", lines)
    known = write_lines(tmp_path / "known.txt", ["服务", "酒店"])
    done = run_newword(
        "discover", str(corpus), "--mode", "topwords", "--min-count", "3", "--known-words", str(known), "--db", "w.duckdb", "--output", "l.tsv",
        "--quiet", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        known_words = {w for (w,) in con.execute("SELECT word FROM known_words").fetchall()}
        lexicon = dict(con.execute("SELECT word, is_known FROM lexicon").fetchall())
    finally:
        con.close()
    assert {"服务", "服務", "酒店"} <= known_words
    assert lexicon.get("服務") is True
