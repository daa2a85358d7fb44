-- segmented_lexicon: step 6 in entropy mode, the candidates that are words, not phrases.
-- grain: one row per word (the same columns as lexicon).
-- reads: candidates, cohesion, cut, ngram_counts, branching, known_words.
-- parameters: $max_n, $max_edge_alone, $min_neighbour_entropy.
-- A candidate is kept when (1) it is itself a cohesive n-gram and every substring of length 3..max_n
-- is too (step 6 of algorithm.md, and cohesion keeps 这一 or 人的 out: their characters are frequent
-- everywhere), and (2) neither its first nor its last character is a stand-alone word most of the
-- time: alone(c) = the pieces that are just c / the occurrences of c; 的, 是, 也 stand alone, so
-- 是在 or 的新 are two words that follow each other, not a new word; and (3) its left and right
-- neighbour entropies both reach min_neighbour_entropy: 诚聘英 (always followed by 才) or 报讯 (always
-- after 本) are fragments of longer strings. A word not in branching (rarer than segment_min_count)
-- counts as entropy 0; with min_neighbour_entropy 0 the test is off.
WITH cohesive AS (
    SELECT ngram
    FROM cohesion
    WHERE is_cohesive
),

substrings AS (
    SELECT
        candidates.word,
        substr(candidates.word, starts.start, lengths.length) AS part
    FROM candidates,
        range(2, least(candidates.length, $max_n) + 1) AS lengths (length),
        range(1, candidates.length - lengths.length + 2) AS starts (start)
    WHERE lengths.length >= 3 OR lengths.length = candidates.length
),

rejected AS (
    SELECT DISTINCT substrings.word
    FROM substrings
    ANTI JOIN cohesive ON cohesive.ngram = substrings.part
),

alone AS (
    SELECT
        ngram_counts.ngram AS character,
        coalesce(sum(cut.sentence_occurrences), 0) / ngram_counts.count AS share
    FROM ngram_counts
    LEFT JOIN cut ON cut.piece = ngram_counts.ngram
    WHERE ngram_counts.length = 1
    GROUP BY ngram_counts.ngram, ngram_counts.count
)

SELECT
    candidates.word,
    candidates.count,
    candidates.length,
    cohesion.cohesion,
    known_words.word IS NOT NULL AS is_known
FROM candidates
ANTI JOIN rejected ON rejected.word = candidates.word
LEFT JOIN cohesion ON cohesion.ngram = candidates.word
LEFT JOIN known_words ON known_words.word = candidates.word
LEFT JOIN alone AS firsts ON firsts.character = left(candidates.word, 1)
LEFT JOIN alone AS lasts ON lasts.character = right(candidates.word, 1)
LEFT JOIN branching ON branching.ngram = candidates.word
WHERE
    coalesce(firsts.share, 0) <= $max_edge_alone
    AND coalesce(lasts.share, 0) <= $max_edge_alone
    AND (
        $min_neighbour_entropy <= 0
        OR coalesce(least(branching.left_entropy, branching.right_entropy), 0) >= $min_neighbour_entropy
    )
ORDER BY candidates.count DESC, candidates.word
