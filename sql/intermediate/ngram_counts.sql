-- ngram_counts: step 2, every substring of length 1..max_n of every sentence, counted.
-- grain: one row per n-gram with count >= min_count.
-- reads: sentences.
-- parameters: $max_n, $min_count.
-- Each distinct sentence is expanded once and weighted by how often it occurs.
WITH sentence_types AS (
    SELECT
        sentence,
        count(*) AS occurrences
    FROM sentences
    GROUP BY sentence
),

occurrences AS (
    SELECT
        substr(sentence_types.sentence, starts.start, lengths.length) AS ngram,
        lengths.length,
        sentence_types.occurrences
    FROM sentence_types,
        range(1, $max_n + 1) AS lengths (length),
        range(1, length(sentence_types.sentence) - lengths.length + 2) AS starts (start)
)

SELECT
    ngram,
    length,
    sum(occurrences)::BIGINT AS count
FROM occurrences
GROUP BY ngram, length
HAVING sum(occurrences) >= $min_count
ORDER BY count DESC, ngram
