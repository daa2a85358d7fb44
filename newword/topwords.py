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

import dataclasses
import itertools
import os
import pickle
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

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
# The lattice is built and worked on in chunks of distinct sentences of about CHUNK_CHARACTERS
# characters each (Chunks): a corpus of more is kept as one file per chunk, read back for each pass, so
# that the EM holds one chunk's lattice (about 60 bytes a character) at a time, not the corpus's.
CHUNK_CHARACTERS = 4_000_000
# The candidates are counted in shards of distinct sentences of about SHARD_CHARACTERS characters
# (count_candidates): a level's place lists are built a shard at a time.
SHARD_CHARACTERS = 32_000_000
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
    one contiguous slice. Every character is a candidate, so the single-character edges are one per
    node past position 0 (s_word, by node - off[1]): a step takes them as a product of contiguous
    slices, and only the longer words' edges (the multi edges) go through a gather and a bincount
    over the ranks. Those are kept in forward order (by end position, then rank) and in backward
    order (by start, then end and rank)."""

    n_sentences: int
    n_words: int
    order: np.ndarray  # rank -> sentence index
    lengths: np.ndarray  # characters, by rank
    weights: np.ndarray  # occurrences, by rank (float)
    off: np.ndarray  # node of (position j, rank 0); off[j + 1] - off[j] = going[j]
    n_nodes: int
    last: np.ndarray  # node at the end of each sentence, by rank
    s_word: np.ndarray  # the single character ending at node off[1] + i, by i
    f_word: np.ndarray  # multi edges in forward order: the word
    f_from: np.ndarray  # its start node
    f_to: np.ndarray  # its end node
    f_rank: np.ndarray  # its sentence's rank
    f_step: np.ndarray  # first multi edge ending at position j (length longest + 2)
    b_to: np.ndarray  # multi edges in backward order: the end node
    b_rank: np.ndarray
    b_word: np.ndarray
    b_step: np.ndarray  # first multi edge starting at position i
    word_lengths: np.ndarray

    @property
    def n_edges(self) -> int:
        return int(self.s_word.size + self.f_word.size)

    @property
    def going(self) -> np.ndarray:
        """Sentences with at least j characters, by j."""
        return np.diff(self.off)

    def node_ranks(self, first: int = 0) -> np.ndarray:
        """The rank of every node from position `first` on."""
        going = self.going[first:]
        return (
            np.arange(self.n_nodes - self.off[first], dtype=np.int64) - np.repeat(self.off[first:-1] - self.off[first], going)
        ).astype(np.int32)


def _stable_argsort(keys: np.ndarray) -> np.ndarray:
    """Stable argsort of small non-negative integers (positions in a sentence): numpy radix-sorts
    uint16 in linear time, where a comparison sort of ten million edges took seconds."""
    if keys.size and int(keys.max()) < 65536:
        return np.argsort(keys.astype(np.uint16), kind="stable")
    return np.argsort(keys, kind="stable")


def _sorted_edges(position: np.ndarray, rank: np.ndarray, word: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The edges sorted by (position, rank, word), as int32 arrays: one sort of the three packed in
    an integer (a value sort, much faster than an argsort and the gathers after it), else a lexsort."""
    bits = [max(int(a.max(initial=0)).bit_length(), 1) for a in (position, rank, word)]
    if sum(bits) > 63:
        by = np.lexsort((word, rank, position))
        return position[by].astype(np.int32), rank[by].astype(np.int32), word[by].astype(np.int32)
    # packed and unpacked in place: every fresh array of this size costs its page faults
    key = position.astype(np.int64)
    key <<= bits[1]
    key |= rank
    key <<= bits[2]
    key |= word
    key.sort()
    word_ = key.astype(np.int32)  # the low 32 bits
    word_ &= (1 << bits[2]) - 1
    key >>= bits[2]
    rank_ = key.astype(np.int32)
    rank_ &= (1 << bits[1]) - 1
    key >>= bits[1]
    return key.astype(np.int32), rank_, word_


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
    longest = int(lengths.max(initial=0))
    order = _stable_argsort(longest - lengths)  # longest first
    rank_of = np.empty(order.size, dtype=np.int32)
    rank_of[order] = np.arange(order.size, dtype=np.int32)
    size = lengths[order]
    going = np.searchsorted(-size, -np.arange(longest + 1), side="right")  # ranks with >= j characters
    off = np.concatenate(([0], np.cumsum(going))).astype(np.int64)
    n_nodes = int(off[-1])
    index = np.int32 if n_nodes < 2**31 - 1 else np.int64
    node = off.astype(index)  # node of (position j, rank 0), in the nodes' type
    word_lengths = np.asarray(word_lengths, dtype=np.int64)
    # 32-bit columns (16 for word lengths), in place where possible: fresh memory costs page faults
    k_of = word_lengths.astype(np.int16 if int(word_lengths.max(initial=0)) < 2**15 else np.int32)
    rank = rank_of[edge_sentence]
    word = np.asarray(edge_word, dtype=np.int32)
    k = k_of[word]
    end = np.add(edge_start, k, dtype=np.int32)
    multi = k > 1
    # the multi edges are sorted in the second thread (numpy lets go of the GIL in a sort) while
    # this one places the single-character edges
    later = _POOL.submit(_sorted_edges, end[multi], rank[multi], word[multi])
    single = np.logical_not(multi, out=multi)
    s_word = np.full(n_nodes - int(off[1]), -1, dtype=np.int32)
    s_node = node[end[single]]
    s_node += rank[single]
    s_node -= node[1]
    s_word[s_node] = word[single]
    del rank, word, k, end, single, multi
    f_end, f_rank, f_word = later.result()
    if s_node.size != s_word.size or (s_word < 0).any():
        raise ValueError("every character of every sentence needs one single-character edge")
    del s_node
    f_start = f_end - k_of[f_word]
    f_from = node[f_start]
    f_from += f_rank
    f_to = node[f_end]
    f_to += f_rank
    # backward order: by start, then (as in the forward order) by end and rank
    b = _stable_argsort(f_start)
    b_start = f_start[b]
    b_to, b_rank, b_word = f_to[b], f_rank[b], f_word[b]
    del b, f_start
    positions = np.arange(longest + 2)
    return Lattice(
        n_sentences=int(order.size),
        n_words=int(word_lengths.size),
        order=order,
        lengths=size,
        weights=np.asarray(occurrences, dtype=np.float64)[order],
        off=off,
        n_nodes=n_nodes,
        last=off[size] + np.arange(size.size),
        s_word=s_word,
        f_word=f_word,
        f_from=f_from,
        f_to=f_to,
        f_rank=f_rank,
        f_step=np.searchsorted(f_end, positions).astype(np.int64),
        b_to=b_to,
        b_rank=b_rank,
        b_word=b_word,
        b_step=np.searchsorted(b_start, positions).astype(np.int64),
        word_lengths=word_lengths,
    )


