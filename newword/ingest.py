"""Ingest: turn SOURCE arguments (files, folders, globs, URLs) into normalised documents.

Formats: plain text (a document per line, or per file), JSON Lines, JSON, CSV, TSV, Parquet, the
Zhihu column export (article[].content is HTML), and gzip of any of them. Every document is
NFKC-normalised (full-width letters and digits to half-width) and optionally converted from
traditional to simplified characters. Problems are NewwordErrors naming the file and line.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import glob
import gzip
import html.parser
import io
import json
import os
import tempfile
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import numpy as np

from newword import sqlfiles
from newword.errors import NewwordError, SourceUnavailable
from newword.options import FORMATS, OPTIONS

_EXTENSIONS = {
    "": "text",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_GLOB_CHARS = set("*?[")
_BLOCK_TAGS = {
    "p", "br", "div", "li", "ul", "ol", "blockquote", "figure", "figcaption", "h1", "h2", "h3",
    "h4", "h5", "h6", "tr", "td", "th", "table", "pre", "hr", "section", "article", "title",
}  # fmt: skip
_SKIPPED_TAGS = {"script", "style", "noscript", "head"}


@dataclasses.dataclass(frozen=True)
class IngestOptions:
    format: str | None = None  # None: by file extension
    text_field: str = OPTIONS.text_field.default  # JSON field / CSV or Parquet column holding the text
    doc_per_file: bool = False  # plain text: the whole file is one document
    to_simplified: bool = False  # traditional -> simplified (OpenCC t2s)
    max_doc_chars: int = OPTIONS.max_doc_chars.default
    date_field: str | None = None  # JSON field / CSV or TSV column with the document's own date

    def __post_init__(self) -> None:
        if self.format is not None and self.format not in FORMATS:
            raise NewwordError(f"--format must be one of {', '.join(FORMATS)} (got {self.format!r})")
        if self.max_doc_chars < 1:
            raise NewwordError(f"--max-doc-chars must be >= 1 (got {self.max_doc_chars})")
        if not self.text_field:
            raise NewwordError("--text-field must not be empty")


@dataclasses.dataclass(frozen=True)
class Source:
    name: str  # what the user gave (path or URL), or the file found under a folder or glob
    path: Path  # a local file (URLs are downloaded first)
    format: str


def is_url(text: str) -> bool:
    return text.split(":", 1)[0].lower() in ("http", "https") and "://" in text


class _SameHost(urllib.request.HTTPRedirectHandler):
    """Follow redirects only within the host of the URL given: no other host is contacted."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if urllib.parse.urlsplit(newurl).netloc != urllib.parse.urlsplit(req.full_url).netloc:
            raise NewwordError(f"{req.full_url}: redirected to another host ({newurl}); give that URL itself")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _format_of(name: str, forced: str | None) -> str:
    if forced:
        return forced
    lowered = name.lower()
    lowered = lowered.removesuffix(".gz")
    suffix = os.path.splitext(os.path.basename(lowered))[1]
    if suffix not in _EXTENSIONS:
        raise NewwordError(f"{name}: unknown format {suffix!r} (use --format {'|'.join(FORMATS)})")
    return _EXTENSIONS[suffix]


