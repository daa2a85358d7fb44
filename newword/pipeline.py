"""The discovery pipeline: ingest, then the steps of algorithm.md as the SQL files in sql/.

The steps of each mode are declared once, in STEPS (printed by `newword steps`): their order, the
tables each reads and makes, and the statements or function that make them. discover, refresh, the
flows and the cluster path all run them through run_steps.

A build writes into a private temporary warehouse beside the target; only a build that ends well
replaces the warehouse and the TSV, each with one atomic rename, so a failure or an interrupt
never leaves a half-written output.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
import math
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from newword import __version__, distributed, ingest, sqlfiles, warehouse
from newword.errors import NewwordError, UsageError
from newword.home import check_output
from newword.numbers import rounded
from newword.progress import Progress
from newword.settings import Settings


@dataclasses.dataclass(frozen=True)
class Build:
    """Everything a build needs; plain data, so it can be handed to orchestrator tasks."""

    sources: tuple[str, ...]
    db: Path
    output: Path | None
    settings: Settings
    ingest: ingest.IngestOptions
    dedupe: bool
    workdir: Path
    started_at: str
    accumulate: bool = False  # refresh: add unseen documents to the corpus copied from `db`
    known_words: str | None = None  # a word-list file, or "jieba"; None keeps a home's list (or none)
    window_days: float | None = None  # only documents of the last N days (own date, else ingestion)
    quarantine: Path | None = None  # set unreadable sources aside here (with the reason) instead of failing

    @property
    def window_start(self) -> str | None:
        if self.window_days is None:
            return None
        start = datetime.datetime.fromisoformat(self.started_at) - datetime.timedelta(days=self.window_days)
        return start.isoformat()

    @property
    def scratch_db(self) -> Path:
        return self.workdir / "warehouse.duckdb"

    @property
    def staging(self) -> Path:
        return self.workdir / "documents.jsonl"

    def parameters(self) -> dict:
        lengths = sorted(self.settings.min_cohesion)
        return {
            "max_n": self.settings.max_n,
            "mode": self.settings.mode,
            "segment_min_count": self.settings.segment_min_count,
            "min_count": self.settings.min_count,
            "pattern": self.settings.pattern,
            "non_class_pattern": self.settings.non_class_pattern,
            "threshold_lengths": lengths,
            "threshold_values": [float(self.settings.min_cohesion[k]) for k in lengths],
            "dedupe": self.dedupe,
            "staging_path": str(self.staging),
            "known_words_path": str(self.workdir / "known_words.txt"),
            "after_doc_id": 0,
            "window_start": self.window_start,
            "version": __version__,
            "parameters": self.settings.to_json(),
            "started_at": self.started_at,
        }


@dataclasses.dataclass
class Result:
    db: Path
    output: Path | None
    documents: int
    sentences: int
    characters: int
    words: int
    message: str  # why the lexicon is empty, or ""
    timings: dict[str, float]


def start(
    sources: list[str] | tuple[str, ...],
    db: str | Path,
    output: str | Path | None = None,
    settings: Settings | None = None,
    options: ingest.IngestOptions | None = None,
    dedupe: bool = True,
    accumulate: bool = False,
    known_words: str | None = None,
    window_days: float | None = None,
    quarantine: Path | None = None,
) -> Build:
    """Check the target and make the scratch folder (beside the target, for atomic renames).

    With `accumulate`, the scratch warehouse starts as a copy of the existing one (its corpus)."""
    if not sources:
        raise NewwordError("no SOURCE given: name files, folders, globs or URLs")
    if window_days is not None and not window_days > 0:
        raise UsageError(f"--window-days must be > 0 (got {window_days})")
    db = Path(db)
    if db.exists() and not db.is_file():
        raise NewwordError(f"{db}: exists and is not a database file")
    if output is not None and Path(output).is_dir():
        raise NewwordError(f"{output}: is a folder; --output takes a file name")
    if output is not None and Path(output).resolve() == db.resolve():
        raise NewwordError(f"--output {output} is the warehouse file too: give them different names")
    if not accumulate:  # a refresh's warehouse is its home's own
        inputs = ingest.local_inputs(list(sources))
        check_output(db, "--db", inputs)
        if output is not None:
            check_output(Path(output), "--output", inputs)
    for target in (db, Path(output) if output else None):
        if target is not None:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise NewwordError(f"{target.parent}: cannot create folder: {exc.strerror}") from None
    if not accumulate:  # a refresh works on a copy and replaces the file: readers of it never block it
        warehouse.ensure_writable(db)
    _remove_stale_builds(db)
    workdir = Path(tempfile.mkdtemp(prefix=f".{db.name}.build-{os.getpid()}-", dir=db.parent))
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    if accumulate and db.exists():
        shutil.copyfile(db, workdir / "warehouse.duckdb")
    return Build(
        sources=tuple(sources),
        db=db,
        output=Path(output) if output else None,
        settings=settings or Settings(),
        ingest=options or ingest.IngestOptions(),
        dedupe=dedupe,
        workdir=workdir,
        started_at=now,
        accumulate=accumulate,
        known_words=known_words,
        window_days=window_days,
        quarantine=quarantine,
    )


def _remove_stale_builds(db: Path) -> None:
    """Scratch folders of builds whose process is gone (killed with SIGKILL, the machine restarted)."""
    for folder in db.parent.glob(f".{db.name}.build-*"):
        pid = folder.name.removeprefix(f".{db.name}.build-").split("-", 1)[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(folder, ignore_errors=True)


def abort(build: Build) -> None:
    """Forget a build: remove its scratch folder; the previous outputs stay as they were."""
    shutil.rmtree(build.workdir, ignore_errors=True)


@contextlib.contextmanager
def _scratch(build: Build, connection=None, create: bool = False):
    """The given connection to the scratch warehouse, else one opened here and closed after."""
    if connection is not None:
        yield connection
        return
    con = warehouse.connect(build.scratch_db, create=create)
    try:
        yield con
    finally:
        con.close()


def quarantine_source(folder: Path, source: ingest.Source, error: NewwordError) -> None:
    """Move a source that cannot be read into `folder`, with the reason beside it (NAME.reason.txt)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.path.name
    number = 1
    while target.exists() or target.with_name(target.name + ".reason.txt").exists():  # two files of one name
        number += 1
        target = folder / f"{source.path.stem}-{number}{source.path.suffix}"
    try:
        shutil.move(source.path, target)
    except OSError as exc:
        raise NewwordError(f"{source.name}: cannot be read ({error}) nor set aside in {folder}: {exc.strerror}") from None
    target.with_name(target.name + ".reason.txt").write_text(f"{source.name}\n{error}\n", encoding="utf-8")


