"""TopWORDS: word discovery as a unigram word model fitted by EM (Deng, Bol, Li and Liu, PNAS 2016),
with a dictionary prior in the manner of TopWORDS-Seg (Pan, Sun and Deng, ACL 2022).

A sentence (a maximal run of CJK ideographs, cut every MAX_SENTENCE characters) is a sequence of
words drawn independently with probabilities theta from a dictionary of candidate words: every single
character, every substring of at most MAX_LEN characters occurring at least MIN_COUNT times, and the
known words. EM finds theta (forward-backward over each distinct sentence's lattice of candidate
words, weighted by how often the sentence occurs); words expected to be used less than PRUNE_USES
times leave the dictionary; each remaining word's significance psi is the log-likelihood ratio of the
corpus with and without it (theta of the others fixed, as TopWORDS), summed over its places as
-log(1 - posterior of the place). Viterbi segmentation with the final theta gives the pieces.

The prior, when there is a dictionary: known words are candidates however rare, get KNOWN_PRIOR
pseudo-uses in the M-step and are never pruned; a new word's use costs e^-KAPPA (e^-KAPPA_WEAK) per
strong (weak) boundary of the dictionary's split of it (`crossings`, `prior_penalty`): TopWORDS-Seg's
penalty on a word that crosses a prior segmenter's boundary, with the segmenter replaced by the
fewest-known-words split. So a phrase of known words (都是, 他说) must be much likelier whole than as
its parts, and is not. Without a dictionary every boundary is weak: a word of n characters costs
e^-(KAPPA_WEAK (n - 1)) per use (pure TopWORDS, penalty None, fills its list with phrases: 他说, 这是,
都是, 的问题 on People's Daily).

Typical use (the arrays come from SQL: word_candidates and sentence_types):
    lat = build_lattice(lengths, occurrences, edge_sentence, edge_start, edge_word, word_lengths)
    penalty = prior_penalty(*crossings(words, known_words))  # known_words may be empty
    result = fit(lat, counts, known_mask, penalty=penalty)  # theta, expected, psi
    keep = significant(result, word_lengths)  # & ~known_mask: the new words
    sentence, start, word = viterbi(result.lattice, result.theta, penalty)

Everything here works on arrays: the candidates and their places in the distinct sentences are
counted in SQL (sql/intermediate/word_candidates.sql, `count_candidates` runs its levels), and the
dynamic programmes run over all sentences side by side, one character position at a time (as
newword.segment.best_autonomy_paths), so numpy does per step what Python would do per sentence.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

# Sentences longer than MAX_SENTENCE characters are cut into pieces of MAX_SENTENCE (the last one
# shorter) before counting: substrings are read by position (substr is linear in the position, so a
# 100,000-character run was quadratic), and the scaled forward-backward keeps a sentence's partial
# totals in range only over some thousand characters. A word across a cut is lost: one place in 1024.
MAX_SENTENCE = 1024
# Candidate lengths: 1 .. MAX_LEN characters (known words: any length). Read on the development
# corpora (People's Daily 1998-01, reviews) at MAX_LEN 16: the significant new words of 9-10
# characters are still terms on People's Daily (中共中央政治局委员, 社会主义市场经济体制), those of 11
# or more are slogans, datelines and repeated review sentences on both.
MAX_LEN = 10
# A substring of 2 .. MAX_LEN characters is a candidate from MIN_COUNT occurrences (TopWORDS' tau_F).
MIN_COUNT = 5
# EM stops after MAX_ITERATIONS or when the log-likelihood gains less than TOLERANCE nats per
# character (7-8 iterations on the development corpora; the top words no longer change).
MAX_ITERATIONS = 30
TOLERANCE = 2e-4
# Pruning: after each M-step a multi-character word that is not known and whose expected uses (plus
# prior) fall below PRUNE_USES is dropped for good (theta 0): EM could not bring it back.
PRUNE_USES = 0.5
# The edges of dropped words are taken out of the lattice once they are this share of its edges.
COMPACT = 0.2
# The scales of the forward-backward are reset when a long sentence's scaled total passes e^RESCALE.
RESCALE = 200.0
# Sentences of at most SHORT characters share one scale (see Scales).
SHORT = 32
# Significance: psi (the log-likelihood ratio, in nats, with the other words' theta fixed) must exceed
# this: 2 psi would be chi-square with one degree of freedom if the word were not needed, and 8 is
# p < 1e-4 (a word seen 5 times, each time certainly used, scores about 5 * 1.6 = 8 at posterior 0.8).
PSI_THRESHOLD = 8.0
# A place where a word is used with posterior r adds -log(1 - r) to its psi, r at most 1 - PSI_FLOOR
# (at most 13.8 nats a place): below, 1 - r is a difference of nearly equal numbers.
PSI_FLOOR = 1e-6
# The dictionary prior on segmentations: per use, a new word costs e^-KAPPA per strong and
# e^-KAPPA_WEAK per weak dictionary boundary inside it (see crossings); both chosen on the development
# corpora's judged top-100 new words (docs/quality.md), where they drop most free combinations.
KAPPA = 7.0
KAPPA_WEAK = 6.0
# Pseudo-uses of a known word in the M-step (theta = (expected + prior) / sum); known words are never
# pruned.
KNOWN_PRIOR = 1.0


@dataclass
class Lattice:
    """The candidate words' places in the distinct sentences, arranged for the batched programmes.

    Sentences are ranked longest first, so those still going at a position j (with j characters or
    more) are the ranks 0 .. going[j] - 1. Nodes are laid out position-major: node off[j] + r is the
    place after the first j characters of the sentence of rank r, so each step of a programme writes
    one contiguous slice (a bincount over the ranks of the step's edges). Edges (word places) are kept
    in forward order (by end position) and, through a permutation, in backward order (by start)."""

    n_sentences: int
    n_words: int
    order: np.ndarray  # rank -> sentence index
    lengths: np.ndarray  # characters, by rank
    weights: np.ndarray  # occurrences, by rank (float)
    off: np.ndarray  # node of (position j, rank 0); off[j + 1] - off[j] = going[j]
    n_nodes: int
    last: np.ndarray  # node at the end of each sentence, by rank
    f_word: np.ndarray  # forward order: the word
    f_from: np.ndarray  # its start node
    f_to: np.ndarray  # its end node
    f_rank: np.ndarray  # its sentence's rank
    f_step: np.ndarray  # first edge ending at position j (length longest + 2)
    b_perm: np.ndarray  # backward order: the forward index of each edge
    b_to: np.ndarray  # its end node
    b_rank: np.ndarray
    b_word: np.ndarray
    b_step: np.ndarray  # first edge starting at position i
    word_lengths: np.ndarray

    @property
    def n_edges(self) -> int:
        return int(self.f_word.size)


def _stable_argsort(keys: np.ndarray) -> np.ndarray:
    """Stable argsort of small non-negative integers (positions in a sentence): numpy radix-sorts
    uint16 in linear time, where a comparison sort of ten million edges took seconds."""
    if keys.size and int(keys.max()) < 65536:
        return np.argsort(keys.astype(np.uint16), kind="stable")
    return np.argsort(keys, kind="stable")


def build_lattice(
    lengths: np.ndarray,
    occurrences: np.ndarray,
    edge_sentence: np.ndarray,
    edge_start: np.ndarray,
    edge_word: np.ndarray,
    word_lengths: np.ndarray,
) -> Lattice:
    """The lattice from the places of the candidate words: edge e is word edge_word[e] at character
    edge_start[e] (from 0) of sentence edge_sentence[e] (an index into lengths/occurrences).

    Every character of every sentence must be covered by a single-character edge (single characters
    are always candidates), so every sentence has a segmentation."""
    lengths = np.asarray(lengths, dtype=np.int64)
    order = np.argsort(-lengths, kind="stable")
    rank_of = np.empty_like(order)
    rank_of[order] = np.arange(order.size)
    size = lengths[order]
    longest = int(size[0]) if size.size else 0
    going = np.searchsorted(-size, -np.arange(longest + 1), side="right")  # ranks with >= j characters
    off = np.concatenate(([0], np.cumsum(going))).astype(np.int64)
    n_nodes = int(off[-1])
    index = np.int32 if n_nodes < 2**31 - 1 else np.int64
    word_lengths = np.asarray(word_lengths, dtype=np.int64)
    rank = rank_of[np.asarray(edge_sentence, dtype=np.int64)]
    start = np.asarray(edge_start, dtype=np.int64)
    word = np.asarray(edge_word, dtype=np.int32)
    end = start + word_lengths[word]
    f = _stable_argsort(end)  # forward order: by end
    b = _stable_argsort(start)  # backward order: by start
    f_step = np.concatenate(([0], np.cumsum(np.bincount(end, minlength=longest + 1)))).astype(np.int64)
    b_step = np.concatenate(([0], np.cumsum(np.bincount(start, minlength=longest + 1)))).astype(np.int64)
    # (rank, start, end) packed in one integer: one gather per order instead of three
    bits = max(int(end.max(initial=0)).bit_length(), 1)
    packed = (rank << (2 * bits)) | (start << bits) | end
    del rank, start, end
    mask = (1 << bits) - 1
    inverse = np.empty(f.size, dtype=index)
    inverse[f] = np.arange(f.size, dtype=index)
    b_perm = inverse[b]
    del inverse
    f_word = word[f]
    p = packed[f]
    del f
    f_rank = (p >> (2 * bits)).astype(np.int32)
    f_from = (off[(p >> bits) & mask] + f_rank).astype(index)
    f_to = (off[p & mask] + f_rank).astype(index)
    b_word = word[b]
    p = packed[b]
    del b, packed, word
    b_rank = (p >> (2 * bits)).astype(np.int32)
    b_to = (off[p & mask] + b_rank).astype(index)
    del p
    return Lattice(
        n_sentences=int(order.size),
        n_words=int(word_lengths.size),
        order=order,
        lengths=size,
        weights=np.asarray(occurrences, dtype=np.float64)[order],
        off=off,
        n_nodes=n_nodes,
        last=off[size] + np.arange(size.size),
        f_word=f_word,
        f_from=f_from,
        f_to=f_to,
        f_rank=f_rank,
        f_step=f_step,
        b_perm=b_perm,
        b_to=b_to,
        b_rank=b_rank,
        b_word=b_word,
        b_step=b_step,
        word_lengths=word_lengths,
    )


def _keep_edges(lat: Lattice, keep_word: np.ndarray) -> tuple[Lattice, np.ndarray]:
    """The lattice without the edges of dropped words (the orders are kept, only shorter), and which
    edges (in forward order) it kept."""
    keep = keep_word[lat.f_word]
    if keep.all():
        return lat, keep
    index = lat.f_from.dtype
    kept = np.flatnonzero(keep)
    new_index = np.empty(keep.size, dtype=index)  # forward index -> new forward index (where kept)
    new_index[kept] = np.arange(kept.size, dtype=index)
    b_kept = np.flatnonzero(keep[lat.b_perm])
    return Lattice(
        n_sentences=lat.n_sentences,
        n_words=lat.n_words,
        order=lat.order,
        lengths=lat.lengths,
        weights=lat.weights,
        off=lat.off,
        n_nodes=lat.n_nodes,
        last=lat.last,
        f_word=lat.f_word[kept],
        f_from=lat.f_from[kept],
        f_to=lat.f_to[kept],
        f_rank=lat.f_rank[kept],
        f_step=np.searchsorted(kept, lat.f_step).astype(np.int64),
        b_perm=new_index[lat.b_perm[b_kept]],
        b_to=lat.b_to[b_kept],
        b_rank=lat.b_rank[b_kept],
        b_word=lat.b_word[b_kept],
        b_step=np.searchsorted(b_kept, lat.b_step).astype(np.int64),
        word_lengths=lat.word_lengths,
    ), keep


def _compact(lat: Lattice, keep_word: np.ndarray, log_scale: np.ndarray):
    """_keep_edges, and the scales of the lattice left."""
    new, _ = _keep_edges(lat, keep_word)
    return new, scales_for(new, log_scale)


def _forward(lat: Lattice, phi: np.ndarray) -> np.ndarray:
    """alpha[node]: the summed weight of the segmentations of the sentence up to the node."""
    alpha = np.empty(lat.n_nodes)
    off, step, frm, rank = lat.off, lat.f_step, lat.f_from, lat.f_rank
    alpha[: off[1]] = 1.0
    for j in range(1, step.size - 1):
        a, b = step[j], step[j + 1]
        n = off[j + 1] - off[j]
        alpha[off[j] : off[j + 1]] = np.bincount(rank[a:b], weights=alpha[frm[a:b]] * phi[a:b], minlength=n)
    return alpha


def _backward(lat: Lattice, phi_b: np.ndarray) -> np.ndarray:
    """beta[node]: the summed weight of the segmentations of the rest of the sentence after the node."""
    beta = np.empty(lat.n_nodes)
    off, step, to, rank = lat.off, lat.b_step, lat.b_to, lat.b_rank
    beta[lat.last] = 1.0
    for i in range(step.size - 3, -1, -1):  # the last start is longest - 1
        a, b = step[i], step[i + 1]
        n = off[i + 2] - off[i + 1]  # sentences longer than i
        beta[off[i] : off[i] + n] = np.bincount(rank[a:b], weights=beta[to[a:b]] * phi_b[a:b], minlength=n)
    return beta


def _log_forward_totals(lat: Lattice, log_theta: np.ndarray) -> np.ndarray:
    """log P(sentence) for every rank, in log space (slower; used once, to set the scales): the
    maximum per sentence and step first (np.maximum.at), then the sum of the exponentials."""
    la = np.empty(lat.n_nodes)
    la[: lat.off[1]] = 0.0
    lw = log_theta[lat.f_word]
    off, step, frm, rank = lat.off, lat.f_step, lat.f_from, lat.f_rank
    for j in range(1, step.size - 1):
        a, b = step[j], step[j + 1]
        n = off[j + 1] - off[j]
        vals = la[frm[a:b]] + lw[a:b]
        r = rank[a:b]
        top = np.full(n, -np.inf)
        np.maximum.at(top, r, vals)
        sums = np.bincount(r, weights=np.exp(vals - top[r]), minlength=n)
        la[off[j] : off[j + 1]] = top + np.log(sums)
    return la[lat.last]


@dataclass
class EStep:
    expected: np.ndarray  # expected uses of each word (weighted by sentence occurrences)
    loglik: float  # log-likelihood of the corpus (all sentence occurrences)
    log_totals: np.ndarray  # log P(sentence) by rank
    psi: np.ndarray | None  # significance by word, when asked


_POOL = ThreadPoolExecutor(1)  # the second core's share of an E-step


@dataclass
class Scales:
    """The scaling of the forward-backward (see e_step): K^k for a word of k characters, K = exp(g) for
    every sentence of at most SHORT characters, and exp(log_scale[rank]) for each longer one, whose
    edges (listed here, in both orders) are corrected one by one. Short sentences cannot leave the
    float range whatever K (at most SHORT characters, none rarer than e^-16), so most edges need no
    factor of their own."""

    g: float
    f_long: np.ndarray
    f_factor: np.ndarray
    b_long: np.ndarray
    b_factor: np.ndarray


def scales_for(lat: Lattice, log_scale: np.ndarray) -> Scales:
    """Scales from the per-sentence log K; the short sentences share their (weighted) mean."""
    short = lat.lengths <= SHORT
    g = float(np.average(log_scale[short], weights=lat.weights[short])) if short.any() else 0.0
    n_long = int((~short).sum())  # the long sentences are the first ranks
    f_long = np.flatnonzero(lat.f_rank < n_long)
    b_long = np.flatnonzero(lat.b_rank < n_long)
    return Scales(
        g,
        f_long,
        np.exp((log_scale[lat.f_rank[f_long]] - g) * lat.word_lengths[lat.f_word[f_long]]),
        b_long,
        np.exp((log_scale[lat.b_rank[b_long]] - g) * lat.word_lengths[lat.b_word[b_long]]),
    )


def effective_log_scale(lat: Lattice, scales: Scales, log_scale: np.ndarray) -> np.ndarray:
    """The log K each sentence is actually scaled by."""
    return np.where(lat.lengths <= SHORT, scales.g, log_scale)


def e_step(
    lat: Lattice,
    theta: np.ndarray,
    log_scale: np.ndarray,
    with_psi: bool = False,
    penalty: np.ndarray | None = None,
    scales: Scales | None = None,
) -> EStep:
    """Forward-backward over every sentence at once.

    Scaling: the weight of a word of k characters is theta * K^k with K = exp(log_scale[rank]) chosen
    per sentence so that its total stays near 1 (every segmentation of a sentence has the same number
    of characters, so K^length is a common factor that cancels from the posteriors): products of
    hundreds of probabilities neither underflow nor need a log and exp per edge. A word's use is also
    weighted by exp(penalty[word]) (the prior against new words; see `prior_penalty`). scales: how
    (Scales), when the caller keeps them; log_scale is then what it was made from."""
    weight = theta if penalty is None else theta * np.exp(penalty)
    if scales is None:
        scales = scales_for(lat, log_scale)
    log_scale = effective_log_scale(lat, scales, log_scale)
    weight = weight * np.exp(scales.g * lat.word_lengths)

    def backward() -> np.ndarray:
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # (per thread)
            phi_b = weight[lat.b_word]
            phi_b[scales.b_long] *= scales.b_factor
            return _backward(lat, phi_b)

    # the two passes are independent: the backward one runs in a second thread (numpy lets go of
    # the GIL in its gathers and arithmetic), so two cores share them; so do the halves of the
    # posteriors below
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # checked on the totals below
        later = _POOL.submit(backward)
        phi = weight[lat.f_word]
        phi[scales.f_long] *= scales.f_factor
        alpha = _forward(lat, phi)
        beta = later.result()
    total = alpha[lat.last]
    bad = ~(np.isfinite(total) & (total > 0))
    if bad.any():
        raise FloatingPointError(f"{int(bad.sum())} sentences under- or overflowed: rescale (log_scale) and retry")
    if not (np.isfinite(beta[: lat.off[1]]).all() and (beta[: lat.off[1]] > 0).all()):
        raise FloatingPointError("a backward pass under- or overflowed: rescale (log_scale) and retry")
    log_totals = np.log(total) - log_scale * lat.lengths
    # posterior of each edge, alpha(start) phi beta(end) / total, times its sentence's occurrences

    def posterior(part: slice) -> tuple[np.ndarray, np.ndarray | None]:
        gamma = phi[part] * alpha[lat.f_from[part]]
        gamma *= beta[lat.f_to[part]]
        gamma /= total[lat.f_rank[part]]
        w = lat.weights[lat.f_rank[part]]
        words = lat.f_word[part]
        expected = np.bincount(words, weights=gamma * w, minlength=lat.n_words)
        if not with_psi:
            return expected, None
        # -log(1 - r): the log-likelihood a sentence loses when the word is taken out at that place
        # (exact for a word used at one place of a sentence; places are taken as independent). 1 - r
        # is floored at PSI_FLOOR: below it, it is a difference of nearly equal numbers (its relative
        # error 1e-16 / (1 - r)), and a place already counts as certain.
        np.minimum(gamma, 1.0 - PSI_FLOOR, out=gamma)
        return expected, np.bincount(words, weights=-np.log1p(-gamma) * w, minlength=lat.n_words)

    half = lat.n_edges // 2
    other = _POOL.submit(posterior, slice(half, None))
    expected, psi = posterior(slice(0, half))
    expected2, psi2 = other.result()
    expected = expected + expected2  # not +=: bincount of no edge (a corpus without a longer candidate) is int64
    if with_psi:
        psi = psi + psi2
    return EStep(expected, float((log_totals * lat.weights).sum()), log_totals, psi)


@dataclass
class Fit:
    theta: np.ndarray  # by word; 0 for dropped words
    expected: np.ndarray  # expected uses in the segmentations under the final theta
    psi: np.ndarray  # significance (nats): about log L(theta) - log L(theta, the word's at 0); see e_step
    loglik: float
    iterations: int
    history: list[float]
    lattice: Lattice  # without the dropped words' edges


def fit(
    lat: Lattice,
    counts: np.ndarray,
    known: np.ndarray | None = None,
    *,
    max_iterations: int = MAX_ITERATIONS,
    tolerance: float = TOLERANCE,
    prune_uses: float = PRUNE_USES,
    known_prior: float = KNOWN_PRIOR,
    penalty: np.ndarray | None = None,
    log=None,
) -> Fit:
    """EM for theta from theta proportional to the substring counts (as TopWORDS starts).

    M-step: theta = (expected uses + prior) / total, the prior known_prior for known words and 0 for
    the rest. Between iterations a multi-character word expected to be used fewer than prune_uses
    times (and not known) is dropped (theta 0, its edges taken out of the lattice in batches): EM
    cannot bring it back and every later pass is cheaper. Stops when the log-likelihood gains less
    than tolerance per character. penalty: log weights added to every use of a word (prior_penalty).
    Ends with one more E-step under the final theta, for the expected uses and psi."""
    counts = np.asarray(counts, dtype=np.float64)
    multi = lat.word_lengths > 1
    known = np.zeros(lat.n_words, dtype=bool) if known is None else np.asarray(known, dtype=bool)
    prior = np.where(known, known_prior, 0.0)
    theta = counts + prior
    theta /= theta.sum()
    characters = float((lat.lengths * lat.weights).sum())
    log_scale = np.full(lat.n_sentences, 0.0)

    def exact_scales(lat: Lattice, theta: np.ndarray) -> tuple[np.ndarray, Scales]:
        """Per-sentence scales from the totals computed in log space (once, and after an overflow)."""
        with np.errstate(divide="ignore"):
            log_totals = _log_forward_totals(lat, np.log(theta) + (0.0 if penalty is None else penalty))
        log_scale = -log_totals / np.maximum(lat.lengths, 1)
        return log_scale, scales_for(lat, log_scale)

    def robust_e_step(lat, theta, log_scale, scales, with_psi=False):
        """An E-step; when a sentence left the float range (theta moved its total by hundreds of
        nats in one M-step), again with exact scales."""
        try:
            return e_step(lat, theta, log_scale, with_psi=with_psi, penalty=penalty, scales=scales), log_scale, scales
        except FloatingPointError:
            log_scale, scales = exact_scales(lat, theta)
            return e_step(lat, theta, log_scale, with_psi=with_psi, penalty=penalty, scales=scales), log_scale, scales

    log_scale, scales = exact_scales(lat, theta)
    history: list[float] = []
    alive = theta > 0
    dead = 0
    it = 0
    for it in range(1, max_iterations + 1):
        step, log_scale, scales = robust_e_step(lat, theta, log_scale, scales)
        history.append(step.loglik)
        # |log| of the scaled totals of the long sentences (the short ones cannot leave the range)
        drift = np.abs(step.log_totals + log_scale * lat.lengths)[lat.lengths > SHORT]
        if drift.max(initial=0.0) > RESCALE:
            log_scale = -step.log_totals / np.maximum(lat.lengths, 1)  # the next totals near 1
            scales = None
        new = step.expected + prior
        new[~alive] = 0.0
        total_uses = new.sum()
        drop = alive & multi & ~known & (new < prune_uses)
        new[drop] = 0.0
        alive &= ~drop
        theta = new / new.sum()
        dead += int(np.bincount(lat.f_word, minlength=lat.n_words)[drop].sum()) if drop.any() else 0
        if dead > COMPACT * lat.n_edges:  # dropped words' edges (theta 0) weigh nothing, but cost time
            lat, scales = _compact(lat, alive | ~multi, log_scale)
            dead = 0
        if scales is None:
            scales = scales_for(lat, log_scale)
        if log is not None:
            log(f"iteration {it}: loglik {step.loglik:.6e}, words {int(alive.sum())}, edges {lat.n_edges}, uses {total_uses:.0f}")
        if len(history) > 1 and abs(history[-1] - history[-2]) < tolerance * characters:
            break
    if dead:
        lat, scales = _compact(lat, alive | ~multi, log_scale)
    final, _, _ = robust_e_step(lat, theta, log_scale, scales, with_psi=True)
    return Fit(theta, final.expected, final.psi, final.loglik, it, history, lat)


def viterbi(lat: Lattice, theta: np.ndarray, penalty: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The most probable segmentation of every sentence under theta (and the prior penalty): (sentence
    index, start from 0, word index) of every piece, in no particular order. Ties go to the word that
    starts first (the longest)."""
    with np.errstate(divide="ignore"):
        lw = (np.log(theta) + (0.0 if penalty is None else penalty))[lat.f_word]
    best = np.empty(lat.n_nodes)
    best[: lat.off[1]] = 0.0
    back = np.zeros(lat.n_nodes, dtype=np.int64)  # the forward index of the last edge of the best path
    off, step, frm, rank = lat.off, lat.f_step, lat.f_from, lat.f_rank
    for j in range(1, step.size - 1):
        a, b = step[j], step[j + 1]
        n = off[j + 1] - off[j]
        start = frm[a:b]
        vals = best[start] + lw[a:b]
        r = rank[a:b]
        top = np.full(n, -np.inf)
        np.maximum.at(top, r, vals)
        hit = np.flatnonzero(vals == top[r])
        # among the best edges of a sentence the earliest start: start nodes grow with the start
        choice = np.full(n, np.iinfo(np.int64).max)
        np.minimum.at(choice, r[hit], start[hit].astype(np.int64) * (b - a) + hit)
        best[off[j] : off[j + 1]] = top
        back[off[j] : off[j + 1]] = choice % (b - a) + a
    sentences, starts, words = [], [], []
    going = np.flatnonzero(lat.lengths > 0)
    node = lat.last[going]
    pos = lat.lengths[going]
    while going.size:
        edge = back[node]
        word = lat.f_word[edge].astype(np.int64)
        pos = pos - lat.word_lengths[word]
        sentences.append(going)
        words.append(word)
        starts.append(pos)
        keep = pos > 0
        going, node, pos = going[keep], lat.f_from[edge][keep].astype(np.int64), pos[keep]
    if not sentences:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    rank = np.concatenate(sentences)
    return lat.order[rank], np.concatenate(starts), np.concatenate(words)


def crossings(words: list[str], known: set[str] | frozenset[str]) -> tuple[np.ndarray, np.ndarray]:
    """The boundaries a dictionary segmentation puts inside each word, as (strong, weak) counts.

    The segmentation: the fewest pieces that are known words or single characters (ties: the
    longest last piece, then likewise before it). A boundary is strong when a piece of two or more
    characters is next to it (the dictionary knows a word that ends or starts there), weak between
    two single characters (the dictionary just has no word there: names, new coinages). Known words
    and characters have none."""
    strong = np.zeros(len(words), dtype=np.int64)
    weak = np.zeros(len(words), dtype=np.int64)
    for i, w in enumerate(words):
        n = len(w)
        if n < 2 or w in known:
            continue
        if n == 2:
            weak[i] = 1
            continue
        if n == 3:
            if w[:2] in known or w[1:] in known:
                strong[i] = 1
            else:
                weak[i] = 2
            continue
        best = [0] * (n + 1)
        back = [0] * (n + 1)
        for j in range(1, n + 1):
            best[j], back[j] = best[j - 1] + 1, j - 1
            for k in range(j - 2, -1, -1):  # longer last pieces: ties go to them
                if best[k] + 1 <= best[j] and w[k:j] in known:
                    best[j], back[j] = best[k] + 1, k
        pieces = []
        j = n
        while j > 0:
            pieces.append(j - back[j])
            j = back[j]
        for left, right in pairwise(pieces):
            if left > 1 or right > 1:
                strong[i] += 1
            else:
                weak[i] += 1
    return strong, weak


def prior_penalty(strong: np.ndarray, weak: np.ndarray, kappa: float = KAPPA, kappa_weak: float = KAPPA_WEAK) -> np.ndarray:
    """log weight of a word's use: -kappa per strong and -kappa_weak per weak boundary it crosses.

    TopWORDS-Seg's prior on segmentations (a boundary of the prior segmenter inside a word costs
    e^-kappa), with the segmenter replaced by the fewest-known-words split of each candidate, and its
    confidence by whether a known word of two or more characters meets the boundary. A new word must
    be likelier whole than as its parts by that many nats per use to be used at all: phrases of
    known words (都是, 他说, 速度很快) lose to their parts; names and coinages, whose characters are
    rarely words together otherwise, pay less and stay."""
    return -(kappa * np.asarray(strong, dtype=np.float64) + kappa_weak * np.asarray(weak, dtype=np.float64))


def significant(fit_: Fit, word_lengths: np.ndarray, threshold: float = PSI_THRESHOLD) -> np.ndarray:
    """The multi-character words kept by the likelihood-ratio test: psi above the threshold."""
    return (np.asarray(word_lengths) > 1) & (fit_.theta > 0) & (fit_.psi > threshold)


def count_candidates(con, min_count: int = MIN_COUNT, max_len: int = MAX_LEN, max_levels: int = 64) -> int:
    """Run sql/intermediate/word_candidates.sql level by level into the table word_candidates.

    Reads sentence_types (sentences cut at MAX_SENTENCE characters: positions must stay below 2^24)
    and known_prefixes (made empty here when the caller has no dictionary). Returns the number of
    levels run: up to max_len, or further while prefixes of longer known words remain."""
    from newword import sqlfiles

    con.execute("CREATE TABLE IF NOT EXISTS known_prefixes (word VARCHAR, known BOOLEAN, proper BOOLEAN)")
    con.execute(
        "CREATE OR REPLACE TABLE word_candidates (ngram VARCHAR, length INTEGER, count BIGINT, known BOOLEAN, "
        "candidate BOOLEAN, extend BOOLEAN, positions BIGINT[])"
    )
    n = 0
    for n in range(1, max_levels + 1):
        sqlfiles.append(con, "word_candidates", "word_candidates", {"n": n, "min_count": min_count, "max_len": max_len})
        more = con.execute("SELECT count(*) FROM word_candidates WHERE length = $n AND extend", {"n": n}).fetchall()[0][0]
        if not more:
            break
    return n
