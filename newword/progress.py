"""Progress per step: a live line on a terminal, plain log lines otherwise (both on stderr)."""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Iterator
from typing import TextIO


class Progress:
    def __init__(self, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.live = not quiet and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.timings: dict[str, float] = {}

    def log(self, message: str) -> None:
        if not self.quiet:
            print(f"newword: {message}", file=self.stream, flush=True)

    @contextlib.contextmanager
    def step(self, name: str, number: int, total: int) -> Iterator[dict]:
        """Time a step; the caller may put 'rows' or 'detail' into the yielded dict."""
        info: dict = {}
        started = time.perf_counter()
        stop = threading.Event()
        ticker = None
        if self.live:

            def tick() -> None:
                while not stop.wait(0.2):
                    self.stream.write(f"\r[{number}/{total}] {name} ... {time.perf_counter() - started:.1f}s")
                    self.stream.flush()

            ticker = threading.Thread(target=tick, daemon=True)
            ticker.start()
        try:
            yield info
        finally:
            stop.set()
            if ticker:
                ticker.join()
                self.stream.write("\r\033[K")
        elapsed = time.perf_counter() - started
        self.timings[name] = elapsed
        detail = info.get("detail") or (f"{info['rows']:,} rows" if "rows" in info else "")
        self.log(f"[{number}/{total}] {name}: {detail + ' ' if detail else ''}in {elapsed:.2f}s")
