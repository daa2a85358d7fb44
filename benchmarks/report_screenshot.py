"""The README's report screenshot: People's Daily (January 1998) refreshed three times, a third at a
time, into a fresh home, and the third version's report captured in Debian's headless Chromium.

    .venv/bin/python benchmarks/report_screenshot.py [--output docs/images/report.png]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEWWORD = Path(sys.executable).with_name("newword")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(ROOT / "docs" / "images" / "report.png"))
    parser.add_argument("--corpus", default=str(ROOT / "data" / "peoples-daily-199801.txt"))
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not corpus.exists():
        subprocess.run([NEWWORD, "corpus", "peoples-daily", "--output", str(corpus)], check=True)
    browser = shutil.which("chromium")
    if browser is None:
        sys.exit("report_screenshot: Debian's chromium is needed (apt-get install chromium fonts-wqy-zenhei)")
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        for i in range(3):
            part = Path(folder) / f"part-{i + 1}.txt"
            part.write_text("".join(lines[i * len(lines) // 3 : (i + 1) * len(lines) // 3]), encoding="utf-8")
            known = ["--known-words", "jieba"] if i == 0 else []
            subprocess.run([NEWWORD, "refresh", str(part), "--home", str(home), "--quiet", *known], check=True)
        page = home / "versions" / "version=v000003" / "report.html"
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1200,1400",
             f"--screenshot={Path(args.output).resolve()}", page.as_uri()],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    print(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