def _download(url: str, folder: Path) -> Path:
    try:
        basename = os.path.basename(urllib.parse.urlsplit(url).path) or "download"
    except ValueError as exc:
        raise NewwordError(f"{url}: not a valid URL ({exc})") from None
    target = folder / f"{len(list(folder.iterdir())):04d}-{basename}"
    try:
        with urllib.request.build_opener(_SameHost).open(url, timeout=30) as response, open(target, "wb") as out:
            while chunk := response.read(1 << 20):
                out.write(chunk)
    except urllib.error.HTTPError as exc:
        kind = SourceUnavailable if exc.code >= 500 or exc.code == 429 else NewwordError
        raise kind(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SourceUnavailable(f"{url}: cannot fetch: {reason}") from None
    except ValueError as exc:
        raise NewwordError(f"{url}: not a valid URL ({exc})") from None
    return target


def expand(sources: list[str], options: IngestOptions, download_dir: Path) -> list[Source]:
    """Resolve SOURCE arguments to local files with a format each, in a stable order."""
    if not sources:
        raise NewwordError("no SOURCE given: name files, folders, globs or URLs")
    found: list[Source] = []
    for given in sources:
        if is_url(given):
            try:
                name = urllib.parse.urlsplit(given).path
            except ValueError as exc:
                raise NewwordError(f"{given}: not a valid URL ({exc})") from None
            fmt = _format_of(os.path.basename(name) or "download", options.format)
            found.append(Source(given, _download(given, download_dir), fmt))
        elif os.path.isdir(given):
            files = sorted(
                p
                for p in Path(given).rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.parts[len(Path(given).parts) :])
            )
            if not files:
                raise NewwordError(f"{given}: folder has no files")
            found.extend(Source(str(p), p, _format_of(str(p), options.format)) for p in files)
        elif os.path.isfile(given):
            found.append(Source(given, Path(given), _format_of(given, options.format)))
        elif _GLOB_CHARS & set(given):
            files = _real_once(sorted(p for p in glob.glob(given, recursive=True) if os.path.isfile(p)))
            if not files:
                raise NewwordError(f"{given}: no files match")
            found.extend(Source(p, Path(p), _format_of(p, options.format)) for p in files)
        elif os.path.exists(given):
            raise NewwordError(f"{given}: not a regular file or folder")
        else:
            raise NewwordError(f"{given}: no such file or folder")
    return found


def _real_once(paths: list[str]) -> list[str]:
    """Each real file once: `**` follows symbolic links, so a link loop names one file many times."""
    seen: set[str] = set()
    kept = []
    for path in paths:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            kept.append(path)
    return kept


def local_inputs(sources: list[str]) -> set[Path]:
    """The real paths of the local files the sources name (URLs are downloaded later, never outputs)."""
    found: set[Path] = set()
    for given in sources:
        if is_url(given):
            continue
        if os.path.isdir(given):
            found.update(p.resolve() for p in Path(given).rglob("*") if p.is_file())
        elif os.path.isfile(given):
            found.add(Path(given).resolve())
        elif _GLOB_CHARS & set(given):
            found.update(Path(p).resolve() for p in glob.glob(given, recursive=True) if os.path.isfile(p))
    return found


# --- reading bytes --------------------------------------------------------------------------


def _open_binary(source: Source) -> io.BufferedIOBase:
    try:
        handle = open(source.path, "rb")  # noqa: SIM115 - returned to the caller's with
    except OSError as exc:
        raise NewwordError(f"{source.name}: cannot read: {exc.strerror}") from None
    if handle.peek(2)[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=handle)  # type: ignore[return-value]
    return handle


_BLOCK = 1 << 22  # bytes read, checked and decoded at a time


def _lines(source: Source) -> Iterator[tuple[int, str]]:
    """(line number, text) of a text file, checking for binary content and invalid UTF-8.
    Read in blocks of whole lines: decoding and splitting a line at a time cost 0.2 s per 25 MB."""
    with _open_binary(source) as handle:
        try:
            head = handle.peek(8192)[:8192]  # type: ignore[attr-defined]
            if b"\0" in head:
                offset = head.index(b"\0")
                raise NewwordError(f"{source.name}: binary file (NUL byte at offset {offset}), not text")
            number = 0  # lines yielded so far
            partial = bytearray()  # the start of a line the last block did not end
            while True:
                chunk = handle.read(_BLOCK)
                if chunk:
                    cut = chunk.rfind(b"\n") + 1
                    if cut == 0:
                        partial += chunk
                        continue
                    block, partial = bytes(partial) + chunk[:cut], bytearray(chunk[cut:])
                elif partial:
                    block, partial = bytes(partial), bytearray()  # the last line, without a newline
                else:
                    break
                if number == 0 and block.startswith(b"\xef\xbb\xbf"):
                    block = block[3:]
                yield from _block_lines(source, block, number)
                number += block.count(b"\n") + (not block.endswith(b"\n"))
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            raise NewwordError(f"{source.name}: corrupt gzip data: {exc}") from None