def set_aside(folder: Path | None) -> list[tuple[str, str]]:
    """What a build set aside in its quarantine folder: (source, reason) pairs, by file name."""
    if folder is None or not folder.is_dir():
        return []
    return [tuple(p.read_text(encoding="utf-8").splitlines()[:2]) for p in sorted(folder.glob("*.reason.txt"))]


def run_documents(build: Build, on_source: Callable[[int, ingest.Source], None] | None = None, connection=None) -> int:
    """Ingest every source into the documents table; fail on an empty corpus.

    Returns the documents added: all of them, or with `accumulate` those whose content is new.
    `connection`: an open connection to the scratch warehouse (discover keeps one for every step)."""
    downloads = build.workdir / "downloads"
    downloads.mkdir(exist_ok=True)
    files = ingest.expand(list(build.sources), build.ingest, downloads)
    set_aside = functools.partial(quarantine_source, build.quarantine) if build.quarantine else None
    documents, _ = ingest.write_staging(files, build.ingest, build.staging, on_source, set_aside)
    if documents == 0:
        raise NewwordError(f"empty corpus: no documents in {', '.join(build.sources)}")
    with _scratch(build, connection, create=True) as con:
        if build.accumulate and sqlfiles.exists(con, "documents"):
            rows = sqlfiles.append(con, "documents", "new_documents", build.parameters())
        else:
            rows = sqlfiles.materialise(con, "documents", {**build.parameters(), "dedupe": build.dedupe or build.accumulate})
        if build.known_words is not None or not sqlfiles.exists(con, "known_words"):
            known = build.workdir / "known_words.txt"
            if build.known_words is None:
                known.write_text("", encoding="utf-8")
            else:
                ingest.write_known_words(build.known_words, known)
            sqlfiles.materialise(con, "known_words", build.parameters())
            known.unlink()
    build.staging.unlink()
    shutil.rmtree(downloads, ignore_errors=True)
    return rows


