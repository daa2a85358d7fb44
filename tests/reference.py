"""Plain-Python reference implementation of algorithm.md (no DuckDB).

Deliberately simple: one function per step, collections.Counter, no cleverness.
The SQL pipeline must produce exactly the same lexicon (words and counts).
"""

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
