-- vocabulary: the words `newword segment` segments with, and their counts (a unigram model).
-- grain: one row per word (single characters included).
-- reads: cut, lexicon, ngram_counts.
-- parameters: $mode, $segment_min_count.
-- topwords mode: every piece of the corpus's own segmentation (the cut) occurring at least
-- segment_min_count times, and every single character. reference mode: the lexicon's words and
-- the kept 1-grams (the cut of algorithm.md keeps no single characters and no rare pieces).
WITH pieces AS (
    SELECT
        piece AS word,
        sum(sentence_occurrences)::BIGINT AS count
    FROM cut
    WHERE $mode = 'topwords'
    GROUP BY piece
    HAVING sum(sentence_occurrences) >= $segment_min_count OR length(piece) = 1
),

reference_words AS (
    SELECT
        word,
        count
    FROM lexicon
    WHERE $mode = 'reference'
    UNION ALL
    SELECT
        ngram AS word,
        count
    FROM ngram_counts
    WHERE $mode = 'reference' AND length = 1
)

SELECT
    word,
    length(word) AS length,
    count
FROM (
    SELECT * FROM pieces
    UNION ALL
    SELECT * FROM reference_words
)
ORDER BY count DESC, word
