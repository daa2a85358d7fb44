-- word_scores: every topwords candidate with what the EM estimated for it.
-- grain: one row per candidate word (single characters included).
-- reads: candidate_words, word_fit (numpy arrays from newword.topwords.fit, registered by the pipeline).
-- parameters: $min_significance.
-- theta: the word's probability in the unigram word model (0: pruned); expected_count: its expected
-- uses in the segmentations of the corpus; significance: the log-likelihood ratio (nats) of the
-- corpus with and without it; is_significant: a word of 2+ characters above $min_significance.
SELECT
    candidate_words.word,
    candidate_words.length,
    candidate_words.count,
    candidate_words.is_known,
    word_fit.theta,
    word_fit.expected_count,
    word_fit.significance,
    candidate_words.length >= 2 AND word_fit.theta > 0 AND word_fit.significance > $min_significance AS is_significant
FROM candidate_words
INNER JOIN word_fit ON word_fit.word_id = candidate_words.word_id