@dataclasses.dataclass(frozen=True)
class Step:
    """One step of a build: the table it makes (its name: the progress line's, the flow task's and
    docs/algorithm.md's), the tables it reads, what makes it (statements in sql/, or a function here
    that runs them), and the other tables it writes or drops on the way."""

    name: str
    reads: tuple[str, ...]
    made_by: tuple[str, ...]  # statements of sql/ by name, and modules (newword.x) that do the rest
    run: Callable[..., int]  # (connection, build, mapper) -> rows of its table
    also: tuple[str, ...] = ()
    drops: tuple[str, ...] = ()


def _documents(con, build: Build, mapper) -> int:
    return run_documents(build, connection=con)


def _sentences(con, build: Build, mapper) -> int:
    """The sentences (only the new documents' in a refresh), and the distinct ones (sentence_types),
    which are counted once and cut once; the cluster's reference cut is kept per piece, with none."""
    if build.accumulate:
        rows = _count_incrementally(con, build, "sentences", mapper)
    else:
        rows = sqlfiles.materialise(con, "sentences", build.parameters())
    if rows == 0:
        documents = sqlfiles.row_count(con, "documents")
        if build.window_days is not None:
            raise NewwordError(
                f"no Chinese text in the window: no document of the last {build.window_days:g} days has characters of class {build.settings.chars}"
            )
        hint = "" if build.settings.chars != "cjk" else " (--chars cjk+alnum also counts ASCII letters and digits)"
        raise NewwordError(
            f"no Chinese text: none of the {documents:,} documents has characters of class {build.settings.chars}{hint}"
        )
    if mapper is not None and build.settings.mode == "reference":
        sqlfiles.drop(con, "sentence_types")
    else:
        sqlfiles.materialise(con, "sentence_types", build.parameters())
    return rows


def _ngram_counts(con, build: Build, mapper) -> int:
    if build.accumulate:
        return _count_incrementally(con, build, "ngram_counts", mapper)
    return count_ngrams(con, build.parameters())


def _cohesion(con, build: Build, mapper) -> int:
    sqlfiles.materialise(con, "cohesion_thresholds", build.parameters())
    return sqlfiles.materialise(con, "cohesion", build.parameters())


def _reference_cut(con, build: Build, mapper) -> int:
    for table in ("word_sentences", "word_scores", "word_neighbours", "word_examples"):  # a previous topwords build's
        sqlfiles.drop(con, table)
    if mapper is not None:  # cut in the workers, kept per piece
        return distributed.cut_pieces(con, build.parameters(), build.workdir / "exchange", mapper)
    return sqlfiles.materialise(con, "cut", build.parameters())


def _statement(name: str) -> Callable[..., int]:
    """A step made by one statement of sql/."""
    return lambda con, build, mapper: sqlfiles.materialise(con, name, build.parameters())


def _topwords_lexicon(con, build: Build, mapper) -> int:
    rows = sqlfiles.materialise(con, "lexicon__topwords", build.parameters())
    sqlfiles.materialise(con, "word_examples", build.parameters())
    return rows


