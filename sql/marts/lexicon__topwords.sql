-- lexicon__topwords: step 6 in topwords mode, the significant words with their scores.
-- grain: one row per word (the columns of lexicon, then the model's scores).
-- reads: word_scores, candidates, word_neighbours, cohesion, known_words.
-- parameters: none.
-- A word is kept when the likelihood-ratio test keeps it (is_significant) and the corpus's own
-- segmentation (the cut) uses it at least min_count times (it is in candidates); a word that is not
-- known must also not have the same character next to it, on either side, in every use: that is a
-- fragment of a longer unit (国务院副总, always before 理). count is the uses, as in reference mode;
-- occurrences how often the string occurs (小平, inside 邓小平, occurs often but is seldom used);
-- left_variety and right_variety the different characters seen next to its uses (word_neighbours). cohesion is NULL for words longer than max_n.
WITH significant AS (
    SELECT
        word_scores.*,
        candidates.count AS uses,
        word_scores.is_known OR known_words.word IS NOT NULL AS known
    FROM word_scores
    INNER JOIN candidates ON candidates.word = word_scores.word
    LEFT JOIN known_words ON known_words.word = word_scores.word
    WHERE word_scores.is_significant
)

SELECT
    significant.word,
    significant.uses AS count,
    significant.length,
    cohesion.cohesion,
    significant.known AS is_known,
    significant.theta,
    significant.expected_count,
    significant.significance,
    significant.count AS occurrences,
    word_neighbours.left_variety,
    word_neighbours.right_variety
FROM significant
INNER JOIN word_neighbours ON word_neighbours.word = significant.word
LEFT JOIN cohesion ON cohesion.ngram = significant.word
WHERE significant.known OR NOT word_neighbours.has_fixed_neighbour
ORDER BY significant.uses DESC, significant.word
