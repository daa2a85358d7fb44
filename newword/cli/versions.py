"""The commands that read published versions: versions, show, verify, diff, export, report."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from newword import options
from newword.cli.common import HOME_HELP, home_of, verified
from newword.errors import NewwordError
from newword.numbers import rounded
from newword.output import print_rows, write_json


def _versions(args: argparse.Namespace) -> int:
    home = home_of(args)
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


def _verify(args: argparse.Namespace) -> int:
    from newword import publish

    home = home_of(args)
    versions = [home.version(args.version)] if args.version else home.versions()
    if not versions:
        raise NewwordError(f"{home.path}: no published versions (run `newword refresh` first)")
    for version in versions:
        names = publish.verify(version)
        print(f"{version.id}\tok\t{len(names)} files match the manifest's SHA-256")
    return 0


def _show(args: argparse.Namespace) -> int:
    from newword import publish

    version = verified(home_of(args), args.version)
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

    home = home_of(args)
    rows = publish.diff(verified(home, args.old), verified(home, args.new), include_changed=args.changed)
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

    version = verified(home_of(args), args.version)
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

    home = home_of(args)
    version = verified(home, args.version)
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


def add_versions(commands) -> None:
    versions = commands.add_parser(
        "versions",
        help="list the published versions",
        description="One line per published version, oldest first: id, time, words, documents, new documents, characters, checks.",
    )
    versions.add_argument("--home", help=HOME_HELP)
    versions.add_argument("--format", choices=("text", "json"), default="text", help="default text (one line per version)")
    versions.set_defaults(run=_versions)


def add_show(commands) -> None:
    show = commands.add_parser(
        "show",
        help="describe one published version",
        description="Print a version's manifest and its top words. VERSION is an id (v000003 or 3), latest or previous.",
    )
    show.add_argument("version", metavar="VERSION")
    show.add_argument("--home", help=HOME_HELP)
    show.add_argument("--top", type=options.integer("--top", minimum=0), default=20, help="top words to print (default 20)")
    show.add_argument("--format", choices=("text", "json"), default="text", help="default text")
    show.set_defaults(run=_show)


def add_verify(commands) -> None:
    verify = commands.add_parser(
        "verify",
        help="check published versions against their manifests",
        description="Check that every file of a version (default: every version) matches the SHA-256 recorded in its "
        "manifest when it was published. Exit 1 naming the first file that is missing, truncated or changed.",
    )
    verify.add_argument("version", metavar="VERSION", nargs="?", help="a version id, latest or previous (default: all)")
    verify.add_argument("--home", help=HOME_HELP)
    verify.set_defaults(run=_verify)


def add_diff(commands) -> None:
    diff = commands.add_parser(
        "diff",
        help="words added and removed between two versions",
        description="One line per word added in NEW (+word<TAB>count) and removed from OLD (-word<TAB>count); with "
        "--changed also words whose count changed (~word<TAB>old<TAB>new).",
    )
    diff.add_argument("old", metavar="OLD")
    diff.add_argument("new", metavar="NEW")
    diff.add_argument("--changed", action="store_true", help="also list words whose count changed")
    diff.add_argument("--home", help=HOME_HELP)
    diff.add_argument("--format", choices=("text", "json"), default="text", help="default text (+word, -word, ~word lines)")
    diff.set_defaults(run=_diff)


def add_export(commands) -> None:
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
    export.add_argument("--home", help=HOME_HELP)
    export.set_defaults(run=_export)


def add_report(commands) -> None:
    report_cmd = commands.add_parser(
        "report",
        help="the HTML report of a version",
        description="Write one self-contained HTML page for a version (corpus and parameters, top new words, what "
        "changed since the previous version, distributions as inline SVG charts, the validation summary). Every "
        "refresh writes it as report.html in the version folder; without --output this prints that file's path.",
    )
    report_cmd.add_argument("version", metavar="VERSION")
    report_cmd.add_argument("--output", help="write the page to this file")
    report_cmd.add_argument("--home", help=HOME_HELP)
    report_cmd.set_defaults(run=_report)
