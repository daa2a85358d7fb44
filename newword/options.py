"""Every option of a build, once: its name, default, how it is read from the command line, its check
and its help. The command line (argparse), the Prefect flows' parameters and the settings recorded in
a version's manifest (newword.settings.Settings) are all derived from this table.

The Python name (max_n) is the flow parameter and the Settings field; the flag is --max-n.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from newword.errors import UsageError

# How the words are found:
# - topwords (default): a unigram word model fitted by EM over every frequent string up to
#   max_word_length characters, words kept by a likelihood-ratio test (newword/topwords.py);
# - reference: exactly algorithm.md (cohesion thresholds, a boundary is cut unless a cohesive n-gram covers it).
MODES = ("topwords", "reference")
DEFAULT_MIN_COUNT = {"topwords": 5, "reference": 25}  # algorithm.md's 25; topwords tests significance, not counts
DEFAULT_MIN_COHESION = {2: 5.0, 3: 25.0, 4: 125.0}  # algorithm.md (reference mode); topwords only reports cohesion

# The character class of a sentence (algorithm.md step 1): maximal runs of these characters.
CHAR_CLASSES = {
    "cjk": "[\u4e00-\u9fff]+",
    "cjk+alnum": "[\u4e00-\u9fffA-Za-z0-9]+",
}

FORMATS = ("text", "jsonl", "json", "csv", "tsv", "parquet", "zhihu")


@dataclasses.dataclass(frozen=True)
class Option:
    name: str
    default: Any
    help: str  # "{default}" is replaced by the default, formatted by show
    parse: Callable[[str], Any] | None = None  # argparse's type (None: the text as it is)
    check: Callable[[str, Any], None] | None = None  # raises UsageError naming the flag
    choices: tuple[str, ...] | None = None
    metavar: str | None = None
    flag_only: bool = False  # --name alone sets True
    show: Callable[[Any], str] = str  # the default as the help prints it
    topwords_only: bool = False  # recorded in the manifest only in topwords mode
    command_line: bool = True  # False: a setting no command exposes

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    def validate(self, value: Any) -> None:
        if self.check is not None:
            self.check(self.flag if self.command_line else self.name, value)

    def add_to(self, parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
        text = self.help.format(default=self.show(self.default))
        if self.flag_only:
            parser.add_argument(self.flag, action="store_true", help=text)
            return
        extra = {"metavar": self.metavar} if self.metavar else {}
        if self.parse is not None:
            extra["type"] = self.parse
        parser.add_argument(self.flag, choices=self.choices, default=self.default, help=text, **extra)


# Readers of command-line text (argparse turns their errors into one line and exit 2).


def integer(flag: str, minimum: int | None = None) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{flag} must be an integer (got {text!r})") from None
        if minimum is not None and value < minimum:
            raise argparse.ArgumentTypeError(f"{flag} must be >= {minimum} (got {value})")
        return value

    return parse


def ratio(text: str) -> float | None:
    if text in ("", "none"):
        return None
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a ratio such as 0.5, or none (got {text!r})") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"a ratio must be >= 0 (got {text!r})")
    return value


# Checks of a value however it arrived (command line, flow parameter, manifest).


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def at_least(low: int) -> Callable[[str, Any], None]:
    def check(flag: str, value: Any) -> None:
        if not _is_int(value) or value < low:
            raise UsageError(f"{flag} must be an integer >= {low} (got {value!r})")

    return check


def _max_n(flag: str, value: Any) -> None:
    at_least(2)(flag, value)
    if value > 6:  # six 21-bit code points fill a 128-bit n-gram key (sql/intermediate/ngram_level.sql)
        raise UsageError(f"{flag} must be at most 6 (got {value}): n-grams are counted as 128-bit keys")


def _max_word_length(flag: str, value: Any) -> None:
    if not _is_int(value) or not 2 <= value <= 64:
        raise UsageError(f"{flag} must be an integer between 2 and 64 (got {value!r})")


def _min_significance(flag: str, value: Any) -> None:
    if not isinstance(value, (int, float)) or not 0 <= value < math.inf:
        raise UsageError(f"{flag} must be a number >= 0 (got {value!r})")


def _split_bonus(flag: str, value: Any) -> None:
    if not isinstance(value, (int, float)) or not -1000 <= value <= 1000:
        raise UsageError(f"{flag} must be a number between -1000 and 1000 (got {value!r})")


def one_of(choices: tuple[str, ...]) -> Callable[[str, Any], None]:
    def check(flag: str, value: Any) -> None:
        if value not in choices:
            raise UsageError(f"{flag} must be one of {', '.join(choices)} (got {value!r})")

    return check


def _min_cohesion(flag: str, value: Any) -> None:
    for length, threshold in value.items():
        if not isinstance(length, int) or length < 2:
            raise UsageError(f"{flag}: length must be an integer >= 2 (got {length!r})")
        if not threshold >= 0 or threshold == float("inf"):
            raise UsageError(f"{flag}: threshold for length {length} must be >= 0 (got {threshold!r})")


def _pairs(thresholds: Mapping[int, float]) -> str:
    return ",".join(f"{length}:{value:g}" for length, value in sorted(thresholds.items()))


CLUSTER_HELP = (
    "run the n-gram counting (and in reference mode the cut) as tasks on this Dask scheduler; its workers must "
    "import newword and see HOME at the same path (default: everything on this machine)"
)


class Options:
    """The options in the order the help lists them, by name: OPTIONS.max_n, OPTIONS["max_n"]."""

    def __init__(self, *options: Option) -> None:
        self._by_name = {option.name: option for option in options}

    def __getattr__(self, name: str) -> Option:
        try:
            return self._by_name[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str) -> Option:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __iter__(self) -> Iterator[Option]:
        return iter(self._by_name.values())


OPTIONS = Options(
    # algorithm.md's parameters
    Option("max_n", 4, "longest n-gram counted (default {default})", parse=integer("--max-n"), check=_max_n),
    Option(
        "min_count",
        None,  # the mode's own (DEFAULT_MIN_COUNT)
        "minimum count of a word (and, in reference mode, of n-grams and candidates) (default {default})",
        parse=integer("--min-count"),
        check=at_least(1),
        show=lambda _: f"{DEFAULT_MIN_COUNT['topwords']}; {DEFAULT_MIN_COUNT['reference']} in reference mode",
    ),
    Option(
        "min_cohesion",
        None,  # algorithm.md's (DEFAULT_MIN_COHESION); on the command line and in flows a text such as 2:5,3:25
        "reference mode: cohesion an n-gram of length K must exceed; lengths not given use 5^(K-1) "
        "(default {default}; topwords mode only reports cohesion)",
        check=_min_cohesion,
        metavar="K:V,...",
        show=lambda _: _pairs(DEFAULT_MIN_COHESION),
    ),
    Option(
        "chars",
        "cjk",
        "character class of a sentence (default {default})",
        check=one_of(tuple(CHAR_CLASSES)),
        choices=tuple(sorted(CHAR_CLASSES)),
    ),
    # the discovery mode
    Option(
        "mode",
        "topwords",
        "topwords (default): a word model fitted by EM over every frequent string, words kept by a "
        "likelihood-ratio test (best with --known-words); reference: exactly algorithm.md",
        check=one_of(MODES),
        choices=MODES,
    ),
    Option(
        "max_word_length",
        10,
        "topwords mode: longest candidate word, in characters (default {default})",
        parse=integer("--max-word-length"),
        check=_max_word_length,
        metavar="L",
        topwords_only=True,
    ),
    Option(
        "min_significance",
        8.0,
        "topwords mode: keep a word when the corpus is this many nats (log-likelihood) likelier with it than "
        "without it (default {default})",
        parse=float,
        check=_min_significance,
        metavar="PSI",
        show="{:g}".format,
        topwords_only=True,
    ),
    Option(
        "split_bonus",
        0.0,
        "segmentation with the published vocabulary: a log-probability bonus per word, so a long word must be "
        "e^B times likelier than its parts together to be kept whole; recorded in the version (default {default})",
        parse=float,
        check=_split_bonus,
        metavar="B",
        show="{:g}".format,
    ),
    Option(
        "segment_min_count",
        2,
        "`newword segment`'s vocabulary: pieces of the cut seen at least this often (topwords)",
        check=at_least(1),
        topwords_only=True,
        command_line=False,
    ),
    # the input
    Option(
        "format",
        None,
        "force the input format (default: by file extension; .gz is read through)",
        choices=FORMATS,
    ),
    Option("text_field", "text", "JSON field or CSV/TSV/Parquet column with the text (default {default})"),
    Option("doc_per_file", False, "plain text: one document per file instead of per line", flag_only=True),
    Option("to_simplified", False, "convert traditional to simplified characters (OpenCC t2s)", flag_only=True),
    Option(
        "max_doc_chars",
        10_000_000,
        "longest document accepted, in characters (default {default})",
        parse=integer("--max-doc-chars"),
        show="{:,}".format,
    ),
    Option("date_field", None, "JSON field or CSV/TSV column with each document's own date (ISO 8601), for --window-days"),
    Option(
        "window_days",
        None,
        "only documents of the last N days, by their own date (--date-field) else by when they were ingested: for trending words",
        parse=float,
        metavar="N",
    ),
    Option(
        "known_words",
        None,
        "a dictionary: one word per line (or jieba's 'word freq pos' lines), or jieba for jieba's own; "
        "lexicon words in it get is_known = true (refresh: kept for the home until given again)",
        metavar="FILE|jieba",
    ),
    # discover and lexicon-build
    Option("db", "newword.duckdb", "warehouse file (default {default})"),
    Option("output", "lexicon.tsv", "lexicon TSV file; '' for none (default {default})"),
    Option(
        "keep_duplicates",
        False,
        "count a document whose content (after NFKC) repeats an earlier one again; by default it counts once",
        flag_only=True,
    ),
    # refresh and lexicon-refresh
    Option(
        "min_size_ratio",
        0.5,
        "the lexicon may not shrink below this share of the previous version's (default {default}; none for no bound)",
        parse=ratio,
    ),
    Option("max_size_ratio", None, "nor grow beyond this multiple of it (default none)", parse=ratio),
    Option("allow_size_change", False, "skip the lexicon-size check for this refresh", flag_only=True),
    Option(
        "quarantine",
        False,
        "move a source file that cannot be read (not UTF-8, binary, malformed) to HOME/quarantine/TIME/, with the "
        "reason beside it in NAME.reason.txt, and refresh from the others (for scheduled refreshes of a watched folder)",
        flag_only=True,
    ),
    Option("cluster", None, CLUSTER_HELP, metavar="tcp://HOST:8786"),
)

# What Settings holds (and a version's manifest records), what IngestOptions holds, and the groups
# of the help of every command that discovers.
SETTINGS = (
    "max_n",
    "min_count",
    "min_cohesion",
    "chars",
    "mode",
    "split_bonus",
    "max_word_length",
    "min_significance",
    "segment_min_count",
)
INGEST = ("format", "text_field", "doc_per_file", "to_simplified", "max_doc_chars", "date_field")
GROUPS = {
    "algorithm (defaults from algorithm.md)": ("max_n", "min_count", "min_cohesion", "chars"),
    "discovery mode (see docs/algorithm.md)": ("mode", "max_word_length", "min_significance", "split_bonus"),
    "input": ("format", "text_field", "doc_per_file", "to_simplified", "max_doc_chars", "date_field", "window_days", "known_words"),
}  # fmt: skip
DISCOVERY = tuple(name for names in GROUPS.values() for name in names)  # the parameters both flows take
REFRESH = ("min_size_ratio", "max_size_ratio", "allow_size_change", "quarantine")  # the size gate and quarantine


def add(parser: argparse.ArgumentParser, *names: str) -> None:
    """Add these options to a parser, in this order."""
    for name in names:
        OPTIONS[name].add_to(parser)


def add_discovery_options(parser: argparse.ArgumentParser) -> None:
    """The parameters of algorithm.md, of the mode and of the input, shared by every command that discovers."""
    for title, names in GROUPS.items():
        group = parser.add_argument_group(title)
        for name in names:
            OPTIONS[name].add_to(group)


def pick(values: Mapping[str, Any] | argparse.Namespace, names: tuple[str, ...]) -> dict[str, Any]:
    """These options' values from parsed arguments or a flow's parameters."""
    source = vars(values) if isinstance(values, argparse.Namespace) else values
    return {name: source[name] for name in names}


def ingest_options(values: Mapping[str, Any] | argparse.Namespace):
    """The input options as newword.ingest.IngestOptions (checked there)."""
    from newword.ingest import IngestOptions

    source = vars(values) if isinstance(values, argparse.Namespace) else values
    return IngestOptions(**{name: source[name] for name in INGEST})