def _block_lines(source: Source, block: bytes, before: int) -> Iterator[tuple[int, str]]:
    """The numbered lines of a block of whole lines that follows line `before`. The first bad line is
    named, as line by line: invalid UTF-8 in the lines before a NUL byte's line is reported first."""
    nul = block.find(b"\0")
    checked = block if nul < 0 else block[: block.rfind(b"\n", 0, nul) + 1]  # the whole lines before it
    try:
        text = checked.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = before + block.count(b"\n", 0, exc.start) + 1
        column = exc.start - (block.rfind(b"\n", 0, exc.start) + 1)
        raise NewwordError(
            f"{source.name}:{line}: invalid UTF-8 (byte 0x{block[exc.start]:02x} at byte {column + 1} of the line)"
        ) from None
    if nul >= 0:
        line = before + block.count(b"\n", 0, nul) + 1
        raise NewwordError(f"{source.name}:{line}: binary file (NUL byte), not text")
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    for number, line in enumerate(lines, start=before + 1):
        yield number, line.rstrip("\r")


def text_lines(name: str) -> Iterator[str]:
    """The lines of a local text file ('-': standard input; gzip read through), with the same one-line
    errors as ingest (binary content, invalid UTF-8 naming file:line, unreadable files)."""
    path = Path("/dev/stdin") if name == "-" else Path(name)
    for _, line in _lines(Source(name, path, "text")):
        yield line


def _whole_text(source: Source) -> str:
    return "\n".join(line for _, line in _lines(source))


# --- formats ----------------------------------------------------------------------------------

Record = tuple  # (locator, text) or (locator, text, date as ISO 8601 or None)


def _date(source: Source, where: str, value: object) -> str | None:
    """A document's own date, ISO 8601 (a date, or a time; without a zone it is UTC)."""
    if value is None or value == "":
        return None
    try:
        parsed = datetime.datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise NewwordError(f"{source.name}:{where}: cannot read date {value!r} (ISO 8601 expected, e.g. 2026-11-24)") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed.isoformat()


def _dated(source: Source, where: str, value: object, options: IngestOptions) -> tuple:
    """(text) or (text, date) of a JSON record, with --date-field."""
    text = _text_field(source, where, value, options.text_field)
    if options.date_field is None:
        return (text,)
    date = value.get(options.date_field) if isinstance(value, dict) else None
    return text, _date(source, where, date)


