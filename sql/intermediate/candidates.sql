-- candidates: step 5, the pieces of the cut counted over the corpus.
-- grain: one row per piece of length >= 2 with count >= min_count.
-- reads: cut.
-- parameters: $min_count.
SELECT
    piece AS word,
    length,
    sum(sentence_occurrences)::BIGINT AS count
FROM cut
WHERE length >= 2
GROUP BY piece, length
HAVING sum(sentence_occurrences) >= $min_count
ORDER BY count DESC, word
