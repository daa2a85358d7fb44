"""The newword command line; its commands are in build.py, versions.py and query.py.

Errors a user can fix are one line on stderr and a non-zero exit (1; 2 for bad usage), never a
traceback. Set NEWWORD_DEBUG=1 to see the traceback of an unexpected error.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence

from newword import __version__
from newword.cli import build, query, versions
from newword.errors import NewwordError, UsageError

# The subcommands in the order --help lists them.
COMMANDS = (
    build.add_discover,
    query.add_sql,
    build.add_refresh,
    build.add_validate,
    versions.add_versions,
    versions.add_show,
    versions.add_verify,
    versions.add_diff,
    versions.add_export,
    versions.add_report,
    build.add_segment,
    build.add_evaluate,
    build.add_corpus,
    query.add_steps,
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="newword",
        description="Discover new Chinese words from raw text, without supervision.",
        epilog="exit status: 0 done; 1 an error in the input, the data or a check (one line on stderr); "
        "2 a bad command line or option value; 130 interrupted (outputs left as they were)",
    )
    parser.add_argument("--version", action="version", version=f"newword {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    for add in COMMANDS:
        add(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # SIGTERM (timeout, systemd, docker stop) interrupts like Ctrl-C, so scratch files are removed.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        return args.run(args)
    except UsageError as exc:
        print(f"newword: error: {exc}", file=sys.stderr)
        return 2
    except NewwordError as exc:
        print(f"newword: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("newword: interrupted; outputs left as they were", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except OSError as exc:  # a file the user named cannot be written or read
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"newword: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except RuntimeError as exc:
        if "interrupted" not in str(exc).lower():  # DuckDB turns SIGINT into "Query interrupted"
            return _internal(exc)
        print("newword: interrupted; outputs left as they were", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - every unexpected error is still one line
        if message := _disk_full(exc) or _out_of_memory(exc):
            print(f"newword: error: {message}", file=sys.stderr)
            return 1
        return _internal(exc)


def _disk_full(exc: Exception) -> str:
    """A full disk named by DuckDB ("" for any other error); the scratch files are already removed."""
    import re

    text = str(exc)
    if "No space left on device" not in text:
        return ""
    where = re.search(r'file "([^"]+)"', text)
    folder = os.path.dirname(where.group(1)) if where else "the disk"
    if ".build-" in os.path.basename(folder):  # a build's scratch folder: name the folder it sits in
        folder = os.path.dirname(folder)
    return f"{folder}: no space left on device; scratch files removed, outputs left as they were"


def _out_of_memory(exc: Exception) -> str:
    """What to do when DuckDB ran out of memory ("" for any other error)."""
    duckdb = sys.modules.get("duckdb")  # loaded by whatever raised it
    if duckdb is None or not isinstance(exc, duckdb.OutOfMemoryException):
        return ""
    from newword import warehouse

    limit = os.environ.get("NEWWORD_MEMORY_LIMIT") or warehouse.default_memory_limit()
    return (
        f"DuckDB ran out of memory under its limit of {limit} (NEWWORD_MEMORY_LIMIT; {str(exc).splitlines()[0]}): "
        "raise the limit, set NEWWORD_THREADS=1, or give it less text at once; outputs left as they were"
    )


def _internal(exc: Exception) -> int:
    """An unexpected error is still one line, unless NEWWORD_DEBUG asks for the traceback."""
    if os.environ.get("NEWWORD_DEBUG"):
        raise exc
    first = str(exc).splitlines()[0] if str(exc) else ""
    print(f"newword: internal error: {type(exc).__name__}: {first} (NEWWORD_DEBUG=1 shows the traceback)", file=sys.stderr)
    return 1
