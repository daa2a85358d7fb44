-- new_ngram_counts: step 2 for an incremental refresh: every n-gram of the sentences not yet counted.
-- grain: one row per n-gram of the new sentences, whatever its count (merging must stay exact).
-- reads: sentences.
-- parameters: $max_n, $after_doc_id (sentences of documents after this one are new).
-- The same expansion as ngram_counts.sql, without the min_count filter.
WITH sentence_types AS (
    SELECT
        sentence,
        count(*) AS occurrences
    FROM sentences
    WHERE doc_id > $after_doc_id
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
