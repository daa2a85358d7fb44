-- ngram_counts: step 2, every substring of length 1..max_n of every sentence, counted.
-- grain: one row per n-gram with count >= min_count.
-- reads: sentences.
-- parameters: $max_n, $min_count.
-- Each distinct sentence is expanded once and weighted by how often it occurs. (unnest of a
-- series and a cross join with the lengths is several times faster than a lateral range join.)
WITH sentence_types AS (
    SELECT
        sentence,
        count(*) AS occurrences
    FROM sentences
    GROUP BY sentence
),

positions AS (
    SELECT
        sentence,
        occurrences,
        unnest(generate_series(1, length(sentence))) AS start
    FROM sentence_types
),

occurrences AS (
    SELECT
        substr(positions.sentence, positions.start, lengths.length) AS ngram,
        lengths.length,
        positions.occurrences
    FROM positions
    CROSS JOIN range(1, $max_n + 1) AS lengths (length)
    WHERE positions.start + lengths.length - 1 <= length(positions.sentence)
)

SELECT
    ngram,
    length,
    sum(occurrences)::BIGINT AS count
FROM occurrences
GROUP BY ngram, length
HAVING sum(occurrences) >= $min_count
ORDER BY count DESC, ngram