def _keep_edges(lat: Lattice, keep_word: np.ndarray) -> Lattice:
    """The lattice without the multi edges of dropped words (the orders are kept, only shorter)."""

    def backward() -> dict[str, np.ndarray]:  # in the second thread
        kept = np.flatnonzero(keep_word[lat.b_word])
        return {
            "b_to": lat.b_to[kept],
            "b_rank": lat.b_rank[kept],
            "b_word": lat.b_word[kept],
            "b_step": np.searchsorted(kept, lat.b_step).astype(np.int64),
        }

    later = _POOL.submit(backward)
    kept = np.flatnonzero(keep_word[lat.f_word])
    return dataclasses.replace(
        lat,
        f_word=lat.f_word[kept],
        f_from=lat.f_from[kept],
        f_to=lat.f_to[kept],
        f_rank=lat.f_rank[kept],
        f_step=np.searchsorted(kept, lat.f_step).astype(np.int64),
        **later.result(),
    )


class _Buffers:
    """Arrays kept from one E-step to the next: a fresh array of millions of elements costs its page
    faults again each time."""

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray] = {}

    def get(self, name: str, size: int, dtype=np.float64) -> np.ndarray:
        array = self._arrays.get(name)
        if array is None or array.size < size or array.dtype != dtype:
            array = self._arrays[name] = np.empty(size, dtype=dtype)
        return array[:size]


def _largest_step(step: np.ndarray) -> int:
    return int(np.diff(step).max(initial=0))


def _forward(lat: Lattice, phi_s: np.ndarray, phi: np.ndarray, buffers: _Buffers) -> np.ndarray:
    """alpha[node]: the summed weight of the segmentations of the sentence up to the node (phi_s: the
    weights of the single-character edges, phi: of the multi edges in forward order)."""
    alpha = buffers.get("alpha", lat.n_nodes)
    off, step, frm, rank = lat.off, lat.f_step, lat.f_from, lat.f_rank
    scratch = buffers.get("forward", _largest_step(step))
    base = off[1]
    alpha[:base] = 1.0
    for j in range(1, off.size - 1):
        n = off[j + 1] - off[j]
        out = alpha[off[j] : off[j + 1]]
        np.multiply(alpha[off[j - 1] : off[j - 1] + n], phi_s[off[j] - base : off[j + 1] - base], out=out)
        a, b = step[j], step[j + 1]
        if b > a:
            edges = np.take(alpha, frm[a:b], out=scratch[: b - a], mode="clip")  # clip: unbuffered (indices are valid)
            edges *= phi[a:b]
            out += np.bincount(rank[a:b], weights=edges, minlength=n)
    return alpha


def _backward(lat: Lattice, phi_s: np.ndarray, phi_b: np.ndarray, buffers: _Buffers) -> np.ndarray:
    """beta[node]: the summed weight of the segmentations of the rest of the sentence after the node
    (phi_b: the multi edges' weights in backward order)."""
    beta = buffers.get("beta", lat.n_nodes)
    off, step, to, rank = lat.off, lat.b_step, lat.b_to, lat.b_rank
    scratch = buffers.get("backward", _largest_step(step))
    base = off[1]
    beta[lat.last] = 1.0
    for i in range(off.size - 3, -1, -1):  # the last start is longest - 1
        n = off[i + 2] - off[i + 1]  # sentences longer than i
        out = beta[off[i] : off[i] + n]
        np.multiply(beta[off[i + 1] : off[i + 2]], phi_s[off[i + 1] - base : off[i + 2] - base], out=out)
        a, b = step[i], step[i + 1]
        if b > a:
            edges = np.take(beta, to[a:b], out=scratch[: b - a], mode="clip")
            edges *= phi_b[a:b]
            out += np.bincount(rank[a:b], weights=edges, minlength=n)
    return beta


def _log_forward_totals(lat: Lattice, log_theta: np.ndarray, ranks: int | None = None) -> np.ndarray:
    """log P(sentence) for the first `ranks` ranks (all by default), in log space (slower; used to set
    the scales): the maximum per sentence and step first (np.maximum.at), then the sum of the
    exponentials. A step's edges of those ranks come first (they are sorted by rank)."""
    ranks = lat.n_sentences if ranks is None else ranks
    la = np.empty(lat.n_nodes)
    off, step, frm, rank = lat.off, lat.f_step, lat.f_from, lat.f_rank
    base = off[1]
    la[:base] = 0.0
    ls = log_theta[lat.s_word]
    lw = log_theta[lat.f_word]
    for j in range(1, off.size - 1):
        n = min(off[j + 1] - off[j], ranks)
        if n == 0:
            break
        single = la[off[j - 1] : off[j - 1] + n] + ls[off[j] - base : off[j] - base + n]
        a, b = step[j], step[j + 1]
        if n < off[j + 1] - off[j]:
            b = a + int(np.searchsorted(rank[a:b], n))
        if b == a:
            la[off[j] : off[j] + n] = single
            continue
        vals = la[frm[a:b]] + lw[a:b]
        r = rank[a:b]
        top = single.copy()
        np.maximum.at(top, r, vals)
        top[np.isneginf(top)] = 0.0  # no edge of weight > 0 here: the sums are 0, log -inf (not nan)
        sums = np.exp(single - top)
        sums += np.bincount(r, weights=np.exp(vals - top[r]), minlength=n)
        la[off[j] : off[j] + n] = top + np.log(sums)
    return la[lat.last[:ranks]]


