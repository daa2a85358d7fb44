"""Plain-Python reference implementation of algorithm.md (no DuckDB).

Deliberately simple: one function per step, collections.Counter, no cleverness.
The SQL pipeline must produce exactly the same lexicon (words and counts).
"""

import math
import re
import unicodedata
from collections import Counter

CLASSES = {"cjk": "\u4e00-\u9fff", "cjk+alnum": "\u4e00-\u9fffA-Za-z0-9"}


def threshold(min_cohesion, k):
    return min_cohesion.get(k, 5 ** (k - 1))


def sentences(documents, chars="cjk"):
    run = re.compile("[" + CLASSES[chars] + "]+")
    return [s for doc in documents for s in run.findall(unicodedata.normalize("NFKC", doc))]


def ngram_counts(sents, max_n, min_count):
    counts = Counter(s[i : i + n] for s in sents for n in range(1, max_n + 1) for i in range(len(s) - n + 1))
    return {w: c for w, c in counts.items() if c >= min_count}


def cohesion(counts):
    total = sum(c for w, c in counts.items() if len(w) == 1)
    return {
        w: min(total * c / (counts[w[:i]] * counts[w[i:]]) for i in range(1, len(w))) for w, c in counts.items() if len(w) >= 2
    }


def cohesive(scores, min_cohesion):
    return {w for w, s in scores.items() if s > threshold(min_cohesion, len(w))}


def cut(sentence, cohesive_set, max_n):
    joined = [False] * len(sentence)  # joined[j]: boundary between j and j+1
    for n in range(2, max_n + 1):
        for i in range(len(sentence) - n + 1):
            if sentence[i : i + n] in cohesive_set:
                for j in range(i, i + n - 1):
                    joined[j] = True
    pieces, start = [], 0
    for j in range(len(sentence)):
        if not joined[j]:
            pieces.append(sentence[start : j + 1])
            start = j + 1
    return pieces


def candidates(sents, cohesive_set, max_n, min_count):
    counts = Counter(p for s in sents for p in cut(s, cohesive_set, max_n))
    return {w: c for w, c in counts.items() if c >= min_count and len(w) >= 2}


def lexicon(cands, cohesive_set, max_n):
    def is_real(w):
        return all(w[i : i + k] in cohesive_set for k in range(3, max_n + 1) for i in range(len(w) - k + 1))

    return {w: c for w, c in cands.items() if is_real(w)}


def distinct(documents):
    """The first of the documents with each content (after NFKC), as discover keeps them by default."""
    return list(dict.fromkeys(unicodedata.normalize("NFKC", doc) for doc in documents))


def discover(documents, max_n=4, min_count=25, min_cohesion=None, chars="cjk", dedupe=True):
    """Return {word: count} for the documents (an iterable of strings); dedupe: each content once."""
    documents = distinct(documents) if dedupe else documents
    min_cohesion = {2: 5, 3: 25, 4: 125} if min_cohesion is None else min_cohesion
    sents = sentences(documents, chars)
    counts = ngram_counts(sents, max_n, min_count)
    keep = cohesive(cohesion(counts), min_cohesion)
    return lexicon(candidates(sents, keep, max_n, min_count), keep, max_n)


# --- entropy mode (README: Quality): the same steps with the cut by neighbour-entropy autonomy ---


def entropy(counts):
    total = sum(counts)
    return math.log(total) - sum(c * math.log(c) for c in counts) / total


def branching(sents, max_n, segment_min_count):
    """{n-gram: (count, left entropy, right entropy)} for n-grams of length 1..max_n seen often enough."""
    grams = Counter()
    for s in sents:
        marked = "\x02" + s + "\x03"
        for n in range(2, max_n + 2):
            for i in range(len(marked) - n + 1):
                grams[marked[i : i + n]] += 1
    right, left = {}, {}
    for g, c in grams.items():
        right.setdefault(g[:-1], []).append(c)
        left.setdefault(g[1:], []).append(c)
    stats = {
        x: (sum(right[x]), entropy(left[x]), entropy(right[x]))
        for x in right
        if x in left and "\x02" not in x and "\x03" not in x and len(x) <= max_n and sum(right[x]) >= segment_min_count
    }
    return stats


def autonomy(stats):
    """nVBE: standardised variation of left and right branching entropy, per n-gram length."""
    if not stats:
        return {}
    h_chars = entropy([c for x, (c, _, _) in stats.items() if len(x) == 1])
    variation = {
        x: (hl - (stats[x[1:]][1] if len(x) > 1 else h_chars), hr - (stats[x[:-1]][2] if len(x) > 1 else h_chars))
        for x, (_, hl, hr) in stats.items()
    }
    scores = {}
    for n in {len(x) for x in variation}:
        same = [x for x in variation if len(x) == n]
        for side in (0, 1):
            values = [variation[x][side] for x in same]
            mean = sum(values) / len(values)
            std = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
            for x in same:
                scores[x] = scores.get(x, 0.0) + ((variation[x][side] - mean) / std if std > 0 else 0.0)
    return scores


def best_cut(sentence, scores, max_n, single_penalty):
    """Highest sum of autonomy * length; an unscored character counts 0; singles pay the penalty."""
    best = {0: (0.0, [])}
    for j in range(1, len(sentence) + 1):
        options = []
        for i in range(max(0, j - max_n), j):
            w = sentence[i:j]
            if w in scores or len(w) == 1:
                value = best[i][0] + (scores.get(w, 0.0) * len(w) - (single_penalty if len(w) == 1 else 0.0))
                options.append((value, i))
        value, i = max(options, key=lambda o: (o[0], -o[1]))  # ties: the earliest start, as the SQL side
        best[j] = (value, best[i][1] + [sentence[i:j]])
    return best[len(sentence)][1]


def discover_entropy(
    documents,
    max_n=4,
    min_count=25,
    min_cohesion=None,
    chars="cjk",
    single_penalty=2.0,
    max_edge_alone=0.5,
    segment_min_count=2,
    min_neighbour_entropy=0.75,
    dedupe=True,
):
    documents = distinct(documents) if dedupe else documents
    min_cohesion = {2: 20, 3: 50, 4: 125} if min_cohesion is None else min_cohesion
    sents = sentences(documents, chars)
    counts = ngram_counts(sents, max_n, min_count)
    keep = cohesive(cohesion(counts), min_cohesion)
    stats = branching(sents, max_n, segment_min_count)
    scores = autonomy(stats)
    pieces = Counter()
    for s, occurrences in Counter(sents).items():
        for p in best_cut(s, scores, max_n, single_penalty):
            pieces[p] += occurrences
    alone = {c: pieces[c] / n for c, n in counts.items() if len(c) == 1}

    def is_word(w):
        parts = [w] + [w[i : i + k] for k in range(3, min(len(w), max_n) + 1) for i in range(len(w) - k + 1)]
        edges = alone.get(w[0], 0) <= max_edge_alone and alone.get(w[-1], 0) <= max_edge_alone
        free = min(stats[w][1:]) if w in stats else 0.0
        return all(p in keep for p in parts) and edges and (min_neighbour_entropy <= 0 or free >= min_neighbour_entropy)

    return {w: c for w, c in pieces.items() if len(w) >= 2 and c >= min_count and is_word(w)}
