-- word_lexicon: step 6 in topwords mode, the significant words with their scores.
-- grain: one row per word (the columns of lexicon, then the model's scores).
-- reads: word_scores, cohesion, known_words.
-- parameters: $min_count.
-- A word is kept when the likelihood-ratio test keeps it (is_significant) and it occurs at least
-- $min_count times. cohesion is NULL for words longer than max_n (their n-grams are not counted).
SELECT
    word_scores.word,
    word_scores.count,
    word_scores.length,
    cohesion.cohesion,
    word_scores.is_known OR known_words.word IS NOT NULL AS is_known,
    word_scores.theta,
    word_scores.expected_count,
    word_scores.significance
FROM word_scores
LEFT JOIN cohesion ON cohesion.ngram = word_scores.word
LEFT JOIN known_words ON known_words.word = word_scores.word
WHERE word_scores.is_significant AND word_scores.count >= $min_count
ORDER BY word_scores.count DESC, word_scores.word
