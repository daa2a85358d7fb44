-- word_lexicon: step 6 in topwords mode, the significant words with their scores.
-- grain: one row per word (the columns of lexicon, then the model's scores).
-- reads: word_scores, candidates, cohesion, known_words.
-- parameters: none.
-- A word is kept when the likelihood-ratio test keeps it (is_significant) and the corpus's own
-- segmentation (the cut) uses it at least min_count times (it is in candidates): count is those uses,
-- as in reference mode, and occurrences how often the string occurs (a fragment of a longer word, such
-- as 小平 inside 邓小平, occurs often but is seldom used). cohesion is NULL for words longer than max_n.
SELECT
    word_scores.word,
    candidates.count,
    word_scores.length,
    cohesion.cohesion,
    word_scores.is_known OR known_words.word IS NOT NULL AS is_known,
    word_scores.theta,
    word_scores.expected_count,
    word_scores.significance,
    word_scores.count AS occurrences
FROM word_scores
INNER JOIN candidates ON candidates.word = word_scores.word
LEFT JOIN cohesion ON cohesion.ngram = word_scores.word
LEFT JOIN known_words ON known_words.word = word_scores.word
WHERE word_scores.is_significant
ORDER BY candidates.count DESC, word_scores.word