def _log_totals(lat: Lattice, log_theta: np.ndarray, buffers: _Buffers) -> np.ndarray:
    """log P(sentence) by rank, to set the scales: the long sentences in log space, the short ones by a
    scaled forward pass (a fraction of the time) at one K, exp of the characters' theta-weighted mean
    -log theta, at which none can leave the float range; all in log space if one did."""
    n_long = int((lat.lengths > SHORT).sum())  # the first ranks
    chars = log_theta[lat.word_lengths == 1]
    chars = chars[np.isfinite(chars)]
    mass = np.exp(chars)
    g = -float((mass * chars).sum() / mass.sum()) if mass.sum() > 0 else 0.0
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        weight = np.exp(log_theta + g * lat.word_lengths)
        total = _forward(lat, weight[lat.s_word], weight[lat.f_word], buffers)[lat.last[n_long:]]
        if not ((total >= np.finfo(np.float64).tiny) & (total < np.inf)).all():
            return _log_forward_totals(lat, log_theta)
        log_totals = np.empty(lat.n_sentences)
        log_totals[n_long:] = np.log(total) - g * lat.lengths[n_long:]
        log_totals[:n_long] = _log_forward_totals(lat, log_theta, n_long)
    return log_totals


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
    edges (listed here: single-character ones, multi edges in both orders) are corrected one by one.
    Short sentences cannot leave the float range whatever K (at most SHORT characters, none rarer
    than e^-16), so most edges need no factor of their own."""

    g: float
    s_long: np.ndarray
    s_factor: np.ndarray
    f_long: np.ndarray
    f_factor: np.ndarray
    b_long: np.ndarray
    b_factor: np.ndarray


def shared_scale(lengths: np.ndarray, weights: np.ndarray, log_scale: np.ndarray) -> float:
    """The log K of every sentence of at most SHORT characters: their (weighted) mean log K."""
    short = lengths <= SHORT
    return float(np.average(log_scale[short], weights=weights[short])) if short.any() else 0.0


def scales_for(lat: Lattice, log_scale: np.ndarray, g: float | None = None) -> Scales:
    """Scales from the per-sentence log K; the short sentences share g, by default their (weighted)
    mean (a chunk of a corpus is given the corpus's, so that chunking does not change it)."""
    short = lat.lengths <= SHORT
    if g is None:
        g = shared_scale(lat.lengths, lat.weights, log_scale)
    n_long = int((~short).sum())  # the long sentences are the first ranks
    # their single-character edges: the first min(going[j], n_long) nodes of each position j >= 1
    count = np.minimum(lat.going[1:], n_long)
    first = np.cumsum(count) - count
    s_rank = np.arange(int(count.sum())) - np.repeat(first, count)
    s_long = s_rank + np.repeat(lat.off[1:-1] - lat.off[1], count)
    f_long = np.flatnonzero(lat.f_rank < n_long)
    b_long = np.flatnonzero(lat.b_rank < n_long)
    return Scales(
        g,
        s_long,
        np.exp(log_scale[s_rank] - g),
        f_long,
        np.exp((log_scale[lat.f_rank[f_long]] - g) * lat.word_lengths[lat.f_word[f_long]]),
        b_long,
        np.exp((log_scale[lat.b_rank[b_long]] - g) * lat.word_lengths[lat.b_word[b_long]]),
    )


def effective_log_scale(lat: Lattice, scales: Scales, log_scale: np.ndarray) -> np.ndarray:
    """The log K each sentence is actually scaled by."""
    return np.where(lat.lengths <= SHORT, scales.g, log_scale)


def scaled_weight(theta: np.ndarray, penalty: np.ndarray | None, g: float, word_lengths: np.ndarray) -> np.ndarray:
    """The weight of a use of each word in the scaled forward-backward: theta, times exp(penalty),
    times K^length for the shared K = exp(g) (see e_step)."""
    weight = theta if penalty is None else theta * np.exp(penalty)
    return weight * np.exp(g * word_lengths)


def e_step(
    lat: Lattice,
    theta: np.ndarray,
    log_scale: np.ndarray,
    with_psi: bool = False,
    penalty: np.ndarray | None = None,
    scales: Scales | None = None,
    buffers: _Buffers | None = None,
    weight: np.ndarray | None = None,
) -> EStep:
    """Forward-backward over every sentence at once.

    Scaling: the weight of a word of k characters is theta * K^k with K = exp(log_scale[rank]) chosen
    per sentence so that its total stays near 1 (every segmentation of a sentence has the same number
    of characters, so K^length is a common factor that cancels from the posteriors): products of
    hundreds of probabilities neither underflow nor need a log and exp per edge. A word's use is also
    weighted by exp(penalty[word]) (the prior against new words; see `prior_penalty`). scales: how
    (Scales), when the caller keeps them; log_scale is then what it was made from. buffers: the
    arrays of the previous E-step, reused. weight: scaled_weight(theta, penalty, scales.g, the word
    lengths) when the caller has it (it is the same for every chunk of a pass)."""
    if buffers is None:
        buffers = _Buffers()
    if scales is None:
        scales = scales_for(lat, log_scale)
    log_scale = effective_log_scale(lat, scales, log_scale)
    if weight is None:
        weight = scaled_weight(theta, penalty, scales.g, lat.word_lengths)
    off, base = lat.off, lat.off[1]

    def backward() -> np.ndarray:
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # (per thread)
            phi_b = np.take(weight, lat.b_word, out=buffers.get("phi_b", lat.b_word.size), mode="clip")
            phi_b[scales.b_long] *= scales.b_factor
            return _backward(lat, phi_s, phi_b, buffers)

    # the two passes are independent: the backward one runs in a second thread (numpy lets go of
    # the GIL in its gathers and arithmetic), so two cores share them; so do the posteriors of the
    # single-character and of the multi edges below
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # checked on the totals below
        phi_s = np.take(weight, lat.s_word, out=buffers.get("phi_s", lat.s_word.size), mode="clip")
        phi_s[scales.s_long] *= scales.s_factor
        later = _POOL.submit(backward)
        phi = np.take(weight, lat.f_word, out=buffers.get("phi", lat.f_word.size), mode="clip")
        phi[scales.f_long] *= scales.f_factor
        alpha = _forward(lat, phi_s, phi, buffers)
        beta = later.result()
    total = alpha[lat.last]
    bad = ~(np.isfinite(total) & (total > 0))
    if bad.any():
        raise FloatingPointError(f"{int(bad.sum())} sentences under- or overflowed: rescale (log_scale) and retry")
    if not (np.isfinite(beta[:base]).all() and (beta[:base] > 0).all()):
        raise FloatingPointError("a backward pass under- or overflowed: rescale (log_scale) and retry")
    log_totals = np.log(total) - log_scale * lat.lengths
    # the posterior of an edge is alpha(start) phi beta(end) / total; alpha is divided by the total
    # (and, for the expected uses alone, times the sentence's occurrences) once per node
    per_rank = 1.0 / total if with_psi else lat.weights / total
    alpha_c = alpha  # in place: alpha itself is not needed again
    for j in range(off.size - 1):
        alpha_c[off[j] : off[j + 1]] *= per_rank[: off[j + 1] - off[j]]
    del alpha

    def sums(words: np.ndarray, gamma: np.ndarray, w: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None]:
        """Expected uses (and psi) by word from the posteriors gamma (times w, the occurrences, when
        gamma is not yet weighted by them)."""
        if w is None:
            return np.bincount(words, weights=gamma, minlength=lat.n_words), None
        expected = np.bincount(words, weights=gamma * w, minlength=lat.n_words)
        # -log(1 - r): the log-likelihood a sentence loses when the word is taken out at that place
        # (exact for a word used at one place of a sentence; places are taken as independent). 1 - r
        # is floored at PSI_FLOOR: below it, it is a difference of nearly equal numbers (its relative
        # error 1e-16 / (1 - r)), and a place already counts as certain.
        np.minimum(gamma, 1.0 - PSI_FLOOR, out=gamma)
        return expected, np.bincount(words, weights=-np.log1p(-gamma) * w, minlength=lat.n_words)

    # the posteriors overwrite the weights (phi_s, phi; phi_b is scratch): no more arrays to fault in
    def singles() -> tuple[np.ndarray, np.ndarray | None]:
        gamma = phi_s
        for j in range(1, off.size - 1):
            n = off[j + 1] - off[j]
            part = gamma[off[j] - base : off[j + 1] - base]
            part *= alpha_c[off[j - 1] : off[j - 1] + n]
            part *= beta[off[j] : off[j + 1]]
        return sums(lat.s_word, gamma, lat.weights[lat.node_ranks(1)] if with_psi else None)

    def multis() -> tuple[np.ndarray, np.ndarray | None]:
        gamma, scratch = phi, buffers.get("phi_b", lat.f_word.size)
        gamma *= np.take(alpha_c, lat.f_from, out=scratch, mode="clip")
        gamma *= np.take(beta, lat.f_to, out=scratch, mode="clip")
        return sums(lat.f_word, gamma, lat.weights[lat.f_rank] if with_psi else None)

    other = _POOL.submit(singles)
    expected, psi = multis()
    expected2, psi2 = other.result()
    expected = expected + expected2  # not +=: bincount of no edge (a corpus without a longer candidate) is int64
    if with_psi:
        psi = psi + psi2
    return EStep(expected, float((log_totals * lat.weights).sum()), log_totals, psi)


# A chunk's file holds these fields of its Lattice: the multi edges' start nodes and ranks (f_from,
# f_rank) are recomputed on reading, in a tenth of the time their bytes took to read at a gigabyte,
# and word_lengths (the corpus's, not the chunk's) is kept once, in WORD_LENGTHS_FILE beside them.
_STORED = ("order", "lengths", "weights", "off", "s_word", "f_word", "f_to", "f_step", "b_to", "b_rank", "b_word", "b_step")
WORD_LENGTHS_FILE = "word-lengths.npy"
_READER = ThreadPoolExecutor(1)  # reads the next chunk's file while the current one is worked on


def load_chunk(path: str | Path, word_lengths: np.ndarray | None = None, k: np.ndarray | None = None) -> Lattice:
    """The Lattice in a chunk file (Chunks); word_lengths by default from the file beside it (k: the
    same as int32, when the caller keeps them)."""
    with open(path, "rb") as f:
        parts = pickle.load(f)
    if word_lengths is None:
        word_lengths = np.load(Path(path).parent / WORD_LENGTHS_FILE)
    if k is None:
        k = word_lengths.astype(np.int32)
    off, f_to, f_word, f_step, lengths = parts["off"], parts["f_to"], parts["f_word"], parts["f_step"], parts["lengths"]
    node = off.astype(f_to.dtype)
    end = np.repeat(np.arange(f_step.size - 1, dtype=np.int32), np.diff(f_step))
    f_rank = f_to - node[end]
    start = end
    start -= k[f_word]
    f_from = node[start]
    f_from += f_rank
    del end, start
    return Lattice(
        n_sentences=int(lengths.size),
        n_words=int(word_lengths.size),
        n_nodes=int(off[-1]),
        last=off[lengths] + np.arange(lengths.size),
        f_from=f_from,
        f_rank=f_rank.astype(np.int32, copy=False),
        word_lengths=word_lengths,
        **parts,
    )


class Chunks:
    """A corpus's lattice as the lattices of disjoint sets of its sentences (chunks), kept in memory
    or, with a folder, each in a file read back whenever it is worked on: the EM then holds one
    chunk's lattice at a time, not the corpus's. ids[i]: the caller's numbers of chunk i's sentences,
    by their index in its lattice (what Lattice.order and viterbi's sentence index refer to)."""

    def __init__(self, word_lengths: np.ndarray, folder: Path | None = None) -> None:
        self.word_lengths = np.asarray(word_lengths, dtype=np.int64)
        self._k = self.word_lengths.astype(np.int32)
        self.n_words = int(self.word_lengths.size)
        self.folder = folder
        self.ids: list[np.ndarray] = []
        self.lengths: list[np.ndarray] = []  # by chunk, by rank (kept here: fit needs them all)
        self.weights: list[np.ndarray] = []
        self.word_edges = np.zeros(self.n_words, dtype=np.int64)  # multi edges of each word
        self._stored: list[Lattice | Path] = []
        self._edges: list[int] = []
        if folder is not None:  # beside the chunk files, for the workers that read them (chunk_e_step_file)
            np.save(folder / WORD_LENGTHS_FILE, self.word_lengths)

    @classmethod
    def of(cls, lat: Lattice) -> Chunks:
        """One lattice as one chunk, in memory."""
        chunks = cls(lat.word_lengths)
        chunks.add(lat, np.arange(lat.n_sentences))
        return chunks

    def __len__(self) -> int:
        return len(self._stored)

    def __getitem__(self, i: int) -> Lattice:
        stored = self._stored[i]
        if isinstance(stored, Lattice):
            return stored
        return load_chunk(stored, self.word_lengths, self._k)

    def __iter__(self):
        """The chunks in order; from files, the next one is read in a second thread while the caller
        works on this one (at a gigabyte the files are more than the page cache holds)."""
        if self.in_memory:
            yield from self._stored
            return
        later = _READER.submit(self.__getitem__, 0) if len(self) else None
        for i in range(len(self)):
            lat = later.result()
            later = _READER.submit(self.__getitem__, i + 1) if i + 1 < len(self) else None
            yield lat
            del lat

    @property
    def in_memory(self) -> bool:
        return self.folder is None

    @property
    def n_edges(self) -> int:
        return sum(self._edges)

    def add(self, lat: Lattice, ids: np.ndarray) -> None:
        """A chunk: the lattice of some sentences (none of another chunk), and their numbers by index."""
        self.ids.append(np.asarray(ids))
        self.lengths.append(lat.lengths)
        self.weights.append(lat.weights)
        self.word_edges += np.bincount(lat.f_word, minlength=self.n_words)
        self._stored.append(lat)
        self._edges.append(0)
        self._store(len(self) - 1, lat)

    def _store(self, i: int, lat: Lattice) -> None:
        self._edges[i] = lat.n_edges
        if self.folder is None:
            self._stored[i] = lat
            return
        path = self.folder / f"chunk-{i}.pickle"
        with open(path, "wb") as out:
            pickle.dump({name: getattr(lat, name) for name in _STORED}, out, protocol=pickle.HIGHEST_PROTOCOL)
        self._stored[i] = path

    def path(self, i: int) -> Path:
        """The file of chunk i (chunks kept in a folder only)."""
        stored = self._stored[i]
        if not isinstance(stored, Path):
            raise TypeError("these chunks are in memory, not in files")
        return stored

    def keep_words(self, keep_word: np.ndarray) -> None:
        """Take the multi edges of dropped words out of every chunk."""
        for i, lat in enumerate(self):
            self._store(i, _keep_edges(lat, keep_word))
        self.word_edges[~keep_word] = 0


def chunk_e_step(
    lat: Lattice,
    theta: np.ndarray,
    log_scale: np.ndarray,
    g: float,
    with_psi: bool = False,
    penalty: np.ndarray | None = None,
    scales: Scales | None = None,
    buffers: _Buffers | None = None,
    weight: np.ndarray | None = None,
) -> EStep:
    """The E-step of one chunk: its sentences' share of the expected uses, log-likelihood and psi
    under theta (the sums over chunks are the corpus's). log_scale: its sentences' log K, by rank; g:
    the corpus's shared log K of short sentences (shared_scale). What a worker would run per shard."""
    return e_step(
        lat, theta, log_scale, with_psi, penalty, scales if scales is not None else scales_for(lat, log_scale, g), buffers, weight
    )


def chunk_e_step_file(
    chunk_file: str, theta_file: str, log_scale: np.ndarray, g: float, with_psi: bool, penalty_file: str | None, target: str
) -> str:
    """Task (a cluster worker): chunk_e_step on the chunk in `chunk_file` under the theta (and penalty)
    saved in their .npy files; the result saved in `target` (.npz, written whole under a scratch name),
    whose name is returned. A sentence leaving the float range is recorded (overflow), not raised:
    the fit rescales and runs the pass again, and a retry here would only overflow again."""
    lat = load_chunk(chunk_file)
    theta = np.load(theta_file)
    penalty = None if penalty_file is None else np.load(penalty_file)
    try:
        step = chunk_e_step(lat, theta, log_scale, g, with_psi, penalty)
        parts = {"expected": step.expected, "loglik": np.array(step.loglik), "log_totals": step.log_totals}
        if with_psi:
            parts["psi"] = step.psi
    except FloatingPointError:
        parts = {"overflow": np.array(True)}
    scratch = f"{target}.{os.getpid()}.tmp"
    with open(scratch, "wb") as out:  # np.savez would add .npz to a name without it
        np.savez(out, **parts)
    os.replace(scratch, target)
    return target


@dataclass
class Fit:
    theta: np.ndarray  # by word; 0 for dropped words
    expected: np.ndarray  # expected uses in the segmentations under the final theta
    psi: np.ndarray  # significance (nats): about log L(theta) - log L(theta, the word's at 0); see e_step
    loglik: float
    iterations: int
    history: list[float]
    lattice: Lattice | Chunks  # without the dropped words' edges (Chunks when fit was given Chunks)


def fit(
    lat: Lattice | Chunks,
    counts: np.ndarray,
    known: np.ndarray | None = None,
    *,
    max_iterations: int = MAX_ITERATIONS,
    tolerance: float = TOLERANCE,
    prune_uses: float = PRUNE_USES,
    known_prior: float = KNOWN_PRIOR,
    penalty: np.ndarray | None = None,
    log=None,
    mapper=None,
) -> Fit:
    """EM for theta from theta proportional to the substring counts (as TopWORDS starts).

    M-step: theta = (expected uses + prior) / total, the prior known_prior for known words and 0 for
    the rest. Between iterations a multi-character word expected to be used fewer than prune_uses
    times (and not known) is dropped (theta 0, its edges taken out of the lattice in batches): EM
    cannot bring it back and every later pass is cheaper. Stops when the log-likelihood gains less
    than tolerance per character. penalty: log weights added to every use of a word (prior_penalty).
    Ends with one more E-step under the final theta, for the expected uses and psi.

    lat: one lattice, or Chunks of it: each E-step is then the sum of the chunks' (chunk_e_step, one
    chunk in memory at a time), the M-step the same. mapper(function, arguments) -> results (chunks in
    files only): the chunks' E-steps run as its tasks (chunk_e_step_file, on a cluster's workers, which
    read the chunk files and write their results beside them), and are summed here."""
    chunks = lat if isinstance(lat, Chunks) else Chunks.of(lat)
    counts = np.asarray(counts, dtype=np.float64)
    multi = chunks.word_lengths > 1
    known = np.zeros(chunks.n_words, dtype=bool) if known is None else np.asarray(known, dtype=bool)
    prior = np.where(known, known_prior, 0.0)
    theta = counts + prior
    theta /= theta.sum()
    lengths = np.concatenate(chunks.lengths)  # every sentence: chunk after chunk, each by rank
    weights = np.concatenate(chunks.weights)
    bounds = np.cumsum([0] + [part.size for part in chunks.lengths])
    parts = [slice(int(a), int(b)) for a, b in itertools.pairwise(bounds)]
    characters = float((lengths * weights).sum())

    buffers = _Buffers()
    # the Scales of each chunk, while log_scale and the lattice stay as they are (in memory only:
    # they are a function of both, and on disk a chunk's would take memory beside it)
    kept_scales: dict[int, Scales] = {}

    def exact_scales(theta: np.ndarray) -> np.ndarray:
        """Per-sentence log K from the exact totals (once, and after an overflow)."""
        with np.errstate(divide="ignore"):
            log_theta = np.log(theta) + (0.0 if penalty is None else penalty)
        log_totals = np.concatenate([_log_totals(chunk, log_theta, buffers) for chunk in chunks])
        kept_scales.clear()
        return -log_totals / np.maximum(lengths, 1)

    if mapper is not None and chunks.in_memory:
        raise ValueError("a mapper maps over chunks kept in files")
    exchange = None if mapper is None else chunks.folder
    if exchange is not None and penalty is not None:
        np.save(exchange / "penalty.npy", penalty)

    passes = itertools.count(1)

    def mapped_e_pass(theta: np.ndarray, log_scale: np.ndarray, with_psi: bool, g: float) -> EStep:
        """The chunks' E-steps as the mapper's tasks; their results summed in chunk order. Each pass
        has its own files, so a late task of an earlier pass never mixes in."""
        number = next(passes)
        theta_file = exchange / f"theta-{number}.npy"
        with open(exchange / f"theta-{number}.tmp", "wb") as out:
            np.save(out, theta)
        os.replace(exchange / f"theta-{number}.tmp", theta_file)
        penalty_file = None if penalty is None else str(exchange / "penalty.npy")
        targets = [exchange / f"e-step-{number}-{i}.npz" for i in range(len(chunks))]
        arguments = [
            (str(chunks.path(i)), str(theta_file), log_scale[parts[i]], g, with_psi, penalty_file, str(targets[i]))
            for i in range(len(chunks))
        ]
        mapper(chunk_e_step_file, arguments)
        expected = psi = None
        loglik, log_totals, overflow = 0.0, [], False
        for target in targets:  # by chunk, whatever order the mapper returned them in
            with np.load(target) as result:
                if "overflow" in result:
                    overflow = True
                    continue
                expected = result["expected"] if expected is None else expected + result["expected"]
                if with_psi:
                    psi = result["psi"] if psi is None else psi + result["psi"]
                loglik += float(result["loglik"])
                log_totals.append(result["log_totals"])
        for target in targets:
            target.unlink()
        theta_file.unlink()
        if overflow:
            raise FloatingPointError("a chunk's sentences under- or overflowed: rescale (log_scale) and retry")
        return EStep(expected, loglik, np.concatenate(log_totals), psi)

    def e_pass(theta: np.ndarray, log_scale: np.ndarray, with_psi: bool) -> EStep:
        g = shared_scale(lengths, weights, log_scale)
        if mapper is not None:
            return mapped_e_pass(theta, log_scale, with_psi, g)
        expected = psi = None
        loglik, log_totals = 0.0, []
        weight = scaled_weight(theta, penalty, g, chunks.word_lengths)  # once a pass, not once a chunk
        for i, chunk in enumerate(chunks):
            scales = kept_scales.get(i) or scales_for(chunk, log_scale[parts[i]], g)
            if chunks.in_memory:
                kept_scales[i] = scales
            step = chunk_e_step(chunk, theta, log_scale[parts[i]], g, with_psi, penalty, scales, buffers, weight)
            del chunk
            if expected is None:
                expected = step.expected  # a fresh array of this step
            else:
                expected += step.expected
            if with_psi:
                if psi is None:
                    psi = step.psi
                else:
                    psi += step.psi
            loglik += step.loglik
            log_totals.append(step.log_totals)
        return EStep(expected, loglik, np.concatenate(log_totals), psi)

    def robust_e_step(theta, log_scale, with_psi=False):
        """An E-step; when a sentence left the float range (theta moved its total by hundreds of
        nats in one M-step), again with exact scales."""
        try:
            return e_pass(theta, log_scale, with_psi), log_scale
        except FloatingPointError:
            log_scale = exact_scales(theta)
            return e_pass(theta, log_scale, with_psi), log_scale

    log_scale = exact_scales(theta)
    history: list[float] = []
    alive = theta > 0
    dead = 0
    it = 0
    for it in range(1, max_iterations + 1):
        step, log_scale = robust_e_step(theta, log_scale)
        history.append(step.loglik)
        # |log| of the scaled totals of the long sentences (the short ones cannot leave the range)
        drift = np.abs(step.log_totals + log_scale * lengths)[lengths > SHORT]
        if drift.max(initial=0.0) > RESCALE:
            log_scale = -step.log_totals / np.maximum(lengths, 1)  # the next totals near 1
            kept_scales.clear()
        new = step.expected + prior
        new[~alive] = 0.0
        total_uses = new.sum()
        drop = alive & multi & ~known & (new < prune_uses)
        new[drop] = 0.0
        alive &= ~drop
        theta = new / new.sum()
        dead += int(chunks.word_edges[drop].sum()) if drop.any() else 0
        if dead > COMPACT * chunks.n_edges:  # dropped words' edges (theta 0) weigh nothing, but cost time
            chunks.keep_words(alive | ~multi)
            kept_scales.clear()
            dead = 0
        if log is not None:
            log(
                f"iteration {it}: loglik {step.loglik:.6e}, words {int(alive.sum())}, edges {chunks.n_edges}, uses {total_uses:.0f}"
            )
        if len(history) > 1 and abs(history[-1] - history[-2]) < tolerance * characters:
            break
    if dead:
        chunks.keep_words(alive | ~multi)
        kept_scales.clear()
    final, _ = robust_e_step(theta, log_scale, with_psi=True)
    return Fit(theta, final.expected, final.psi, final.loglik, it, history, chunks if isinstance(lat, Chunks) else chunks[0])


def viterbi_weight(theta: np.ndarray, penalty: np.ndarray | None = None) -> np.ndarray:
    """log theta plus the prior penalty: a word's score per use in viterbi."""
    with np.errstate(divide="ignore"):
        return np.log(theta) + (0.0 if penalty is None else penalty)


def viterbi(
    lat: Lattice, theta: np.ndarray, penalty: np.ndarray | None = None, log_weight: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The most probable segmentation of every sentence under theta (and the prior penalty): (sentence
    index, start from 0, word index) of every piece, by sentence index and start. Ties go to the word
    that starts first (the longest). log_weight: viterbi_weight(theta, penalty), when the caller
    cuts chunk after chunk."""
    if log_weight is None:
        log_weight = viterbi_weight(theta, penalty)
    ls, lw = log_weight[lat.s_word], log_weight[lat.f_word]
    best = np.empty(lat.n_nodes)
    best[: lat.off[1]] = 0.0
    # the multi edge ending the best path at each node, -1: a single character
    back = np.full(lat.n_nodes, -1, dtype=np.int32 if lat.f_word.size < 2**31 else np.int64)
    off, step, frm, rank = lat.off, lat.f_step, lat.f_from, lat.f_rank
    base = off[1]
    for j in range(1, off.size - 1):
        n = off[j + 1] - off[j]
        single = best[off[j - 1] : off[j - 1] + n] + ls[off[j] - base : off[j + 1] - base]
        a, b = step[j], step[j + 1]
        if b == a:
            best[off[j] : off[j + 1]] = single
            continue
        start = frm[a:b]
        vals = best[start] + lw[a:b]
        r = rank[a:b]
        top = np.full(n, -np.inf)
        np.maximum.at(top, r, vals)
        hit = np.flatnonzero(vals == top[r])
        # among the best multi edges of a sentence the earliest start (start nodes grow with the
        # start); a single character starts last, so it is taken only when strictly better
        choice = np.full(n, np.iinfo(np.int64).max)
        np.minimum.at(choice, r[hit], start[hit].astype(np.int64) * (b - a) + hit)
        multi = (top >= single) & (choice < np.iinfo(np.int64).max)
        best[off[j] : off[j + 1]] = np.where(multi, top, single)
        back[off[j] : off[j + 1]] = np.where(multi, choice % (b - a) + a, -1)
    ranks, starts, words = [], [], []
    going = np.flatnonzero(lat.lengths > 0).astype(np.int32)
    pos = lat.lengths[going].astype(np.int32)
    pieces = np.zeros(lat.n_sentences, dtype=np.int64)  # by rank
    f_word = lat.f_word if lat.f_word.size else np.zeros(1, dtype=np.int32)  # every longer word pruned: no edge to index
    k_of = lat.word_lengths.astype(np.int32)
    while going.size:  # the last pieces of all sentences, then the ones before them, ...
        node = off[pos] + going
        edge = back[node]
        word = np.where(edge >= 0, f_word[edge], lat.s_word[node - base])
        pos = pos - k_of[word]
        ranks.append(going)
        words.append(word)
        starts.append(pos)
        done = pos == 0
        pieces[going[done]] = len(ranks)
        keep = ~done
        going, pos = going[keep], pos[keep]
    # returned by sentence index, each sentence from its start: DuckDB joins and writes the cut
    # faster in that order (the t-th piece from the end of a sentence goes t rows before its end)
    by_index = np.empty(lat.n_sentences, dtype=np.int64)
    by_index[lat.order] = pieces
    end = np.cumsum(by_index)[lat.order]  # the row after each sentence's last piece, by rank
    total = int(end.max(initial=0))
    sentence, start, word = np.empty(total, dtype=np.int64), np.empty(total, dtype=np.int64), np.empty(total, dtype=np.int64)
    for t, (going, pos, piece) in enumerate(zip(ranks, starts, words)):
        row = end[going] - (t + 1)
        sentence[row] = lat.order[going]
        start[row] = pos
        word[row] = piece
    return sentence, start, word


def _distinct(keys: np.ndarray) -> np.ndarray:
    """The distinct values, sorted, of an array it may sort in place (np.unique took 20 times as long
    on a million 64-bit keys)."""
    keys.sort()
    keep = np.empty(keys.size, dtype=bool)
    keep[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=keep[1:])
    return keys[keep]


class Neighbours:
    """The characters next to the uses of every word of 2+ characters in the cut, gathered chunk by
    chunk from the pieces viterbi returns and the lattice's single-character edges (the character
    before a place is the single edge ending there): per word, how many different characters precede
    and follow its uses (a sentence's start or end counting as one), and whether one side is always
    the same character, as a fragment of a longer unit has (lexicon__topwords drops those)."""

    MERGE = 16_000_000  # pending pairs merged into the distinct ones from this many on

    def __init__(self, n_words: int) -> None:
        self.n_words = n_words
        self._distinct = [np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)]  # left, right
        self._pending: list[list[np.ndarray]] = [[], []]
        self._later = None

    def add(self, lat: Lattice, sentence: np.ndarray, start: np.ndarray, word: np.ndarray) -> None:
        """The pieces (viterbi's arrays) of the lattice's sentences; counted in a second thread while
        the caller goes on (writes the cut), the previous chunk's first."""
        self._wait()
        # not the lattice itself: its edges can go while this runs
        self._later = _READER.submit(
            self._add, lat.order, lat.off, lat.s_word, lat.lengths, lat.word_lengths, sentence, start, word
        )

    def _wait(self) -> None:
        if self._later is not None:
            self._later.result()
            self._later = None

    def _add(self, *arrays: np.ndarray) -> None:
        order, off, s_word, lengths, word_lengths, sentence, start, word = arrays
        multi = word_lengths[word] > 1
        rank_of = np.empty(order.size, dtype=np.int64)
        rank_of[order] = np.arange(order.size)
        rank, begin, word = rank_of[sentence[multi]], start[multi].astype(np.int64), word[multi].astype(np.int64)
        end = begin + word_lengths[word]
        base = off[1]
        # -1: a sentence's start or end; else the single-character edge ending one place further
        left = np.where(begin > 0, s_word[np.maximum(off[begin] + rank - base, 0)], -1)
        inside = end < lengths[rank]
        right = np.full(end.size, -1, dtype=np.int64)
        right[inside] = s_word[off[end[inside] + 1] + rank[inside] - base]
        for side, character in enumerate((left, right)):
            self._pending[side].append(_distinct((word << 32) | (character + 1)))
            if sum(part.size for part in self._pending[side]) > self.MERGE:
                self._merge(side)

    def _merge(self, side: int) -> None:
        self._distinct[side] = _distinct(np.concatenate([self._distinct[side], *self._pending[side]]))
        self._pending[side] = []

    def counts(self) -> dict[str, np.ndarray]:
        """word_id, left_variety, right_variety, has_fixed_neighbour: one row per word used."""
        self._wait()
        variety, fixed = [], []
        for side in (0, 1):
            self._merge(side)
            pairs = self._distinct[side]
            words = pairs >> 32
            variety.append(np.bincount(words, minlength=self.n_words))
            single = np.zeros(self.n_words, dtype=bool)  # one character, and not a sentence's edge
            single[words] = (variety[side][words] == 1) & ((pairs & 0xFFFFFFFF) > 0)
            fixed.append(single)
        used = np.flatnonzero(variety[0])
        return {
            "word_id": used,
            "left_variety": variety[0][used],
            "right_variety": variety[1][used],
            "has_fixed_neighbour": (fixed[0] | fixed[1])[used],
        }


def crossings(words: list[str], known: set[str] | frozenset[str]) -> tuple[np.ndarray, np.ndarray]:
    """The boundaries a dictionary segmentation puts inside each word, as (strong, weak) counts.

    The segmentation: the fewest pieces that are known words or single characters (ties: the
    longest last piece, then likewise before it). A boundary is strong when a piece of two or more
    characters is next to it (the dictionary knows a word that ends or starts there), weak between
    two single characters (the dictionary just has no word there: names, new coinages). Known words
    and characters have none."""
    strong = [0] * len(words)  # Python lists: an item of a numpy array is slow to read and write
    weak = [0] * len(words)
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
            best_j, back_j = best[j - 1] + 1, j - 1
            for k in range(j - 2, -1, -1):  # longer last pieces: ties go to them
                if best[k] < best_j and w[k:j] in known:
                    best_j, back_j = best[k] + 1, k
            best[j], back[j] = best_j, back_j
        right, j = n - back[n], back[n]  # the pieces from the end, each with the one after it
        while j > 0:
            left = j - back[j]
            if left > 1 or right > 1:
                strong[i] += 1
            else:
                weak[i] += 1
            right, j = left, back[j]
    return np.array(strong, dtype=np.int64), np.array(weak, dtype=np.int64)


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


def count_candidates(
    con, min_count: int = MIN_COUNT, max_len: int = MAX_LEN, max_levels: int = 64, shard_characters: int | None = None
) -> int:
    """Count the candidate words level by level into candidate_ngrams (the kept substrings, the
    candidates numbered) and word_candidates (their places, per shard), both TEMP tables.

    Reads word_sentences (sentences cut at MAX_SENTENCE characters: positions must stay below 2^24)
    and known_prefixes (made empty here when the caller has no dictionary). Each level runs two
    passes over the shards of about shard_characters characters (default SHARD_CHARACTERS): the
    counts (candidate_tallies, summed in candidate_ngrams), then the places of the kept substrings
    only, so no statement holds more than a shard's lists. Returns the number of levels run: up to
    max_len, or further while prefixes of longer known words remain."""
    from newword import sqlfiles

    con.execute("CREATE TABLE IF NOT EXISTS known_prefixes (word VARCHAR, known BOOLEAN, proper BOOLEAN)")
    for table in ("candidate_tallies", "candidate_ngrams", "word_candidates"):
        con.execute(f"DROP TABLE IF EXISTS {table}")  # one left in the database by an interrupted build
    con.execute("CREATE TEMP TABLE candidate_tallies (ngram VARCHAR, count BIGINT)")
    con.execute(
        "CREATE TEMP TABLE candidate_ngrams (ngram VARCHAR, length INTEGER, count BIGINT, known BOOLEAN, "
        "candidate BOOLEAN, extend BOOLEAN, word_id BIGINT)"
    )
    con.execute(
        "CREATE TEMP TABLE word_candidates (shard INTEGER, length INTEGER, word_id BIGINT, extend BOOLEAN, positions BIGINT[])"
    )
    shards = sqlfiles.query(con, "candidate_shards", {"shard_characters": shard_characters or SHARD_CHARACTERS})
    everything = [(0, 0, max((last for _, _, last in shards), default=0))]
    words = n = 0
    for n in range(1, max_levels + 1):
        con.execute("DELETE FROM candidate_tallies")
        for shard, first_id, last_id in everything if n <= 2 else shards:  # levels 1, 2 need no join: one pass
            sqlfiles.append(
                con, "candidate_tallies", "candidate_tallies", {"n": n, "shard": shard, "first_id": first_id, "last_id": last_id}
            )
        values = {"n": n, "min_count": min_count, "max_len": max_len, "first_word_id": words}
        sqlfiles.append(con, "candidate_ngrams", "candidate_ngrams", values)
        kept, more = con.execute(
            "SELECT count(*) FILTER (candidate), count(*) FILTER (extend) FROM candidate_ngrams WHERE length = $n", {"n": n}
        ).fetchall()[0]
        words += kept
        if n > 1:  # the characters' places are read from the sentences (word_places)
            for shard, first_id, last_id in shards:
                sqlfiles.append(
                    con, "word_candidates", "word_candidates", {"n": n, "shard": shard, "first_id": first_id, "last_id": last_id}
                )
        if not more:
            break
    con.execute("DROP TABLE candidate_tallies")
    return n
