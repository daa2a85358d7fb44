"""Generalisation harness: newword discover on development and held-out corpora, scored the same way.

    .venv/bin/python benchmarks/generalisation.py --mode topwords [--corpora hkcancor,ctcpc] [--out DIR]

For each corpus (benchmarks/heldout.py fetches and parses them; none of the held-out ones was used to
tune newword) it runs

    newword discover CORPUS.txt --db X.duckdb --output X.tsv --known-words jieba --mode MODE --quiet

and, where a gold segmentation exists (peoples-daily, hkcancor),

    newword evaluate --gold CORPUS.gold.txt --known-words jieba --mode MODE --quiet

and writes, under --out (default docs/quality/MODE): `summary.md` (the table below and the
definitions), `summary.json`, and `top100-CORPUS.md` per corpus.

Check lexicons: pkuseg, friso, jionlp, wordfreq (heldout.LEXICONS), never jieba, which is the
known-words list. Only their words made of CJK characters (U+4E00..U+9FFF) are used. For the
traditional-script corpora (hkcancor, ctcpc, poetry-tang) a word is looked up as it is and after
OpenCC t2s; both are reported.

Definitions
-----------
(a) Top 100 new words: lexicon rows with is_known false and length >= 2, in the TSV's order (count
    descending). For each: the check lexicons holding the word as it is, the ones holding its t2s
    form, whether jieba holds the t2s form (traditional corpora: "new" is often just the traditional
    spelling of a known word) -- hints for a human reader, not verdicts.

(b) Lexicon recall of frequent dictionary words, two variants:
    - recall (text), for every corpus, independent of any segmentation. S is the corpus text (t2s for
      traditional corpora). Candidate words: length 2..8, in at least TWO of the four check
      lexicons (agreement of independent dictionaries, so one lexicon's phrases or junk do not
      become targets). An occurrence of a candidate in S is *clean* when no other candidate
      occurrence contains it or crosses it (overlaps it without lying inside it); candidates inside
      it are allowed. Target = candidates with at least 50 clean occurrences. So 国人 counted inside
      中国人 does not make 国人 a target (a method that keeps 中国人 whole is not punished for
      missing 国人), and 面的 (a minibus, in the dictionaries) counted inside 方面的 does not make
      面的 a target. Only occurrences where the dictionaries leave no other reading count, so every
      target is a word a good segmenter would output at least 50 times in this text. Recall =
      targets found in the lexicon (a lexicon word equal to the target as it is or after t2s) /
      targets. It uses only the text and dictionaries, never a method's output, so it favours
      neither mode, and it is the same for all corpora. Recall rewards a bigger lexicon: read it
      with `in dict` (below) and the fragments column.
    - recall (gold), where a gold segmentation exists: gold word types of length >= 2 made of CJK
      characters, occurring at least 50 times as gold tokens, and found in at least ONE check
      lexicon (as is or after t2s; the gold already vouches that they are words). Recall = those
      in the discovered lexicon (as is) / those.
(c) 5+ share: lexicon words (all, known or new) of 5 or more characters / lexicon words.
(d) F1: `newword evaluate` word-span F1 (CJK words only) of the segmentation with the version that
    discovery publishes from the gold's raw text (the same text as CORPUS.txt), gold corpora only.
(e) Fragments in top 100: top-100 new words w that are a proper substring of a longer word L where
    L is a word of the same lexicon with count(L) >= count(w) / 2, or L is a word of any check
    lexicon (t2s text and word for traditional corpora) occurring in the corpus at least
    count(w) / 2 times as a substring (count(w) is the TSV count).

`in dict` (a precision proxy): lexicon words of length >= 2 found, as is or after t2s, in jieba or
any check lexicon / lexicon words of length >= 2. Truly new words lower it, so it is a proxy only.

Context columns: `new (t2s)`: new words whose t2s form is not in jieba either (traditional corpora;
equal to `new` otherwise), since jieba is a simplified dictionary and calls most traditional
spellings new. `F1 jieba`: jieba's F1 from `newword evaluate --baseline jieba` (supervised). `F1
singles`: every CJK character a word, scored the same way (a floor: conversational Cantonese has
many one-character words).

Columns `docs`, `chars`: documents (lines) and characters (newlines excluded) of the corpus file;
`lexicon`: rows of the TSV; `new`: rows with is_known false and length >= 2; `top100 in lex`: top-100
new words in at least one check lexicon, as is or after t2s (a hint of real words).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import heldout

ROOT = heldout.ROOT
MIN_FREE = 50
MIN_GOLD = 50
MAX_LEN = 8
TOP = 100
CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
CJK_WORD = re.compile(r"[\u4e00-\u9fff]+")


def newword_bin() -> str:
    beside = Path(sys.executable).parent / "newword"
    if beside.exists():
        return str(beside)
    venv = ROOT / ".venv" / "bin" / "newword"
    return str(venv) if venv.exists() else "newword"


def _t2s():
    import opencc

    return opencc.OpenCC("t2s").convert


class Lexicons:
    """The check lexicons, their union and the words in at least two of them; t2s forms on demand."""

    def __init__(self, cache: Path) -> None:
        self.sets = {name: heldout.lexicon(name, cache) for name in heldout.LEXICONS}
        votes: Counter[str] = Counter()
        for words in self.sets.values():
            votes.update(words)
        self.union = set(votes)
        self.multi = {w for w, n in votes.items() if n >= 2 and 2 <= len(w) <= MAX_LEN}
        sys.path.insert(0, str(ROOT))
        from newword import corpora

        self.jieba = set(corpora.jieba_words())

    def holding(self, word: str) -> list[str]:
        return [name for name, words in self.sets.items() if word in words]


# ---------------------------------------------------------------------------------------------
# (b) targets from the text


def clean_counts(text: str, words: set[str]) -> Counter[str]:
    """Unambiguous occurrences of each word of `words` (2..MAX_LEN chars) in the CJK runs of text:
    those that no other occurrence of a word of `words` contains or crosses (overlaps without being
    inside it). Words inside it are allowed: 中国人 is clean in 中国人民 only if 中国人民 is not a word."""
    clean: Counter[str] = Counter()
    for match in CJK_RUN.finditer(text):
        run = match.group()
        n = len(run)
        if n < 2:
            continue
        found = [
            (i, i + length) for i in range(n - 1) for length in range(2, min(MAX_LEN, n - i) + 1) if run[i : i + length] in words
        ]
        if not found:
            continue
        by_start: dict[int, list[int]] = {}
        for i, e in found:
            by_start.setdefault(i, []).append(e)
        for i, e in found:
            ok = True
            for j in range(max(0, i - MAX_LEN + 1), e):
                for f in by_start.get(j, ()):
                    if (j, f) == (i, e) or f <= i or (j >= i and f <= e):
                        continue  # itself, disjoint (ends before), or inside it
                    ok = False
                    break
                if not ok:
                    break
            if ok:
                clean[run[i:e]] += 1
    return clean


def text_targets(name: str, text_simplified: str, lex: Lexicons, cache: Path) -> dict[str, int]:
    path = cache / "targets" / f"{name}.json"
    key = {
        "definition": "clean",
        "min_free": MIN_FREE,
        "max_len": MAX_LEN,
        "lexicons": {k: len(v) for k, v in lex.sets.items()},
        "chars": len(text_simplified),
    }
    if path.exists():
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored.get("key") == key:
            return stored["targets"]
    counts = clean_counts(text_simplified, lex.multi)
    targets = {w: c for w, c in counts.most_common() if c >= MIN_FREE}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"key": key, "targets": targets}, ensure_ascii=False), encoding="utf-8")
    return targets


def gold_targets(gold: Path, lex: Lexicons, t2s) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for line in gold.read_text(encoding="utf-8").splitlines():
        counts.update(w for w in line.split() if len(w) >= 2 and CJK_WORD.fullmatch(w))
    return {w: c for w, c in counts.most_common() if c >= MIN_GOLD and (w in lex.union or t2s(w) in lex.union)}


# ---------------------------------------------------------------------------------------------
# runs


def read_tsv(path: Path) -> list[dict]:
    rows = []
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t"), strict=True))
        rows.append(
            {
                "word": row["word"],
                "count": int(row["count"]),
                "length": int(row["length"]),
                "cohesion": float(row["cohesion"]) if row["cohesion"] else None,  # empty past --max-n
                "is_known": row["is_known"].lower() == "true",
            }
        )
    return rows


def run(command: list[str]) -> tuple[str, float]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"`{' '.join(command)}` exited {done.returncode}: {done.stderr.strip()[-800:]}")
    return done.stdout, time.perf_counter() - started


def evaluate(gold: Path, mode: str) -> dict:
    out, seconds = run(
        [
            newword_bin(),
            "evaluate",
            "--gold",
            str(gold),
            "--mode",
            mode,
            "--known-words",
            "jieba",
            "--baseline",
            "jieba",
            "--quiet",
        ]
    )
    row = re.search(r"^newword \S+\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$", out, flags=re.MULTILINE)
    jieba = re.search(r"^jieba \(supervised\)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$", out, flags=re.MULTILINE)
    lexicon = re.search(r"lexicon: ([\d,]+) words, ([\d,]+) are gold words: precision ([\d.]+)", out)
    if not row:
        raise RuntimeError(f"newword evaluate: no score row in:\n{out}")
    return {
        "precision": float(row.group(1)),
        "recall": float(row.group(2)),
        "f1": float(row.group(3)),
        "gold_type_precision": float(lexicon.group(3)) if lexicon else None,
        "seconds": round(seconds, 1),
        "jieba_f1": float(jieba.group(3)) if jieba else None,
        "singles_f1": singles_f1(gold),
        "output": out,
    }


def singles_f1(gold: Path) -> float:
    """Span F1 of the trivial segmentation, every character a word, scored as newword evaluate scores."""
    sys.path.insert(0, str(ROOT))
    from newword.evaluate import read_gold, score_spans

    lines = read_gold(gold)
    return round(score_spans(lines, ([c for c in "".join(line)] for line in lines), r"[\u4e00-\u9fff]+").f1, 4)


def fragments(top: list[dict], rows: list[dict], lex: Lexicons, text_s: str, convert) -> dict[str, str]:
    """(e): for each top word that is a fragment, the longer word and its count that make it one."""
    found: dict[str, str] = {}
    for row in top:
        w, half = row["word"], row["count"] / 2
        for other in rows:  # same lexicon
            if len(other["word"]) > len(w) and w in other["word"] and other["count"] >= half:
                found[w] = f"{other['word']} ({other['count']}, lexicon)"
                break
    wanted = {convert(r["word"]): r for r in top if r["word"] not in found}
    containing: dict[str, set[str]] = {}
    for word in lex.union:
        n = len(word)
        if n < 3 or n > 16:
            continue
        for length in range(2, n):
            for i in range(n - length + 1):
                piece = word[i : i + length]
                if piece in wanted:
                    containing.setdefault(piece, set()).add(word)
    cache: dict[str, int] = {}
    for piece, longer in containing.items():
        row = wanted[piece]
        best = None
        for word in sorted(longer, key=lambda x: (-len(x), x)):
            if word not in cache:
                cache[word] = text_s.count(word)
            if cache[word] >= row["count"] / 2 and (best is None or cache[word] > best[1]):
                best = (word, cache[word])
        if best:
            found[row["word"]] = f"{best[0]} ({best[1]}, {'/'.join(lex.holding(best[0]))})"
    return found


def score_corpus(name: str, mode: str, lex: Lexicons, cache: Path, out: Path, t2s) -> dict:
    corpus = heldout.corpus(name, cache)
    text = corpus.text.read_text(encoding="utf-8")
    convert = t2s if corpus.traditional else (lambda s: s)
    text_s = t2s(text) if corpus.traditional else text
    work = cache / "runs" / mode
    work.mkdir(parents=True, exist_ok=True)
    db, tsv = work / f"{name}.duckdb", work / f"{name}.tsv"
    for stale in (db, tsv, Path(f"{db}.wal")):
        stale.unlink(missing_ok=True)
    shutil.rmtree(Path(f"{db}.tmp"), ignore_errors=True)
    _, discover_seconds = run(
        [
            newword_bin(),
            "discover",
            str(corpus.text),
            "--db",
            str(db),
            "--output",
            str(tsv),
            "--known-words",
            "jieba",
            "--mode",
            mode,
            "--quiet",
        ]
    )
    rows = read_tsv(tsv)
    words = {r["word"] for r in rows}
    words_s = {convert(w) for w in words} | words
    new = [r for r in rows if not r["is_known"] and r["length"] >= 2]
    top = new[:TOP]
    new_t2s = [r for r in new if convert(r["word"]) not in lex.jieba] if corpus.traditional else new
    multi = [r["word"] for r in rows if r["length"] >= 2]
    in_dict = sum(1 for w in multi if any(x in lex.union or x in lex.jieba for x in {w, convert(w)}))

    targets = text_targets(name, text_s, lex, cache)
    found_text = [w for w in targets if w in words_s]
    result = {
        "corpus": name,
        "split": corpus.split,
        "traditional": corpus.traditional,
        "source": corpus.source,
        "documents": text.count("\n"),
        "characters": len(text) - text.count("\n"),
        "cjk_characters": sum(len(m) for m in CJK_RUN.findall(text)),
        "lexicon_words": len(rows),
        "new_words": len(new),
        "new_words_t2s": len(new_t2s),
        "in_dict": in_dict / len(multi) if multi else None,
        "share_5plus": sum(1 for r in rows if r["length"] >= 5) / len(rows) if rows else 0.0,
        "recall_text": {
            "targets": len(targets),
            "found": len(found_text),
            "recall": len(found_text) / len(targets) if targets else None,
            "missed_top": [w for w in targets if w not in words_s][:30],
        },
        "discover_seconds": round(discover_seconds, 1),
    }
    if corpus.gold:
        gold = gold_targets(corpus.gold, lex, t2s)
        found_gold = [w for w in gold if w in words]
        result["recall_gold"] = {
            "targets": len(gold),
            "found": len(found_gold),
            "recall": len(found_gold) / len(gold) if gold else None,
            "missed_top": [w for w in gold if w not in words][:30],
        }
        result["evaluate"] = evaluate(corpus.gold, mode)
    frag = fragments(top, rows, lex, text_s, convert)
    listing = []
    for rank, r in enumerate(top, start=1):
        w = r["word"]
        s = convert(w)
        listing.append(
            {
                "rank": rank,
                "word": w,
                "count": r["count"],
                "length": r["length"],
                "cohesion": None if r["cohesion"] is None else round(r["cohesion"], 1),
                "lexicons": lex.holding(w),
                "lexicons_t2s": lex.holding(s) if s != w else [],
                "t2s": s if s != w else "",
                "jieba_t2s": bool(s != w and s in lex.jieba),
                "fragment_of": frag.get(w, ""),
            }
        )
    result["top"] = listing
    if corpus.traditional:  # the words new even after t2s: the traditional spellings of jieba words left out
        result["top_t2s"] = [
            {
                "word": r["word"],
                "t2s": convert(r["word"]),
                "count": r["count"],
                "lexicons_t2s": lex.holding(convert(r["word"])),
                "lexicons": lex.holding(r["word"]),
            }
            for r in new_t2s[:TOP]
        ]
    result["fragments_top100"] = sum(1 for x in listing if x["fragment_of"])
    result["top100_in_lexicons"] = sum(1 for x in listing if x["lexicons"] or x["lexicons_t2s"])
    write_top(out / f"top100-{name}.md", result, mode)
    return result


def write_top(path: Path, result: dict, mode: str) -> None:
    lines = [
        f"# {result['corpus']} ({result['split']}), mode {mode}: top {TOP} new words",
        "",
        (
            f"Source: {result['source']}. New = is_known false (jieba) and length >= 2, in the TSV's order (count "
            "descending). `check lexicons` is a hint, not a verdict. `fragment of` is check (e)."
        ),
        "",
    ]
    traditional = result["traditional"]
    head = "| # | word | count | cohesion | check lexicons |"
    rule = "|---|---|---:|---:|---|"
    if traditional:
        head += " t2s | lexicons (t2s) | jieba (t2s) |"
        rule += "---|---|---|"
    head += " fragment of |"
    rule += "---|"
    lines += [head, rule]
    for x in result["top"]:
        cells = [
            str(x["rank"]),
            x["word"],
            str(x["count"]),
            "-" if x["cohesion"] is None else f"{x['cohesion']:.1f}",
            ", ".join(x["lexicons"]) or "-",
        ]
        if traditional:
            cells += [x["t2s"] or "=", ", ".join(x["lexicons_t2s"]) or "-", "yes" if x["jieba_t2s"] else "-"]
        cells.append(x["fragment_of"] or "-")
        lines.append("| " + " | ".join(cells) + " |")
    if "top_t2s" in result:
        lines += [
            "",
            f"## Top {TOP} words new even after t2s (t2s form not in jieba)",
            "",
            "| # | word | t2s | count | check lexicons (as is) | check lexicons (t2s) |",
            "|---|---|---|---:|---|---|",
        ]
        for rank, x in enumerate(result["top_t2s"], start=1):
            lines.append(
                f"| {rank} | {x['word']} | {x['t2s']} | {x['count']} | {', '.join(x['lexicons']) or '-'} | "
                f"{', '.join(x['lexicons_t2s']) or '-'} |"
            )
    text_recall = result["recall_text"]
    lines += ["", f"Recall (text) targets missed, most frequent first: {' '.join(text_recall['missed_top']) or '-'}"]
    if "recall_gold" in result:
        lines += [
            "",
            f"Recall (gold) targets missed, most frequent first: {' '.join(result['recall_gold']['missed_top']) or '-'}",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _pct(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def summary_table(results: list[dict]) -> list[str]:
    lines = [
        "| corpus | split | docs | chars | lexicon | new | new (t2s) | in dict | recall (text) | recall (gold) | 5+ share | F1 | F1 jieba | F1 singles | fragments in top 100 | top100 in lex |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        rt = r["recall_text"]
        rg = r.get("recall_gold")
        e = r.get("evaluate", {})
        f1 = e.get("f1")
        lines.append(
            f"| {r['corpus']} | {r['split']} | {r['documents']:,} | {r['characters']:,} | {r['lexicon_words']:,} | {r['new_words']:,} | "
            f"{r['new_words_t2s']:,} | {_pct(r['in_dict'])} | "
            f"{_pct(rt['recall'])} ({rt['found']}/{rt['targets']}) | "
            + (f"{_pct(rg['recall'])} ({rg['found']}/{rg['targets']})" if rg else "-")
            + f" | {r['share_5plus']:.3f} | {_pct(f1)} | {_pct(e.get('jieba_f1'))} | {_pct(e.get('singles_f1'))}"
            f" | {r['fragments_top100']} | {r['top100_in_lexicons']} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", default="topwords", choices=["topwords", "reference"])
    parser.add_argument(
        "--corpora", default=",".join(heldout.CORPORA), help=f"comma-separated (default all: {','.join(heldout.CORPORA)})"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="folder for summary.md and the top-100 lists (default docs/quality/MODE)"
    )
    parser.add_argument(
        "--cache", type=Path, default=heldout.DEFAULT_CACHE, help="downloads, parsed corpora and runs (default data/bench-cache)"
    )
    args = parser.parse_args(argv)
    out = args.out or Path(__file__).resolve().parent.parent / "docs" / "quality" / args.mode
    out.mkdir(parents=True, exist_ok=True)
    names = [n.strip() for n in args.corpora.split(",") if n.strip()]
    unknown = [n for n in names if n not in heldout.CORPORA]
    if unknown:
        parser.error(f"unknown corpora {', '.join(unknown)}; choose from {', '.join(heldout.CORPORA)}")
    os.environ.setdefault("NEWWORD_CACHE", str(args.cache / "newword"))
    t2s = _t2s()
    lex = Lexicons(args.cache)
    results, failures = [], []
    for name in names:
        started = time.perf_counter()
        try:
            result = score_corpus(name, args.mode, lex, args.cache, out, t2s)
        except (heldout.FetchError, RuntimeError) as error:
            failures.append(f"{name}: {error}")
            print(f"{name}: FAILED: {error}", file=sys.stderr)
            continue
        result["seconds"] = round(time.perf_counter() - started, 1)
        results.append(result)
        print(f"{name}: done in {result['seconds']} s (discover {result['discover_seconds']} s)", file=sys.stderr)
    doc = __doc__.split("Definitions\n-----------\n", 1)[1]
    lines = [f"# Generalisation, mode {args.mode}", "", *summary_table(results), ""]
    if failures:
        lines += ["Failed:", "", *[f"- {f}" for f in failures], ""]
    lines += [
        "Lexicon sizes (CJK words): "
        + ", ".join(f"{k} {len(v):,}" for k, v in lex.sets.items())
        + f"; in two or more: {len(lex.multi):,} (length 2..{MAX_LEN})",
        "",
        "## Definitions",
        "",
        doc.rstrip(),
        "",
    ]
    for r in results:
        if "evaluate" in r:
            e = r["evaluate"]
            lines += [
                (
                    f"`newword evaluate` on {r['corpus']}: span P {e['precision']:.4f} R {e['recall']:.4f} F1 {e['f1']:.4f}; "
                    f"lexicon precision against gold types {_pct(e['gold_type_precision'])}"
                ),
                "",
            ]
    (out / "summary.md").write_text("\n".join(lines), encoding="utf-8")
    for r in results:
        r.get("evaluate", {}).pop("output", None)
    (out / "summary.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print("\n".join(summary_table(results)))
    print(f"\nwritten: {out}/summary.md, summary.json, top100-*.md")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
