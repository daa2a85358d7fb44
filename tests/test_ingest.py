"""Ingest: every input format, compression, folders, globs, URLs on a local server, normalisation."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import json
import threading
import unicodedata

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newword import ingest as ingest_module
from newword import pipeline
from newword.cli import main
from newword.ingest import IngestOptions, html_to_text
from newword.settings import Settings

TEXTS = ["中华人民共和国成立了。", "人民代表大会，中华人民。", "ｋ线图和Ａ股，３Ｄ打印"]


def documents(db) -> list[tuple[str, str, str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT source, locator, text FROM documents ORDER BY doc_id").fetchall()
    finally:
        con.close()


def ingest(tmp_path, sources, **options) -> list[tuple[str, str, str]]:
    settings = Settings(min_count=1)
    pipeline.discover([str(s) for s in sources], tmp_path / "w.duckdb", None, settings, IngestOptions(**options), dedupe=False)
    return documents(tmp_path / "w.duckdb")


NFKC = ["中华人民共和国成立了。", "人民代表大会,中华人民。", "k线图和A股,3D打印"]


def write_format(path, fmt: str, texts: list[str], field: str = "text") -> None:
    if fmt == "text":
        path.write_text("\n".join(texts) + "\n", encoding="utf-8")
    elif fmt == "jsonl":
        path.write_text(
            "".join(json.dumps({field: t, "id": i}, ensure_ascii=False) + "\n" for i, t in enumerate(texts)), encoding="utf-8"
        )
    elif fmt == "json":
        path.write_text(json.dumps([{field: t} for t in texts], ensure_ascii=False), encoding="utf-8")
    elif fmt in ("csv", "tsv"):
        sep = "," if fmt == "csv" else "\t"
        quote = '"'
        lines = [f"id{sep}{field}"] + [f"{i}{sep}{quote}{t}{quote}" for i, t in enumerate(texts)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif fmt == "parquet":
        con = duckdb.connect()
        con.execute("CREATE TABLE t (id INTEGER, body VARCHAR)")
        con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(texts)))
        con.execute(f"COPY (SELECT id, body AS \"{field}\" FROM t ORDER BY id) TO '{path}' (FORMAT parquet)")
        con.close()


@pytest.mark.parametrize("fmt", ["text", "jsonl", "json", "csv", "tsv", "parquet"])
@pytest.mark.parametrize("compressed", [False, True])
def test_every_format_plain_and_gzip(tmp_path, fmt, compressed):
    path = tmp_path / f"corpus.{fmt if fmt != 'text' else 'txt'}"
    write_format(path, fmt, TEXTS)
    if compressed:
        gz = path.with_name(path.name + ".gz")
        gz.write_bytes(gzip.compress(path.read_bytes()))
        path.unlink()
        path = gz
    got = ingest(tmp_path, [path])
    assert [text for _, _, text in got] == NFKC  # NFKC: full-width letters, digits and comma to half-width
    assert {source for source, _, _ in got} == {str(path)}


def test_text_field_option_and_missing_field(tmp_path):
    path = tmp_path / "c.jsonl"
    write_format(path, "jsonl", TEXTS, field="content")
    assert len(ingest(tmp_path, [path], text_field="content")) == 3
    with pytest.raises(Exception, match=r"c\.jsonl:1: no field 'text'"):
        ingest(tmp_path, [path])


def test_locators_and_blank_lines(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("中华人民\n\n   \n共和国\n", encoding="utf-8")
    assert [loc for _, loc, _ in ingest(tmp_path, [path])] == ["line 1", "line 4"]


@pytest.mark.slow
def test_document_per_file_folders_and_globs(tmp_path):
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("中华人民\n共和国\n", encoding="utf-8")
    (folder / "sub" / "b.txt").write_text("人民代表\n", encoding="utf-8")
    (folder / ".hidden.txt").write_text("不读\n", encoding="utf-8")
    assert [t for _, _, t in ingest(tmp_path, [folder])] == ["中华人民", "共和国", "人民代表"]
    assert [t for _, _, t in ingest(tmp_path, [folder], doc_per_file=True)] == ["中华人民\n共和国", "人民代表"]
    assert [t for _, _, t in ingest(tmp_path, [f"{folder}/**/*.txt"])] == ["中华人民", "共和国", "人民代表"]


def test_zhihu_column_export(tmp_path):
    from tests.conftest import ROOT

    got = ingest(tmp_path, [ROOT / "tests" / "data" / "zhihu_column.json"])
    assert len(got) == 1
    _source, locator, text = got[0]
    assert locator == "article 1"
    assert text.startswith("一种无监督的新词发现算法\n监督学习的方法需要大量的标注数据")
    assert "<p>" not in text and "&#34;" not in text and "zhimg" not in text
    assert '"分红派息"' in text  # entities decoded (&#34; is a quote), tags gone


def test_html_to_text_blocks_are_boundaries():
    assert html_to_text("<p>中华<b>人民</b></p><p>共和国</p><script>x()</script>a&amp;b") == "中华人民\n共和国\na&b"


def test_traditional_to_simplified(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("漢字簡體轉換\n", encoding="utf-8")
    assert ingest(tmp_path, [path])[0][2] == "漢字簡體轉換"
    assert ingest(tmp_path, [path], to_simplified=True)[0][2] == "汉字简体转换"


@contextlib.contextmanager
def serve(folder):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[assignment]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("name", ["corpus.txt", "corpus.jsonl.gz", "corpus.parquet"])
def test_http_urls_on_a_local_server(tmp_path, name):
    served = tmp_path / "served"
    served.mkdir()
    fmt = {"corpus.txt": "text", "corpus.jsonl.gz": "jsonl", "corpus.parquet": "parquet"}[name]
    plain = served / name.removesuffix(".gz")
    write_format(plain, fmt, TEXTS)
    if name.endswith(".gz"):
        (served / name).write_bytes(gzip.compress(plain.read_bytes()))
    with serve(served) as base:
        got = ingest(tmp_path, [f"{base}/{name}"])
    assert [t for _, _, t in got] == NFKC
    assert got[0][0] == f"{base}/{name}"
    assert not list(tmp_path.glob(".w.duckdb.build-*")), "downloads are cleaned up"


@pytest.mark.slow
def test_repeated_documents_count_once_unless_kept(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("中华人民\n共和国\n中华人民\n中华人民\n", encoding="utf-8")
    assert len(ingest(tmp_path, [path])) == 4  # ingestion keeps every document
    assert main(["discover", str(path), "--db", str(tmp_path / "d.duckdb"), "--output", "", "--min-count", "1", "--quiet"]) == 0
    assert [t for _, _, t in documents(tmp_path / "d.duckdb")] == ["中华人民", "共和国"]
    kept = ["--db", str(tmp_path / "k.duckdb"), "--output", "", "--min-count", "1", "--quiet", "--keep-duplicates"]
    assert main(["discover", str(path), *kept]) == 0
    assert [t for _, _, t in documents(tmp_path / "k.duckdb")] == ["中华人民", "共和国", "中华人民", "中华人民"]


# the characters the NFKC fast path treats specially, and some that interact with them
_NFKC_ALPHABET = '中华ＡＺａｚ０９，。！　\u0301\u0308\u3099ｶﾞ①ﬁ㍿\uf900a"\\\t'


@given(st.text(alphabet=_NFKC_ALPHABET, max_size=40) | st.text(max_size=40))
@settings(max_examples=400, deadline=None)
def test_the_nfkc_fast_path_equals_unicodedata(text):
    assert ingest_module.nfkc(text) == unicodedata.normalize("NFKC", text)


@pytest.mark.slow
@given(st.lists(st.text(alphabet=_NFKC_ALPHABET + "\n", max_size=12) | st.text(max_size=12), max_size=8))
@settings(max_examples=300, deadline=None)
def test_batch_nfkc_equals_unicodedata_text_by_text(texts):
    """A batch is narrowed as one string (split at newlines when no text has one), then checked per text."""
    assert ingest_module.nfkc_all(texts) == [unicodedata.normalize("NFKC", text) for text in texts]


def _lines_one_at_a_time(data: bytes) -> list[tuple[int, str]]:
    """What the block reader must equal: the file line by line (a BOM dropped, CR LF and LF ends)."""
    raws = data.removeprefix(b"\xef\xbb\xbf").split(b"\n")
    if raws[-1] == b"":  # the file ends with a newline (or is empty)
        raws.pop()
    return [(number, raw.decode("utf-8").rstrip("\r")) for number, raw in enumerate(raws, 1)]


@pytest.mark.parametrize("block", [1, 2, 5, 64, 1 << 22])
def test_block_reading_equals_reading_line_by_line(tmp_path, monkeypatch, block):
    """Blocks end anywhere: inside a character, a CR LF, a long line; errors name the same line and byte."""
    monkeypatch.setattr(ingest_module, "_BLOCK", block)
    lines = ["中华人民共和国", "", "ＡＢ，ｃ\r", "一" * 50, "\u2028分隔\x1c符", "末行"]
    cases = {
        "plain": ("\n".join(lines) + "\n").encode(),
        "bom, no final newline": b"\xef\xbb\xbf" + "\n".join(lines).encode(),
        "crlf": "\r\n".join(lines).encode(),
        "empty": b"",
    }
    for name, data in cases.items():
        path = tmp_path / "c.txt"
        path.write_bytes(data)
        source = ingest_module.Source("c.txt", path, "text")
        got = list(ingest_module._lines(source))
        assert got == _lines_one_at_a_time(data), name
        assert [t for _, t in got] == [line.rstrip("\r") for line in lines] * bool(data), name
    for data, message in (
        ("中华\n人民\n".encode() + b"ab\xe4\xb8\n", "c.txt:3: invalid UTF-8 (byte 0xe4 at byte 3 of the line)"),
        (("中" * 3000 + "\n").encode() * 3 + b"\xff", "c.txt:4: invalid UTF-8 (byte 0xff at byte 1 of the line)"),
        (b"\xef\xbb\xbfab\xc3(\n", "c.txt:1: invalid UTF-8 (byte 0xc3 at byte 3 of the line)"),
        (b"x" * 9000 + b"\n" + b"y\0", "c.txt:2: binary file (NUL byte), not text"),
        (b"x" * 9000 + b"\n\xff\nok\na\0b\n", "c.txt:2: invalid UTF-8 (byte 0xff at byte 1 of the line)"),
        (b"x" * 9000 + b"\n\xffa\0b\n", "c.txt:2: binary file (NUL byte), not text"),  # NUL first in its line
    ):
        path.write_bytes(data)
        with pytest.raises(ingest_module.NewwordError) as error:
            list(ingest_module._lines(ingest_module.Source("c.txt", path, "text")))
        assert str(error.value) == message


def test_staging_is_valid_json_whatever_the_text(tmp_path):
    """The staging file is written field by field: quotes, backslashes, control characters and
    non-BMP text in texts and source names must survive as json.dumps would write them."""
    source = tmp_path / 'we"ird\\name.txt'
    lines = ['他说："好\\的"', "制表\t符", "𠀀中华", "\u2028分隔"]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    staging = tmp_path / "staging.jsonl"
    options = IngestOptions()
    ingest_module.write_staging(ingest_module.expand([str(source)], options, tmp_path), options, staging)
    records = [json.loads(line) for line in staging.read_text(encoding="utf-8").split("\n") if line]
    assert [r["text"] for r in records] == [unicodedata.normalize("NFKC", line) for line in lines]
    assert {r["source"] for r in records} == {str(source)}
    assert [r["doc_id"] for r in records] == [1, 2, 3, 4] and all(r["date"] is None for r in records)


def test_a_lone_surrogate_is_a_one_line_error(tmp_path):
    """A JSON escape of half a surrogate pair is no character: the error names the line; a file name
    that is not UTF-8 (kept by Python as lone surrogates) is named too."""
    path = tmp_path / "s.jsonl"
    path.write_text('{"text":"中文"}\n{"text":"坏\\ud800字"}\n', encoding="utf-8")
    options = IngestOptions()
    with pytest.raises(ingest_module.NewwordError) as error:
        ingest_module.write_staging(ingest_module.expand([str(path)], options, tmp_path), options, tmp_path / "s1.jsonl")
    assert str(error.value) == f"{path}:2: text has a lone surrogate ('\\ud800'), not valid Unicode"
    folder = tmp_path / "names"
    folder.mkdir()
    (folder / "\udcff.txt").write_bytes("中文\n".encode())  # the name's byte 0xff, as os.fsdecode keeps it
    with pytest.raises(ingest_module.NewwordError) as error:
        ingest_module.write_staging(ingest_module.expand([str(folder)], options, tmp_path), options, tmp_path / "s2.jsonl")
    assert str(error.value) == f"{str(folder / chr(0xDCFF)) + '.txt'!a}: the file name is not valid UTF-8 (rename the file)"
    # with --to-simplified (OpenCC meets it first); before a later oversized document; in a JSON array
    simplified = IngestOptions(to_simplified=True)
    with pytest.raises(ingest_module.NewwordError) as error:
        ingest_module.write_staging(ingest_module.expand([str(path)], simplified, tmp_path), simplified, tmp_path / "s3.jsonl")
    assert str(error.value) == f"{path}:2: text has a lone surrogate ('\\ud800'), not valid Unicode"
    path.write_text('{"text":"坏\\ud800"}\n{"text":"一二三四五六七八九十"}\n', encoding="utf-8")
    small = IngestOptions(max_doc_chars=5)
    with pytest.raises(ingest_module.NewwordError) as error:
        ingest_module.write_staging(ingest_module.expand([str(path)], small, tmp_path), small, tmp_path / "s4.jsonl")
    assert str(error.value) == f"{path}:1: text has a lone surrogate ('\\ud800'), not valid Unicode"
    array = tmp_path / "a.json"
    array.write_text('[\n"中文",\n\n"好",\n"坏\\ud800"\n]\n', encoding="utf-8")
    with pytest.raises(ingest_module.NewwordError) as error:
        ingest_module.write_staging(ingest_module.expand([str(array)], options, tmp_path), options, tmp_path / "s5.jsonl")
    assert str(error.value) == f"{array} (item 3): text has a lone surrogate ('\\ud800'), not valid Unicode"


def test_the_first_bad_document_is_named_though_documents_are_batched(tmp_path):
    """An oversized document on line 1 is reported before invalid JSON on line 2 of the same batch."""
    path = tmp_path / "e.jsonl"
    path.write_text('{"text":"一二三四五六七八九十"}\n{bad json\n', encoding="utf-8")
    options = IngestOptions(max_doc_chars=5)
    with pytest.raises(ingest_module.NewwordError) as error:
        ingest_module.write_staging(ingest_module.expand([str(path)], options, tmp_path), options, tmp_path / "s.jsonl")
    assert str(error.value).startswith(f"{path}:1: document of 10 characters exceeds --max-doc-chars 5")
