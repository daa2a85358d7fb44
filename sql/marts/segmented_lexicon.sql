-- segmented_lexicon: step 6 in entropy mode, the candidates that are words, not phrases.
-- grain: one row per word (the same columns as lexicon).
-- reads: cohesive_candidates (sql/marts/lexicon.sql's rows: candidates whose every substring of
--   length 3..max_n is cohesive), cohesion, cut, ngram_counts, branching.
-- parameters: $max_edge_alone, $min_neighbour_entropy.
-- On top of algorithm.md's step 6, a word is kept when (1) it is a cohesive n-gram itself (for a
-- 2-gram that is new: 这一 or 人的 are frequent characters side by side, not words), (2) neither its
-- first nor its last character is a stand-alone word most of the time: alone(c) = the pieces that are
-- just c / the occurrences of c; 的, 是, 也 stand alone, so 是在 or 的新 are two words that follow
-- each other; and (3) its left and right neighbour entropies both reach min_neighbour_entropy:
-- 诚聘英 (always followed by 才) or 报讯 (always after 本) are fragments of longer strings. A word not
-- in branching (rarer than segment_min_count) counts as entropy 0; with min_neighbour_entropy 0 the
-- test is off.
WITH alone AS (
    SELECT
        ngram_counts.ngram AS character,
        coalesce(sum(cut.sentence_occurrences), 0) / ngram_counts.count AS share
    FROM ngram_counts
    LEFT JOIN cut ON cut.piece = ngram_counts.ngram
    WHERE ngram_counts.length = 1
    GROUP BY ngram_counts.ngram, ngram_counts.count
)

SELECT
    cohesive_candidates.word,
    cohesive_candidates.count,
    cohesive_candidates.length,
    cohesive_candidates.cohesion,
    cohesive_candidates.is_known
FROM cohesive_candidates
INNER JOIN cohesion ON cohesion.ngram = cohesive_candidates.word AND cohesion.is_cohesive
LEFT JOIN alone AS firsts ON firsts.character = left(cohesive_candidates.word, 1)
LEFT JOIN alone AS lasts ON lasts.character = right(cohesive_candidates.word, 1)
LEFT JOIN branching ON branching.ngram = cohesive_candidates.word
WHERE
    coalesce(firsts.share, 0) <= $max_edge_alone
    AND coalesce(lasts.share, 0) <= $max_edge_alone
    AND (
        $min_neighbour_entropy <= 0
        OR coalesce(least(branching.left_entropy, branching.right_entropy), 0) >= $min_neighbour_entropy
    )
ORDER BY cohesive_candidates.count DESC, cohesive_candidates.word