_COMMON = (
    Step("documents", ("the sources",), ("newword.ingest", "documents", "new_documents", "known_words"), _documents,
         also=("known_words",)),
    Step("sentences", ("documents",), ("sentences", "sentence_types"), _sentences, also=("sentence_types",)),
    Step("ngram_counts", ("sentence_types",), ("sentence_codes", "ngram_levels__characters", "ngram_level", "ngram_counts",
         "new_ngram_counts", "merge_ngram_totals", "unseen_ngrams", "ngram_counts__incremental", "counting_state"),
         _ngram_counts, also=("ngram_totals", "counting_state")),
    Step("cohesion", ("ngram_counts",), ("cohesion_thresholds", "cohesion"), _cohesion, also=("cohesion_thresholds",)),
)  # fmt: skip

# The steps of each mode, in order: the only place that order is written.
STEPS: dict[str, tuple[Step, ...]] = {
    "topwords": _COMMON + (
        Step("cut", ("sentence_types", "known_words"),
             ("word_sentences", "known_prefixes", "candidate_shards", "candidate_tallies", "candidate_ngrams", "word_candidates",
              "candidate_words", "word_places", "newword.topwords",
              "word_scores", "cut__topwords", "word_neighbours"), lambda con, build, mapper: _topwords_cut(con, build, mapper),
             also=("word_sentences", "word_scores", "word_neighbours")),
        Step("candidates", ("cut",), ("candidates",), _statement("candidates")),
        Step("lexicon", ("word_scores", "candidates", "word_neighbours", "cut", "word_sentences", "cohesion", "known_words", "sentences", "documents"),
             ("lexicon__topwords", "word_examples"), _topwords_lexicon, also=("word_examples",)),
    ),
    "reference": _COMMON + (
        Step("cut", ("sentence_types", "cohesion"), ("cut", "cut__cluster"), _reference_cut,
             drops=("word_sentences", "word_scores", "word_neighbours", "word_examples")),
        Step("candidates", ("cut",), ("candidates",), _statement("candidates")),
        Step("lexicon", ("candidates", "cohesion", "known_words"), ("lexicon",), _statement("lexicon")),
    ),
}  # fmt: skip


def step_names(mode: str = "topwords") -> tuple[str, ...]:
    return tuple(step.name for step in STEPS[mode])


def run_step(build: Build, step: str, mapper: distributed.Mapper | None = None, connection=None) -> int:
    """Run one step of the build's mode into its table; return its rows.

    With a `mapper` (a refresh on a cluster), the counting of new n-grams, the reference cut and the
    topwords E-step run as tasks over shards (newword.distributed, topwords.fit); the tables they
    leave are the same."""
    found = [s for s in STEPS[build.settings.mode] if s.name == step]
    if not found:
        raise ValueError(f"unknown step {step!r}")
    if step == "documents":
        return run_documents(build, connection=connection)
    with _scratch(build, connection) as con:
        return found[0].run(con, build, mapper)


def run_steps(build: Build, call: Callable[..., Any], mapper: distributed.Mapper | None = None) -> None:
    """The steps after documents, in the order of STEPS, each as call(name, run_step, build, name, mapper):
    discover runs them with a progress line each, the flows as tasks, refresh either way."""
    for step in STEPS[build.settings.mode][1:]:
        call(step.name, run_step, build, step.name, mapper)


def count_ngrams(con, values: dict) -> int:
    """Step 2 level by level (apriori): the distinct sentences (sentence_types) as code points, the
    characters, then each length n from the n-grams kept at n - 1; ngram_counts is all levels, as
    algorithm.md's."""
    # Tables of the (scratch) warehouse, not TEMP tables: DuckDB scans a table in parallel a row group
    # at a time, and only the attached file takes a row group size (warehouse.ROW_GROUP_SIZE).
    sqlfiles.materialise(con, "sentence_codes", values)
    sqlfiles.materialise(con, "ngram_levels__characters", values)
    for n in range(2, values["max_n"] + 1):
        sqlfiles.append(con, "ngram_levels", "ngram_level", {**values, "n": n})
    rows = sqlfiles.materialise(con, "ngram_counts", values)
    sqlfiles.drop(con, "ngram_levels")
    sqlfiles.drop(con, "sentence_codes")
    # their space is freed only by a checkpoint: without one, discover (one connection) would write it
    # out as dead space; now the cut, written next, reuses it
    sqlfiles.checkpoint(con)
    return rows


