-- ngram_counts: step 2, every substring of length 1..max_n of every sentence, counted.
-- grain: one row per n-gram with count >= min_count.
-- reads: sentences.
-- parameters: $max_n, $min_count.
-- Each distinct sentence is expanded once and weighted by how often it occurs. Each position gets
-- the text of its next max_n characters (a window over the sentence's characters), and the n-grams
-- starting there are prefixes of it: linear in the sentence length, where substr on a long UTF-8
-- string costs time proportional to the position (quadratic on a run of 100,000 characters), and
-- so does a lateral unnest ... WITH ORDINALITY of a long list.
WITH sentence_types AS (
    SELECT
        row_number() OVER () AS sentence_id,
        sentence,
        count(*) AS occurrences
    FROM sentences
    GROUP BY sentence
),

characters AS (
    SELECT
        sentence_id,
        occurrences,
        unnest(string_split(sentence, '')) AS character,
        generate_subscripts(string_split(sentence, ''), 1) AS position
    FROM sentence_types
),

positions AS (
    SELECT
        sentence_id,
        occurrences,
        position,
        string_agg(character, '' ORDER BY position) OVER (
            PARTITION BY sentence_id
            ORDER BY position
            ROWS BETWEEN CURRENT ROW AND $max_n - 1 FOLLOWING
        ) AS window_text
    FROM characters
),

occurrences AS (
    SELECT
        substr(positions.window_text, 1, lengths.length) AS ngram,
        lengths.length,
        positions.occurrences
    FROM positions
    CROSS JOIN range(1, $max_n + 1) AS lengths (length)
    WHERE lengths.length <= length(positions.window_text)
)

SELECT
    ngram,
    length,
    sum(occurrences)::BIGINT AS count
FROM occurrences
GROUP BY ngram, length
HAVING sum(occurrences) >= $min_count
ORDER BY count DESC, ngram