def _text_field(source: Source, where: str, value: object, field: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if field not in value:
            raise NewwordError(
                f"{source.name}:{where}: no field {field!r} (use --text-field; fields: {', '.join(map(str, value))})"
            )
        text = value[field]
        if text is None:
            return ""
        if not isinstance(text, str):
            raise NewwordError(f"{source.name}:{where}: field {field!r} is not a string")
        return text
    raise NewwordError(f"{source.name}:{where}: expected an object with a {field!r} field or a string")


def _read_text(source: Source, options: IngestOptions) -> Iterator[Record]:
    if options.doc_per_file:
        yield "", _whole_text(source)
        return
    for number, line in _lines(source):
        if line.strip():
            yield f"line {number}", line


def _read_jsonl(source: Source, options: IngestOptions) -> Iterator[Record]:
    for number, line in _lines(source):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise NewwordError(f"{source.name}:{number}: invalid JSON: {exc.msg}") from None
        yield (f"line {number}", *_dated(source, str(number), value, options))


class _HtmlText(html.parser.HTMLParser):
    """Text of an HTML fragment; block elements become line breaks (sentence boundaries)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    parser = _HtmlText()
    parser.feed(markup)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _load_json(source: Source) -> object:
    text = _whole_text(source)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise NewwordError(f"{source.name}:{exc.lineno}: invalid JSON: {exc.msg}") from None


def _is_zhihu(value: object) -> bool:
    return isinstance(value, dict) and isinstance(value.get("article"), list)


def _zhihu_records(source: Source, value: object) -> Iterator[Record]:
    if not _is_zhihu(value):
        raise NewwordError(f"{source.name}: not a Zhihu column export (no article[] list)")
    for number, article in enumerate(value["article"], start=1):  # type: ignore[index]
        if not isinstance(article, dict) or not isinstance(article.get("content"), str):
            raise NewwordError(f"{source.name}: article {number} has no HTML content string")
        title = article.get("title") if isinstance(article.get("title"), str) else ""
        yield f"article {number}", "\n".join(part for part in (title, html_to_text(article["content"])) if part)


def _read_json(source: Source, options: IngestOptions) -> Iterator[Record]:
    value = _load_json(source)
    if _is_zhihu(value):
        yield from _zhihu_records(source, value)
    elif isinstance(value, list):
        for number, item in enumerate(value, start=1):
            yield (f"item {number}", *_dated(source, f"item {number}", item, options))
    elif isinstance(value, dict):
        yield ("", *_dated(source, "top level", value, options))
    else:
        raise NewwordError(f"{source.name}: expected a JSON array, an object or a Zhihu column export")


def _read_zhihu(source: Source, options: IngestOptions) -> Iterator[Record]:
    yield from _zhihu_records(source, _load_json(source))


def _read_delimited(delimiter: str) -> Callable[[Source, IngestOptions], Iterator[Record]]:
    def read(source: Source, options: IngestOptions) -> Iterator[Record]:
        csv.field_size_limit(1 << 31)
        reader = csv.reader(io.StringIO(_whole_text(source), newline=""), delimiter=delimiter)
        header = next(reader, None)
        if header is None:
            return
        if options.text_field not in header:
            raise NewwordError(
                f"{source.name}:1: no column {options.text_field!r} (use --text-field; columns: {', '.join(header)})"
            )
        column = header.index(options.text_field)
        dated = options.date_field is not None
        if dated and options.date_field not in header:
            raise NewwordError(
                f"{source.name}:1: no column {options.date_field!r} for --date-field (columns: {', '.join(header)})"
            )
        date_column = header.index(options.date_field) if dated else -1
        try:
            for row in reader:
                if len(row) > column:
                    where = f"row {reader.line_num}"
                    if dated:
                        yield (
                            where,
                            row[column],
                            _date(source, str(reader.line_num), row[date_column] if len(row) > date_column else None),
                        )
                    else:
                        yield where, row[column]
        except csv.Error as exc:
            raise NewwordError(f"{source.name}:{reader.line_num}: {exc}") from None

    return read


def _read_parquet(source: Source, options: IngestOptions) -> Iterator[Record]:
    path = source.path
    with tempfile.TemporaryDirectory(prefix="newword-parquet-") as folder:
        with _open_binary(source) as handle:
            if isinstance(handle, gzip.GzipFile):
                path = Path(folder) / "data.parquet"
                path.write_bytes(handle.read())
        con = duckdb.connect()
        try:
            rows = sqlfiles.query(con, "parquet_texts", {"path": str(path), "text_field": options.text_field})
        except duckdb.Error as exc:
            first = str(exc).splitlines()[0]
            if "empty set of columns" in first:
                raise NewwordError(f"{source.name}: no column {options.text_field!r} (use --text-field)") from None
            raise NewwordError(f"{source.name}: cannot read as Parquet text column {options.text_field!r}: {first}") from None
        finally:
            con.close()
    for number, (text,) in enumerate(rows, start=1):
        yield f"row {number}", text or ""


_READERS: dict[str, Callable[[Source, IngestOptions], Iterator[Record]]] = {
    "text": _read_text,
    "jsonl": _read_jsonl,
    "json": _read_json,
    "zhihu": _read_zhihu,
    "csv": _read_delimited(","),
    "tsv": _read_delimited("\t"),
    "parquet": _read_parquet,
}


# Full-width ASCII forms and the ideographic space: each one's compatibility decomposition is a single
# character, so replacing them first changes no NFKC result, and most Chinese lines are then already
# normalised (is_normalized is a fast check; normalize itself is slow). They are replaced as numbers,
# a batch of texts at a time, which is faster than a regex substitution per match.
_WIDE_FIRST, _WIDE_LAST, _WIDE_SHIFT = 0xFF01, 0xFF5E, 0xFEE0  # U+FF01..U+FF5E are U+0021..U+007E
_IDEOGRAPHIC_SPACE = 0x3000


def _narrowed(texts: list[str]) -> list[str]:
    """The texts with every full-width form replaced by its ASCII character (a length-preserving map)."""
    separator = "\n" if not any("\n" in text for text in texts) else ""  # lines: split back in C
    joined = separator.join(texts)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    wide = (codes >= _WIDE_FIRST) & (codes <= _WIDE_LAST)
    space = codes == _IDEOGRAPHIC_SPACE
    if not (wide.any() or space.any()):
        return texts
    codes = codes.copy()
    codes[wide] -= _WIDE_SHIFT
    codes[space] = ord(" ")
    joined = codes.tobytes().decode("utf-32-le", "surrogatepass")
    if separator:
        return joined.split(separator)
    narrowed, start = [], 0
    for text in texts:
        narrowed.append(joined[start : start + len(text)])
        start += len(text)
    return narrowed


def nfkc_all(texts: list[str]) -> list[str]:
    """[unicodedata.normalize("NFKC", text) for text in texts]: 0.13 s per 25 MB of Chinese text, against 0.94 s."""
    return [text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text) for text in _narrowed(texts)]


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), by nfkc_all."""
    return nfkc_all([text])[0]


def _converter(options: IngestOptions) -> Callable[[list[str]], list[str]]:
    if not options.to_simplified:
        return nfkc_all
    try:
        import opencc
    except ImportError:
        raise NewwordError("--to-simplified needs the opencc package (pip install opencc)") from None
    t2s = opencc.OpenCC("t2s")
    return lambda texts: [t2s.convert(text) for text in nfkc_all(texts)]


def write_known_words(given: str, target: Path) -> int:
    """Stage a known-words list: `jieba` (jieba's dictionary) or a file with one word per line (a
    jieba-style "word freq pos" line counts as its first field). Returns the number of lines."""
    if given == "jieba":
        from newword import corpora

        words = corpora.jieba_words()
    else:
        if not os.path.isfile(given):
            raise NewwordError(f"--known-words: {given}: no such file (or use --known-words jieba)")
        source = Source(given, Path(given), "text")
        words = [line.strip().split()[0] for _, line in _lines(source) if line.strip()]
    text = "".join(unicodedata.normalize("NFKC", word) + "\n" for word in words)
    with open(target, "w", encoding="utf-8") as out:
        out.write(text)
        # each word in both scripts too: 服務 is 服务 in another script, never new for that alone
        import opencc

        out.write(opencc.OpenCC("s2t").convert(text))
        out.write(opencc.OpenCC("t2s").convert(text))
    return len(words)


_json_string = json.encoder.encode_basestring  # a str as a JSON string, non-ASCII kept (C)


def _batches(records: Iterator[Record], documents: int = 4096, characters: int = 2**22) -> Iterator[list[Record]]:
    """The records in lists of at most `documents`, or of about `characters` (a list ends at the
    record that reaches it)."""
    batch: list[Record] = []
    size = 0
    try:
        for record in records:
            batch.append(record)
            size += len(record[1])
            if len(batch) >= documents or size >= characters:
                yield batch
                batch, size = [], 0
    except Exception:
        if batch:  # the records before a bad one are checked first: the first error in the file is named
            yield batch
        raise
    if batch:
        yield batch


def _where(source: Source, locator: str) -> str:
    """Where a record is: file:line for a line or CSV row, `file (item 3)` for a JSON item or an
    article, the file alone for a whole-file document."""
    if not locator:
        return source.name
    kind, _, number = locator.partition(" ")
    return f"{source.name}:{number}" if kind in ("line", "row") else f"{source.name} ({locator})"


def _surrogate_error(source: Source, batch: list[Record], texts: list[str]) -> NewwordError | None:
    """The first document of a batch with a lone surrogate (half of a UTF-16 pair: no character),
    or None."""
    for record, text in zip(batch, texts, strict=True):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as bad:
            return NewwordError(
                f"{_where(source, record[0])}: text has a lone surrogate ({text[bad.start]!a}), not valid Unicode"
            )
    return None


def _name_error(source: Source) -> NewwordError:
    """Python keeps the bytes of a file name that is not UTF-8 as lone surrogates: JSON cannot hold them."""
    return NewwordError(f"{source.name!a}: the file name is not valid UTF-8 (rename the file)")


def write_staging(
    sources: list[Source],
    options: IngestOptions,
    staging: Path,
    on_source: Callable[[int, Source], None] | None = None,
    set_aside: Callable[[Source, NewwordError], None] | None = None,
) -> tuple[int, int]:
    """Write every document of every source to a JSON Lines staging file; return (documents, characters).

    With `set_aside`, a source that cannot be read (undecodable, binary, malformed) is handed to it with
    the error, its documents already written are taken back, and the other sources are read."""
    normalise = _converter(options)
    documents = characters = 0
    with open(staging, "w", encoding="utf-8") as out:
        for index, source in enumerate(sources):
            if on_source:
                on_source(index, source)
            if options.date_field and source.format not in ("jsonl", "json", "csv", "tsv"):
                raise NewwordError(f"{source.name}: --date-field works with JSON Lines, JSON, CSV and TSV, not {source.format}")
            before = out.tell()
            try:
                documents, characters = _stage(source, options, normalise, out, documents, characters)
            except NewwordError as error:
                if set_aside is None:
                    raise
                out.seek(before)
                out.truncate()
                set_aside(source, error)
    return documents, characters


def _stage(
    source: Source, options: IngestOptions, normalise: Callable[[list[str]], list[str]], out, documents: int, characters: int
) -> tuple[int, int]:
    """One source's documents appended to the staging file; the running totals after it."""
    name = _json_string(source.name)
    records = _READERS[source.format](source, options)
    for batch in _batches(records):  # normalised, and written, a batch at a time
        rows = []
        try:
            texts = normalise([record[1] for record in batch])
        except UnicodeEncodeError:  # a lone surrogate reached OpenCC (--to-simplified)
            error = _surrogate_error(source, batch, [record[1] for record in batch])
            if error is None:  # not the texts: only they are normalised, so a real fault
                raise
            raise error from None
        for index, ((locator, _, *date), text) in enumerate(zip(batch, texts, strict=True)):
            if len(text) > options.max_doc_chars:  # unless an earlier document is bad too
                raise _surrogate_error(source, batch[:index], texts[:index]) or NewwordError(
                    f"{_where(source, locator)}: document of {len(text):,} characters exceeds "
                    f"--max-doc-chars {options.max_doc_chars:,}"
                )
            documents += 1
            characters += len(text)
            # the JSON object written field by field: json.dumps of a dict costs 5x as much
            rows.append(
                f'{{"doc_id":{documents},"source":{name},"locator":{_json_string(locator)},'
                f'"text":{_json_string(text)},"date":{"null" if not date or date[0] is None else _json_string(date[0])}}}\n'
            )
        try:
            out.write("".join(rows))
        except UnicodeEncodeError:  # a lone surrogate: a JSON escape such as "\ud800", or a file name
            raise _surrogate_error(source, batch, texts) or _name_error(source) from None
    return documents, characters