def _topwords_cut(con, build: Build, mapper: distributed.Mapper | None = None) -> int:
    """Step 4 in topwords mode: count every candidate word (SQL, level by level), fit the word model by
    EM over the lattice of their places (numpy), keep each candidate's scores (word_scores) and cut
    every sentence by the most probable segmentation (cut). With a `mapper` (a refresh on a cluster)
    the lattice is kept in chunks of a shard's characters, in files, and each E-step maps over them."""
    from newword import topwords

    s = build.settings
    values = {**build.parameters(), "max_sentence": topwords.MAX_SENTENCE}
    sqlfiles.materialise(con, "word_sentences", values)
    sqlfiles.materialise(con, "known_prefixes", values)
    topwords.count_candidates(con, s.min_count, s.max_word_length)
    sqlfiles.materialise(con, "candidate_words", values)
    sqlfiles.drop(con, "known_prefixes")
    folder = build.workdir / "lattice"
    # while numpy holds the candidates and a chunk of the lattice, DuckDB keeps less in memory (its
    # default limit is up to 4 GB); a limit the user set (NEWWORD_MEMORY_LIMIT) is left alone
    lowered = not os.environ.get("NEWWORD_MEMORY_LIMIT")
    if lowered:
        con.execute("SET memory_limit = $limit", {"limit": f"{min(LATTICE_DUCKDB_MIB, _default_mib())}MiB"})
    try:
        words = sqlfiles.read_numpy(con, "candidate_words", ("word_id", "word", "length", "count", "is_known"))
        order = np.argsort(words["word_id"])
        word, length = words["word"][order], np.asarray(words["length"], dtype=np.int64)[order]
        counts, known = np.asarray(words["count"], dtype=np.int64)[order], np.asarray(words["is_known"], dtype=bool)[order]
        del words
        sentences = sqlfiles.read_numpy(con, "word_sentences", ("sentence_id", "length", "occurrences"))
        if known.any():  # the dictionary prior of TopWORDS-Seg; without a dictionary, plain TopWORDS
            strong, weak = topwords.crossings(word.tolist(), frozenset(word[known].tolist()))
            penalty = topwords.prior_penalty(strong, weak)
        else:
            penalty = np.zeros(word.size)
        n_words = word.size
        del word  # the candidates' strings: millions of Python objects at a gigabyte, not needed again
        if mapper is None:
            chunks = _lattice_chunks(con, sentences, length, folder)
        else:
            chunks = _lattice_chunks(con, sentences, length, folder, distributed.shard_characters(), in_files=True)
        del sentences
        for table in ("word_candidates", "candidate_ngrams"):  # the places are in the lattice now
            sqlfiles.drop(con, table)
        fitted = topwords.fit(chunks, counts, known, penalty=penalty, mapper=mapper)
        con.register(
            "word_fit",
            {
                "word_id": np.arange(n_words),
                "theta": fitted.theta,
                "expected_count": fitted.expected,
                "significance": fitted.psi,
            },
        )
        try:
            sqlfiles.materialise(con, "word_scores", {"min_significance": float(s.min_significance)})
        finally:
            con.unregister("word_fit")
        rows = 0
        neighbours = topwords.Neighbours(n_words)
        log_weight = topwords.viterbi_weight(fitted.theta, penalty)
        for i, lattice in enumerate(fitted.lattice):  # the cut of each chunk in turn, appended
            piece_sentence, piece_start, piece_word = topwords.viterbi(lattice, fitted.theta, penalty, log_weight)
            neighbours.add(lattice, piece_sentence, piece_start, piece_word)
            pieces = {"sentence_id": chunks.ids[i][piece_sentence], "piece_start": piece_start + 1, "length": length[piece_word]}
            del lattice, piece_sentence, piece_start, piece_word
            con.register("word_pieces", pieces)
            try:
                if i == 0:
                    rows = sqlfiles.materialise(con, "cut__topwords", values)
                else:
                    rows += sqlfiles.append(con, "cut", "cut__topwords", values)
            finally:
                con.unregister("word_pieces")
        con.register("neighbour_counts", neighbours.counts())
        try:
            sqlfiles.materialise(con, "word_neighbours", values)
        finally:
            con.unregister("neighbour_counts")
        sqlfiles.drop(con, "candidate_words")
        return rows
    finally:
        if lowered:
            con.execute("SET memory_limit = $limit", {"limit": warehouse.default_memory_limit()})
        shutil.rmtree(folder, ignore_errors=True)


# DuckDB's memory limit (MiB) while the topwords lattice is built, fitted and cut
LATTICE_DUCKDB_MIB = 1024


def _default_mib() -> int:
    return int(warehouse.default_memory_limit().removesuffix("MiB"))


# word_places rows read from SQL at a time when the lattice is built in chunks
PLACES_BATCH = 1 << 22
# A place of a candidate word in a chunk's file: its sentence (by index in the chunk), start, word.
_PLACE = np.dtype([("sentence", np.int32), ("start", np.int16), ("word", np.int32)])


def _lattice_chunks(
    con, sentences: dict, word_lengths: np.ndarray, folder: Path, chunk_characters: int | None = None, in_files: bool = False
):
    """The lattice of the candidate words' places (word_places) as topwords.Chunks: the sentences by
    sentence_id in runs of about chunk_characters (default topwords.CHUNK_CHARACTERS), each chunk's
    lattice in a file of `folder` (one chunk: in memory, from the sentences in the order read, unless
    `in_files`). The places are read in batches and set aside per chunk in files first, so that no
    step holds the corpus's places."""
    from newword import topwords

    chunk_characters = chunk_characters or topwords.CHUNK_CHARACTERS
    sentence_id = np.asarray(sentences["sentence_id"], dtype=np.int64)
    lengths = np.asarray(sentences["length"], dtype=np.int64)
    occurrences = np.asarray(sentences["occurrences"], dtype=np.int64)
    if int(lengths.sum()) <= chunk_characters and not in_files:
        index_of = np.zeros(int(sentence_id.max(initial=0)) + 1, dtype=np.int64)
        index_of[sentence_id] = np.arange(sentence_id.size)
        places = sqlfiles.query_numpy(con, "word_places")
        chunks = topwords.Chunks(word_lengths)
        edge_sentence = index_of[places["sentence_id"]].astype(np.int32)
        chunks.add(
            topwords.build_lattice(lengths, occurrences, edge_sentence, places["start"], places["word_id"], word_lengths),
            sentence_id,
        )
        return chunks
    by_id = np.argsort(sentence_id, kind="stable")
    before = np.cumsum(lengths[by_id]) - lengths[by_id]  # characters of the sentences before, by id
    chunk_by_id = (before // chunk_characters).astype(np.int32)  # no chunk is empty: a sentence is shorter
    n_chunks = int(chunk_by_id[-1]) + 1
    first = np.searchsorted(chunk_by_id, np.arange(n_chunks + 1))
    chunk_of = np.zeros(int(sentence_id.max()) + 1, dtype=np.int32)
    chunk_of[sentence_id[by_id]] = chunk_by_id
    index_of = np.zeros(chunk_of.size, dtype=np.int32)  # a sentence's index in its chunk
    index_of[sentence_id[by_id]] = np.arange(by_id.size) - first[chunk_by_id]
    folder.mkdir(parents=True, exist_ok=True)
    files = [folder / f"places-{c}.bin" for c in range(n_chunks)]
    with contextlib.ExitStack() as stack:
        outs = [stack.enter_context(open(path, "wb")) for path in files]
        for batch in con.sql(sqlfiles.text("word_places")).to_arrow_reader(PLACES_BATCH):  # con.execute would hold every row
            sid = batch.column("sentence_id").to_numpy()
            chunk = chunk_of[sid]
            rows = np.empty(sid.size, dtype=_PLACE)
            rows["sentence"] = index_of[sid]
            rows["start"] = batch.column("start").to_numpy()
            rows["word"] = batch.column("word_id").to_numpy()
            rows = rows[np.argsort(chunk, kind="stable")]
            ends = np.cumsum(np.bincount(chunk, minlength=n_chunks))
            for c, part in enumerate(np.split(rows, ends[:-1])):
                if part.size:
                    part.tofile(outs[c])
    chunks = topwords.Chunks(word_lengths, folder)
    for c, path in enumerate(files):
        rows = np.fromfile(path, dtype=_PLACE)
        path.unlink()
        members = by_id[first[c] : first[c + 1]]
        lattice = topwords.build_lattice(
            lengths[members],
            occurrences[members],
            np.ascontiguousarray(rows["sentence"]),
            np.ascontiguousarray(rows["start"]),
            np.ascontiguousarray(rows["word"]),
            word_lengths,
        )
        del rows
        chunks.add(lattice, sentence_id[members])
    return chunks


def _counted_through(con, build: Build) -> int:
    """The last document whose n-grams are in ngram_totals (with these settings), or 0: count all.
    A windowed build always counts its whole window (documents leave it as time passes)."""
    if build.window_days is not None:
        return 0
    if not all(sqlfiles.exists(con, t) for t in ("counting_state", "ngram_totals", "sentences")):
        return 0
    rows = sqlfiles.query(con, "counted_through", build.parameters())
    return rows[0][0] if rows else 0


def _count_incrementally(con, build: Build, step: str, mapper: distributed.Mapper | None = None) -> int:
    """Sentences and n-gram counts of a refresh: only the new documents are split and counted, and
    their counts are merged into the full counts (ngram_totals), so the result equals a full recount."""
    values = {**build.parameters(), "after_doc_id": _counted_through(con, build)}
    if step == "sentences":
        if values["after_doc_id"] == 0:
            return sqlfiles.materialise(con, "sentences", values)
        sqlfiles.append(con, "sentences", "sentences", values)
        return sqlfiles.row_count(con, "sentences")
    if mapper is None:
        sqlfiles.materialise(con, "new_ngram_counts", values)
    else:
        distributed.count_new_ngrams(con, values, build.workdir / "exchange", mapper)
    if values["after_doc_id"] == 0:
        sqlfiles.rename(con, "new_ngram_counts", "ngram_totals")
    else:
        sqlfiles.execute(con, "merge_ngram_totals", values)
        sqlfiles.append(con, "ngram_totals", "unseen_ngrams", values)
        sqlfiles.drop(con, "new_ngram_counts")
    rows = sqlfiles.materialise(con, "ngram_counts__incremental", values)
    sqlfiles.materialise(con, "counting_state", values)
    return rows


def empty_reason(build: Build, connection=None) -> str:
    """Which threshold nothing passed, when the lexicon is empty ("" when it is not)."""
    s = build.settings
    with _scratch(build, connection) as con:
        if s.mode == "topwords":
            frequent, words = sqlfiles.query(con, "lexicon_funnel__topwords", {"min_count": s.min_count})[0]
        else:
            kept, cohesive, candidates, words = sqlfiles.query(con, "lexicon_funnel")[0]
    if words:
        return ""
    if s.mode == "topwords" and not frequent:
        return f"no string of 2..{s.max_word_length} characters occurs --min-count {s.min_count} times"
    if s.mode == "topwords":
        return f"no candidate of the {frequent:,} that occur --min-count {s.min_count} times passed --min-significance {s.min_significance:g}"
    if words:
        return ""
    if not kept:
        return f"no n-gram of length 2..{s.max_n} reached --min-count {s.min_count}"
    if not cohesive:
        pairs = ",".join(f"{k}:{s.threshold(k):g}" for k in range(2, s.max_n + 1))
        return f"no n-gram with --min-count {s.min_count} passed --min-cohesion {pairs}"
    if not candidates:
        return f"no piece of the cut reached --min-count {s.min_count}"
    return f"every candidate has a substring of length 3..{s.max_n} that is not cohesive"


def top_words(
    db: Path, limit: int | None = None, min_length: int = 1, new_only: bool = False, connection=None
) -> tuple[list[str], list[tuple]]:
    """The lexicon as exported (count descending, then word): column names and rows.
    `connection`: an open connection to `db` (else one is opened, read-only, and closed)."""
    con = connection or warehouse.connect(db, read_only=True)
    try:
        cursor = con.execute(sqlfiles.text("lexicon_export"), {"limit": limit, "min_length": min_length, "new_only": new_only})
        return [d[0] for d in cursor.description], cursor.fetchall()
    finally:
        if connection is None:
            con.close()


def tables(db: Path) -> list[str]:
    """The warehouse's tables, by name."""
    con = warehouse.connect(db, read_only=True)
    try:
        return [name for (name,) in sqlfiles.query(con, "warehouse_tables")]
    finally:
        con.close()


def write_lexicon_tsv(db: Path, target: Path, connection=None) -> None:
    """The lexicon as TSV (header; word and count first), written under a scratch name, then renamed."""
    columns, rows = top_words(db, connection=connection)
    scratch = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with open(scratch, "w", encoding="utf-8", newline="\n") as out:
        out.write("\t".join(columns) + "\n")
        for word, count, length, score, is_known in rows:
            shown = "" if score is None or math.isnan(score) else repr(rounded(score))
            out.write(f"{word}\t{count}\t{length}\t{shown}\t{str(is_known).lower()}\n")
    os.replace(scratch, target)


def record_run(build: Build, connection=None) -> tuple[int, int, int, int]:
    """Write the run table; return (documents, sentences, characters, words)."""
    with _scratch(build, connection) as con:
        sqlfiles.materialise(con, "run", build.parameters())
        return sqlfiles.query(con, "run_totals")[0]


def finish(build: Build, connection=None) -> Result:
    """Record the run, then write the outputs: replace the warehouse and the TSV atomically.
    `connection`: discover's connection to the scratch warehouse, closed here before it is renamed."""
    with _scratch(build, connection) as con:
        documents, sentences, characters, words = record_run(build, con)
        message = empty_reason(build, con)
        tsv = build.workdir / "lexicon.tsv"
        if build.output is not None:
            write_lexicon_tsv(build.scratch_db, tsv, con)
        con.close()  # written to the file (a checkpoint) before the file is renamed
    warehouse.ensure_writable(build.db)  # before either output changes
    os.replace(build.scratch_db, build.db)
    if build.output is not None:
        os.replace(tsv, build.output)
    abort(build)
    return Result(build.db, build.output, documents, sentences, characters, words, message, {})


def discover(
    sources: list[str],
    db: str | Path,
    output: str | Path | None = None,
    settings: Settings | None = None,
    options: ingest.IngestOptions | None = None,
    dedupe: bool = True,
    progress: Progress | None = None,
    known_words: str | None = None,
    window_days: float | None = None,
) -> Result:
    """Run every step on exactly the given documents; outputs change only when all succeed."""
    progress = progress or Progress(quiet=True)
    build = start(sources, db, output, settings, options, dedupe, known_words=known_words, window_days=window_days)
    names = (*step_names(build.settings.mode), "write")
    try:
        # one connection for every step and the summary: opening one per step costs time
        with _scratch(build, create=True) as con:

            def call(name: str, function: Callable[..., Any], *args: Any) -> Any:
                with progress.step(name, names.index(name) + 1, len(names)) as info:
                    info["rows"] = function(*args, connection=con)

            call("documents", run_documents, build)
            run_steps(build, call)
            with progress.step("write", len(names), len(names)) as info:
                result = finish(build, connection=con)
                info["detail"] = f"{build.db}" + (f" and {build.output}" if build.output else "")
    except BaseException:
        abort(build)
        raise
    result.timings = dict(progress.timings)
    return result
